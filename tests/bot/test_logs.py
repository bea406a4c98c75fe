"""Tokens never reach the logs."""

from __future__ import annotations

import logging

from bot.logs import REDACTED, RedactSecrets

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
