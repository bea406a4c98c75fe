"""The section buttons under a digest: one tap to any section, in the chat's language."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.commands import wording
from core.i18n import DEFAULT_LANGUAGE, Language

SECTION_PREFIX = "section:"
BUTTONS_PER_ROW = 3


def section_keyboard(language: Language = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    """Return one button per section (except the disclaimer), three per row."""
    buttons = [
        InlineKeyboardButton(label, callback_data=f"{SECTION_PREFIX}{key}")
        for key, label in wording.section_labels(language)
    ]
    rows = range(0, len(buttons), BUTTONS_PER_ROW)
    return InlineKeyboardMarkup([buttons[i : i + BUTTONS_PER_ROW] for i in rows])
