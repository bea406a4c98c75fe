"""Stored daily closes, so a report can compare today's move with the sessions before it."""

from core.history.records import DailyClose, closes_from_snapshot
from core.history.store import HistoryStore

__all__ = ["DailyClose", "HistoryStore", "closes_from_snapshot"]
