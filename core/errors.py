"""Exceptions raised by marketbot: the whole tree lives here.

The tree mirrors what a caller can do about each failure::

    ReportError                    base of everything marketbot raises on purpose
    ├── ConfigError                a file in config/ or a setting (database URL) is malformed
    ├── SnapshotError              a snapshot document cannot be read or is inconsistent
    ├── HistoryError               the history database cannot be read or written
    ├── NothingShown               a report was built but no market in it has a figure;
    │   │                          carries ``output`` (the report, warnings and all)
    │   └── NoWorkingSource        a source check left a market without any working source;
    │                              carries ``output`` and ``markets``
    ├── ProviderError              an upstream data source failed (translated at the boundary);
    │   │                          carries ``kind``, ``reason`` (a Phrase) and ``detail``
    │   ├── SourceUnavailable      network failure, timeout or 5xx after retries
    │   ├── RateLimited            429; carries ``retry_after_s`` when the source sent one
    │   ├── Blocked                the provider refuses us: 403/451 or an HTML page (a bot
    │   │                          check, a consent page) where JSON or CSV was expected
    │   └── MalformedResponse      empty, truncated or unexpected body; or a 4xx answer
    ├── Unreachable                a database or chat API still did not answer after the
    │                              startup retries
    ├── ClaimLost                  this worker no longer holds a chat's delivery claim (its
    │                              lease lapsed and another worker took it): send nothing more
    ├── PlatformError              a chat platform refused the bot (translated in its adapter)
    │   ├── PlatformStartFailed    the client could not log in (bad token, API unreachable)
    │   │   └── TokenRejected      the platform answered 401: the token is wrong or revoked
    │   ├── ChatGone               a chat can no longer receive messages (blocked, kicked)
    │   ├── ChatMoved              a chat continues under ``new_chat_id`` (supergroup upgrade)
    │   └── PartRejected           one message part is refused for good (no right to send
    │                              photos, too long); carries ``fallback`` (its text form)
    └── UserInputError             something a user typed or did is not valid
        ├── UnknownInstrument      carries ``suggestions`` (closest known names)
        ├── UnknownSection         carries ``suggestions`` (closest section keys)
        ├── InvalidArgument        a malformed value (time, time zone, platform); carries
        │                          ``argument``, ``value`` and ``suggestions``
        ├── BadCommand             command arguments that do not parse; carries ``command``,
        │                          ``reason`` and ``suggestions`` (the usage line is wording,
        │                          looked up by ``command`` where replies are written)
        ├── UnknownCommand         a command the bot does not have; carries ``command`` and
        │                          ``suggestions`` (close command names)
        ├── RateLimitExceeded      a user sends commands too fast; carries ``retry_after_s``
        └── NotPermitted           the user or the bot lacks a right in this chat (each chat
            │                      adapter decides who may manage; the wording is shared)
            ├── NotChatManager         the user may not change this chat's digest
            └── BotCannotPost          the bot cannot deliver here; carries ``missing`` (rights)

Upstream exceptions (httpx, json, KeyError on a body, SQLAlchemy, a chat library's API
errors) are translated once, where marketbot meets them, with ``raise ... from exc``;
nothing above that sees them.
"""

from __future__ import annotations

from core.failure import Failure
from core.i18n import N_
from core.phrase import Phrase, listing, say, verbatim


class ReportError(Exception):
    """Base class of every error marketbot raises deliberately."""


class ConfigError(ReportError):
    """Raise when a configuration file is missing or invalid."""


class SnapshotError(ReportError):
    """Raise when a snapshot document cannot be parsed or is inconsistent."""


class HistoryError(ReportError):
    """Raise when the history database cannot be read or written."""


class NothingShown(ReportError):
    """Raise when a report was built but not one market in it has a figure."""

    def __init__(self, output: str) -> None:
        super().__init__(
            "no market could be shown: every market source failed or returned nothing "
            "(the report's warnings name each one)"
        )
        self.output = output


class NoWorkingSource(NothingShown):
    """Raise when probing the sources left at least one market without a working one."""

    def __init__(self, output: str, markets: tuple[str, ...]) -> None:
        ReportError.__init__(
            self,
            f"no working source for {', '.join(markets)} (the table says why each one failed)",
        )
        self.output = output
        self.markets = markets


class ProviderError(ReportError):
    """Raise when an upstream data source fails; ``source`` names it (see ``core.failure``)."""

    kind: Failure = Failure.MALFORMED

    def __init__(
        self,
        source: str,
        detail: str,
        *,
        kind: Failure | None = None,
        reason: Phrase | None = None,
    ) -> None:
        super().__init__(f"{source}: {detail}")
        self.source = source
        self.detail = detail
        self.kind = kind or type(self).kind
        self.reason = reason or say(self.kind.value)


class SourceUnavailable(ProviderError):
    """Raise when a source cannot be reached or keeps failing with 5xx."""

    kind = Failure.NETWORK


