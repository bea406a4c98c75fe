"""Tokens never reach the logs."""

from __future__ import annotations

import logging
import sys

from bot.logs import (
    DISCORD_RECONNECTS,
    REDACTED,
    RedactSecrets,
    configure_logging,
    install_exception_hooks,
    redact,
)

TOKEN = "987654321:AAH-secret_token_value_0123456789abcdef"


def test_tokens_are_redacted_from_messages_args_and_tracebacks() -> None:
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    logger = logging.getLogger("test.redaction")
    handler = Keep()
    handler.addFilter(RedactSecrets(["my-other-secret"]))
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        logger.warning("key my-other-secret")
        try:
            raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(records)
    assert TOKEN not in text and "my-other-secret" not in text
    assert text.count(REDACTED) == 3


def test_urls_lose_their_password() -> None:
    text = redact("postgresql+psycopg://bot:s3cret@db:5432/market failed")
    assert text == f"postgresql+psycopg://bot:{REDACTED}@db:5432/market failed"


def test_uncaught_exceptions_are_printed_redacted(capsys) -> None:
    before = sys.excepthook
    try:
        install_exception_hooks(RedactSecrets())
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = before
    err = capsys.readouterr().err
    assert TOKEN not in err and REDACTED in err and "RuntimeError" in err


def test_a_discord_reconnect_attempt_is_one_line_naming_the_error() -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger = logging.getLogger(DISCORD_RECONNECTS)
    handler = Keep()
    logger.addHandler(handler)
    configure_logging()
    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError:
            # What discord.py's Client.connect logs before each reconnect attempt.
            logger.exception("Attempting a reconnect in %.2fs", 1.5)
        try:
            raise ValueError("not a reconnect")
        except ValueError:
            logger.exception("something else")  # other records keep their traceback
    finally:
        logger.removeHandler(handler)
    assert lines[0] == (
        "Discord gateway connection lost (ConnectionResetError: [Errno 104] Connection reset "
        "by peer); Attempting a reconnect in 1.50s"
    )
    assert "Traceback" in lines[1]
