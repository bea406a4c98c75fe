"""The daily broadcast: due subscriptions, one render per platform, claim → send part → record.

Platform-neutral. A chat adapter supplies a Sender whose ``send_part`` raises ChatGone (the
chat blocked or removed the bot), ChatMoved (the chat has a new id), PartRejected (this part
is refused for good; its text form is tried once, else it is skipped with the reason logged),
TokenRejected (the platform stopped accepting the token) and anything else for a failure that
may pass. The delivery log makes each (chat, report date) go out once, across restarts and
processes sharing one database, and records every part sent, so a retry, a restart or another
instance resumes at the first part the chat has not received.
"""

from bot.delivery.broadcaster import (
    BLOCKED,
    DEFAULT_GRACE,
    DEFAULT_RETRY,
    STOP_TIMEOUT_S,
    Broadcaster,
    BroadcastResult,
    TickDone,
    TokenLost,
)
from bot.delivery.claimed import Sender
from bot.delivery.digest import Digest, digest_of

__all__ = [
    "BLOCKED",
    "DEFAULT_GRACE",
    "DEFAULT_RETRY",
    "STOP_TIMEOUT_S",
    "BroadcastResult",
    "Broadcaster",
    "Digest",
    "Sender",
    "TickDone",
    "TokenLost",
    "digest_of",
]
