"""Logging for the bot process, with every secret redacted from every line it can print.

Redaction happens in two places only, never per call site: a filter on every root handler
(log records, their arguments and tracebacks) and the top-level hooks that print what nothing
caught (``sys.excepthook``, ``threading.excepthook`` and the asyncio loop's exception handler).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
# Telegram bot tokens: <bot id>:<35 url-safe characters>; caught even when never registered.
_TELEGRAM_TOKEN = re.compile(r"(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}")
# The password of a URL such as postgresql://user:password@host/db.
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]+):[^@\s/]+@")
QUIET_LOGGERS = ("httpx", "apscheduler", "discord", "aiosqlite")
DISCORD_RECONNECTS = "discord.client"  # the logger of discord.py's gateway reconnect attempts


class RedactSecrets(logging.Filter):
    """Replace known secrets, URL passwords and anything shaped like a bot token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return ``text`` with the secrets replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = _URL_PASSWORD.sub(rf"\1:{REDACTED}@", text)
        return _TELEGRAM_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the record once, redacted, so arguments and tracebacks cannot leak."""
        message = self.redact(record.getMessage())
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            message = f"{message}\n{self.redact(formatted)}"
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = message, None
        return True


class OneLineReconnects(logging.Filter):
    """Log discord.py's "Attempting a reconnect" as one line naming the error, not a traceback.

    discord.py logs each gateway reconnect attempt with the whole traceback of what dropped
    the connection; an outage of a few minutes would fill the log with them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Fold the exception of a reconnect record into its message."""
        if record.exc_info and str(record.msg).startswith("Attempting a reconnect"):
            error = record.exc_info[1]
            reason = f"{type(error).__name__}: {error}".splitlines()[0]
            record.msg = f"Discord gateway connection lost ({reason}); {record.getMessage()}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` without secrets, URL passwords or token-shaped strings."""
    return RedactSecrets(secrets).redact(text)


def configure_logging(secrets: Iterable[str] = (), level: int = logging.INFO) -> RedactSecrets:
    """Log to stderr through a redacting filter on every root handler and install the hooks."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    # httpx logs every request URL, and a Bot API URL carries the token; the others log a
    # line per scheduler run or gateway event, which would fill an idle bot's log.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    reconnects = logging.getLogger(DISCORD_RECONNECTS)
    if not any(isinstance(f, OneLineReconnects) for f in reconnects.filters):
        reconnects.addFilter(OneLineReconnects())
    install_exception_hooks(redactor)
    return redactor


def install_exception_hooks(redactor: RedactSecrets) -> None:
    """Print uncaught exceptions (main thread, threads) redacted."""

    def excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(redactor.redact(text))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def redact_loop_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Log what an asyncio task or callback left uncaught through the redacting handlers."""
    log = logging.getLogger("asyncio")

    def handler(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        log.error(context.get("message", "unhandled error in the event loop"), exc_info=exc)

    loop.set_exception_handler(handler)
