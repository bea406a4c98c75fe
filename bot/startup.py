"""Startup that waits out an unreachable dependency: retries with backoff, one line per attempt."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.clock import Clock
from core.errors import Unreachable

log = logging.getLogger(__name__)

T = TypeVar("T")
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 30.0
DEFAULT_ATTEMPTS = 8  # about two minutes of waiting in all


async def with_retries(
    what: str,
    attempt: Callable[[], Awaitable[T]],
    retryable: tuple[type[BaseException], ...],
    clock: Clock,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
) -> T:
    """Return ``attempt()``, retrying a ``retryable`` failure with doubling waits.

    Each failed attempt is one log line naming ``what``, the error's type and the wait; any
    other exception passes at once. Raise Unreachable (naming ``what`` and the last error)
    after ``attempts`` failures.
    """
    wait_s = FIRST_WAIT_S
    for number in range(1, attempts + 1):
        try:
            return await attempt()
        except retryable as exc:
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            if number == attempts:
                raise Unreachable(
                    f"{what} unreachable after {attempts} attempts ({reason})"
                ) from exc
            log.warning(
                "%s unreachable (%s); attempt %d of %d, retrying in %.0f s",
                what,
                reason,
                number,
                attempts,
                wait_s,
            )
            await clock.sleep(wait_s)
            wait_s = min(wait_s * 2, MAX_WAIT_S)
    raise AssertionError("unreachable")  # pragma: no cover
