"""How one platform writes the bot's sentences: its markup, its names for things, its language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from bot.commands.requests import USAGE, USAGE_VALUES
from core.i18n import DEFAULT_LANGUAGE, N_, Language, Translator, translator
from core.phrase import said


def _same(text: str) -> str:
    return text


def _nowhere(chat_id: str) -> str:
    return ""  # a Telegram digest goes to the chat the command came from; no need to say


@dataclass(frozen=True)
class Style:
    """How one platform marks text up and names things; the sentences stay the same."""

    escape: Callable[[str], str] = _same
    code: Callable[[str], str] = _same
    bold: Callable[[str], str] = _same
    command: Callable[[str], str] = _same  # a /command mentioned in a sentence
    value: Callable[[str], str] = _same  # a typed value echoed back (a time zone)
    mention: Callable[[str], str] = _nowhere  # the chat where the digest goes (<#channel>)
    chat: str = N_("chat")
    managers: str = N_("administrators")  # who may manage a group's or channel's digest
    grant: str = N_("Make me an administrator allowed to post messages")
    commands: tuple[str, ...] = tuple(USAGE)  # the commands this platform offers, in order
    usage: Mapping[str, str] = field(default_factory=lambda: USAGE)
    language: Language = DEFAULT_LANGUAGE

    @property
    def tr(self) -> Translator:
        """Return the translator of this style's language."""
        return translator(self.language)

    def in_language(self, language: Language) -> Style:
        """Return this style writing in another language (one chat's)."""
        return replace(self, language=language)

    def say(self, message: str, **values: object) -> str:
        """Return a catalog message in this style's language, its values filled as given.

        Catalog sentences are written markup-safe on every platform (no ``&<>*_``), so they
        are not escaped; callers escape or mark up the values themselves.
        """
        return self.tr.gettext(message, **values)

    def word(self, message: str) -> str:
        """Return a marked-for-later catalog word (``chat``, ``managers``) in this language."""
        return self.tr.gettext(message)

    def message(self, message: str) -> str:
        """Return an error's catalog message (a ``Phrase`` or a message id) in this language,
        escaped: catalog sentences hold no markup, and typed values in them are clipped."""
        return self.escape(said(message, self.tr))

    def where(self, chat_id: str) -> str:
        """Return `` in <#channel>`` (``（<#channel>）``) where the platform names the chat,
        else nothing."""
        mention = self.mention(chat_id)
        return self.tr.gettext(N_(" in %(chat)s"), chat=mention) if mention else ""

    def usage_line(self, command: str) -> str:
        """Return a command's usage line in this language (argument names are words too)."""
        return self.tr.gettext(self.usage.get(command, USAGE[command]), **USAGE_VALUES)
