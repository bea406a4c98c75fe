"""Stored daily closes, so a report can compare today's move with the sessions before it."""

from core.history.records import DailyClose, closes_from_snapshot
from core.history.store import HistoryError, HistoryStore

__all__ = ["DailyClose", "HistoryError", "HistoryStore", "closes_from_snapshot"]
