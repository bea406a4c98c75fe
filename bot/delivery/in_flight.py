"""A part in flight: recorded in the delivery log right before the request carrying it leaves.

Telegram takes no idempotency key, so a worker that dies after its request left and before
the answer came cannot know whether the chat got the part. The chat's delivery marks the part
in flight first (``ClaimedChat`` installs the mark here), the platform's transport calls
``before_request`` after its pacing wait, just before writing the request, and the answer
clears the mark. A worker resuming a dead worker's chat skips a part still marked: at most
once for that one uncertain part, whose only loss window is between the mark's commit and the
request's write. A send that failed in-process clears the mark and is retried as usual.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

Mark = Callable[[], Awaitable[None]]

_mark: ContextVar[Mark | None] = ContextVar("part_in_flight_mark", default=None)


@contextlib.contextmanager
def marking(mark: Mark) -> Iterator[None]:
    """Run the block with ``mark`` as what ``before_request`` awaits (in this task only)."""
    token = _mark.set(mark)
    try:
        yield
    finally:
        _mark.reset(token)


async def before_request() -> None:
    """Mark the part being delivered in flight; a transport awaits this before each request.

    Outside a delivery (a command's answer, getUpdates) it does nothing. It raises ClaimLost
    when another worker took the chat over: the request must not leave.
    """
    mark = _mark.get()
    if mark is not None:
        await mark()