class RateLimited(ProviderError):
    """Raise when a source answers 429 and retries are exhausted."""

    kind = Failure.RATE_LIMITED

    def __init__(self, source: str, detail: str, retry_after_s: float | None = None, **kw) -> None:
        super().__init__(source, detail, **kw)
        self.retry_after_s = retry_after_s


class Blocked(ProviderError):
    """Raise when a source refuses the client: 403/451, or an HTML page instead of data."""

    kind = Failure.BLOCKED


class MalformedResponse(ProviderError):
    """Raise when a body is empty, truncated, or not the shape the source documents."""

    kind = Failure.MALFORMED


class Unreachable(ReportError):
    """Raise when a dependency did not answer at start after every retry."""


class ClaimLost(ReportError):
    """Raise when a worker about to send finds another worker holds the chat's claim now."""


class PlatformError(ReportError):
    """Raise when a chat platform refuses the bot; the adapter translates its API error."""


class PlatformStartFailed(PlatformError):
    """Raise when a chat client could not log in (bad token, API unreachable)."""


class TokenRejected(PlatformStartFailed):
    """Raise when the platform answers 401: the token is wrong or was revoked."""


class ChatGone(PlatformError):
    """Raise when a chat can no longer receive messages (blocked, kicked, deleted)."""


class ChatMoved(PlatformError):
    """Raise when a chat continues under a new id (a Telegram group became a supergroup)."""

    def __init__(self, new_chat_id: str | int) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class PartRejected(PlatformError):
    """Raise when a chat refuses one message part for good; resending it would fail again.

    ``fallback`` is the part's text form to send instead (None when it has none).
    """

    def __init__(self, reason: str, fallback: object | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fallback = fallback


ECHO_CHARS = 40  # typed input quoted back in a message is cut to this many characters


def clip(text: object, limit: int = ECHO_CHARS) -> str:
    """Return typed input cut to ``limit`` characters (with "…") for quoting it back."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(text: object) -> str:
    """Return typed input as it is quoted in a message: clipped, in quotes."""
    return repr(clip(text))


class UserInputError(ReportError):
    """Raise when user input (a command argument, a CLI option) is invalid.

    ``message`` is a catalog message: a ``Phrase`` (``core/phrase.py``) or a message id, said
    in the asker's language where replies are written; ``str()`` is the English.
    ``suggestions`` holds the closest valid values, if any.
    """

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        self.message = message
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{message}{hint}")


class _UnknownName(UserInputError):
    kind = "name"
    unknown: str  # the catalog message naming what is unknown, per subclass

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        super().__init__(say(self.unknown, name=verbatim(shown(name))), suggestions)


class UnknownInstrument(_UnknownName):
    """Raise for an instrument name or alias that is not in the registry."""

    kind = "instrument"
    unknown = N_("unknown instrument %(name)s")


class UnknownSection(_UnknownName):
    """Raise for a report section name that does not exist."""

    kind = "section"
    unknown = N_("unknown section %(name)s")


class InvalidArgument(UserInputError):
    """Raise for a malformed value a user typed (a time, a time zone, a platform).

    ``argument`` is a catalog word (``N_("time zone")``), ``reason`` a catalog message.
    """

    def __init__(
        self, argument: str, value: object, reason: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        self.argument = argument
        self.value = value
        self.reason = reason
        invalid = say(
            "invalid %(argument)s %(value)s: %(reason)s",
            argument=argument,
            value=verbatim(shown(value)),
            reason=reason,
        )
        super().__init__(invalid, suggestions)


class BadCommand(UserInputError):
    """Raise for command arguments that do not parse; carries the reason and suggestions."""

    def __init__(self, command: str, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        self.command = command
        self.reason = reason
        super().__init__(reason, suggestions)


class UnknownCommand(UserInputError):
    """Raise for a command name the bot does not have; ``suggestions`` holds close ones."""

    def __init__(self, command: str, suggestions: tuple[str, ...] = ()) -> None:
        self.command = command
        unknown = say("unknown command %(command)s", command=verbatim(shown("/" + command)))
        super().__init__(unknown, suggestions)


class RateLimitExceeded(UserInputError):
    """Raise when a user sends commands faster than the bucket refills."""

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s
        seconds = max(1, round(retry_after_s))
        super().__init__(say("Too many commands. Try again in %(s)s s.", s=seconds))


class NotPermitted(UserInputError):
    """Raise when the user or the bot lacks a right needed in this chat."""


class NotChatManager(NotPermitted):
    """Raise when the user may not change this chat's digest (not an admin / manager)."""

    def __init__(self) -> None:
        super().__init__(N_("you may not change this chat's daily digest"))


class BotCannotPost(NotPermitted):
    """Raise when the bot cannot deliver a digest in this chat; names the rights it lacks."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing  # catalog words: the rights' names as the platform shows them
        super().__init__(say("the bot is missing %(rights)s", rights=listing(missing)))
