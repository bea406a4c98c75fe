"""A part in flight: recorded in the delivery log right before the request carrying it leaves.

Telegram takes no idempotency key, so a worker that dies after its request left and before
the answer came cannot know whether the chat got the part. The chat's delivery marks the part
in flight first (``ClaimedChat`` installs the mark here), the platform's transport calls
``before_request`` after its pacing wait, just before writing the request, and the answer
clears the mark. A worker resuming a dead worker's chat skips a part still marked: at most
once for that one uncertain part, whose only loss window is between the mark's commit and the
request's write. An answer refusing the request (a 429, a 400) proves the part did not arrive:
the transport calls ``not_delivered`` at once, so a crash while it waits to retry resends the
part instead of skipping it. A send that failed in-process clears the mark and is retried.

A platform that takes an idempotency key (Discord's message nonce) sends ``idempotency_key()``
with the request: a resumed worker may then resend the part in flight under the same key,
and the platform returns the message it already has instead of posting it again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

Mark = Callable[[], Awaitable[None]]

_marks: ContextVar[tuple[Mark, Mark] | None] = ContextVar("part_in_flight_marks", default=None)
_keys: ContextVar[str | None] = ContextVar("part_idempotency_key", default=None)


@contextlib.contextmanager
def marking(mark: Mark, unmark: Mark, key: str | None = None) -> Iterator[None]:
    """Run the block with ``mark``/``unmark`` as what ``before_request``/``not_delivered`` await.

    ``key`` identifies the part for a platform that deduplicates by an idempotency key.
    """
    tokens = _marks.set((mark, unmark)), _keys.set(key)
    try:
        yield
    finally:
        _marks.reset(tokens[0])
        _keys.reset(tokens[1])


def idempotency_key() -> str | None:
    """Return the key of the part being delivered (None outside a delivery)."""
    return _keys.get()


async def before_request() -> None:
    """Mark the part being delivered in flight; a transport awaits this before each request.

    Outside a delivery (a command's answer, getUpdates) it does nothing. It raises ClaimLost
    when another worker took the chat over: the request must not leave.
    """
    marks = _marks.get()
    if marks is not None:
        await marks[0]()


async def not_delivered() -> None:
    """Clear the mark: the answer proves the request did not deliver the part (429, 400 …).

    Outside a delivery it does nothing. It raises ClaimLost when another worker took the chat.
    """
    marks = _marks.get()
    if marks is not None:
        await marks[1]()
