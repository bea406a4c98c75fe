"""Pace Bot API sends evenly under Telegram's flood limits; a 429 holds back only its own chat.

PTB's AIORateLimiter lets a leaky bucket release a second's worth of sends at once and, on
every RetryAfter, halts all requests while its bucket keeps handing out slots; the held
requests then leave together when the halt ends, and that burst earns the next 429s. Here
chat sends leave one slot apart at a little under the overall limit, a group also waits for
room in its own per-minute window, and a RetryAfter delays only the request that got it.
Only 429s from several chats within a second — the overall limit, e.g. another process on
the same token — pause everybody, by moving the next free slot instead of releasing the
slots already handed out all at once afterwards.

A slot goes to the waiting send of highest ``Priority`` (then the one that asked first) when it
comes, not when the send asks: the first message answering a user's command leaves at the next
slot even while other chats' photos and digests are queued, which would otherwise put a
second or more of sends in front of it.

With a ``budget`` the overall slots come from a send budget shared by every instance using
the same token (in the database, or in Redis: ``bot/budgets.py``): together they keep to the
one limit Telegram applies per token, each instance still keeping its own groups' windows
and 429 handling.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import warnings
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from enum import IntEnum
from typing import Any, Protocol

from telegram.constants import FloodLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.budgets import SlotStore
from bot.delivery.in_flight import before_request, not_delivered
from core.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)

# Sends leave the client on time but reach Telegram with network jitter; pacing at exactly the
# limit would leave the server's one-second window no slack for a send that arrives early.
DEFAULT_PACE_FRACTION = 0.98
RETRY_MARGIN_S = 0.1
FLOOD_CHATS = 5
FLOOD_WINDOW_S = 1.0
MAX_GROUP_WINDOWS = 512
# A timer may fire a hair before its time; a waiter woken that close to its slot takes it.
EARLY_WAKE_S = 1e-6

# Answers proving the request was refused, not delivered. A timeout or another network error
# may come after Telegram took the message: the part stays in flight (at most once).
_REFUSALS = (RetryAfter, BadRequest, Forbidden, ChatMigrated)

Callback = Callable[..., Coroutine[Any, Any, Any]]


class Priority(IntEnum):
    """Which waiting send takes the next slot: the lowest value, then the earliest asked."""

    # No zero: PTB drops a falsy ``rate_limit_args`` on its way to the limiter.
    REPLY = 1  # the first message answering a user's command: what the user waits for
    FOLLOW_UP = 2  # the rest of a reply (its images), and sends that name no priority
    BROADCAST = 3  # scheduled digests: minutes late matters less than a reply 1 s late


class SendBudget(Protocol):
    """Overall send slots shared by several clients of one token (epoch seconds)."""

    async def reserve(self, interval_s: float, earliest_s: float) -> float:
        """Take the next slot at or after ``earliest_s``, ``interval_s`` after the last one."""
        ...


class SharedBudget:
    """A send budget kept under ``key`` (a hash of the token) in the database or Redis."""

    def __init__(self, store: SlotStore, key: str) -> None:
        self.store, self.key = store, key

    async def reserve(self, interval_s: float, earliest_s: float) -> float:
        """Take the next slot of the budget row."""
        return await self.store.reserve_send_slot(self.key, interval_s, earliest_s)


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 warns that the int form will become a timedelta; accept either.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        retry_after = exc.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


class PacedRateLimiter(BaseRateLimiter[Priority]):
    """Space chat sends evenly, keep groups under their per-minute limit, retry on RetryAfter.

    A send's ``rate_limit_args`` is its ``Priority`` (``FOLLOW_UP`` when none is given).
    """

    def __init__(
        self,
        overall_max_rate: float = FloodLimit.MESSAGES_PER_SECOND,
        *,
        pace_fraction: float = DEFAULT_PACE_FRACTION,
        group_max_rate: int = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        group_time_period: float = 60.0,
        max_retries: int = 3,
        flood_chats: int = FLOOD_CHATS,
        clock: Clock = SYSTEM_CLOCK,
        budget: SendBudget | None = None,
    ) -> None:
        if overall_max_rate <= 0 or not 0 < pace_fraction <= 1:
            raise ValueError("overall_max_rate must be positive and pace_fraction in (0, 1]")
        self.interval_s = 1.0 / (overall_max_rate * pace_fraction)
        self.min_gap_s = 1.0 / overall_max_rate  # between two sends leaving, whatever is late
        self.group_max_rate = group_max_rate
        self.group_time_period = group_time_period
        self.max_retries = max_retries
        self.flood_chats = flood_chats
        self._clock = clock
        self._budget = budget
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._last_left = float("-inf")
        self._groups: dict[int | str, deque[float]] = {}
        # Group sends waiting for a slot count against their window already, so a group
        # never has more sends in the queue than its window has room for.
        self._queued_in_group: Counter[int | str] = Counter()
        self._queue: list[tuple[int, int]] = []  # (priority, ticket), kept sorted
        self._tickets = itertools.count()
        self._recent_429: deque[tuple[float, object]] = deque()

    async def initialize(self) -> None:
        """Do nothing; the limiter holds no resources."""

    async def shutdown(self) -> None:
        """Do nothing; the limiter holds no resources."""

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Any:
        """Run the request in its turn; on RetryAfter wait as told and retry it."""
        priority = Priority.FOLLOW_UP if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        if data.get("allow_paid_broadcast"):
            chat_id = None  # paid broadcasts have their own, much higher limit
        group = _group_of(chat_id)
        for attempt in range(self.max_retries + 1):
            if chat_id is not None:
                await self._turn(group, priority)
            # The wait is over and the request leaves now: a digest part is marked in flight.
            # Nothing waits between the mark and the request (not even to re-space sends a
            # slow commit bunched): a part marked but not yet written is what a kill -9 loses.
            await before_request()
            try:
                return await callback(*args, **kwargs)
            except TelegramError as exc:
                if isinstance(exc, _REFUSALS):
                    # Telegram answered and refused it: the part did not arrive, so a crash
                    # before the retry (or the text form) leaves must resend it, not skip it.
                    await not_delivered()
                if not isinstance(exc, RetryAfter):
                    raise
                if attempt == self.max_retries:
                    log.warning(
                        "flood limit: giving up on chat %s after %d retries", chat_id, attempt
                    )
                    raise
                wait_s = _seconds(exc) + RETRY_MARGIN_S
                self._note_429(chat_id, wait_s)
                log.info("flood limit on chat %s: retrying in %.1f s", chat_id, wait_s)
                await self._clock.sleep(wait_s)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _turn(self, group: int | str | None, priority: Priority) -> None:
        if group is not None:
            await self._group_room(group)
            self._queued_in_group[group] += 1
        entry = (int(priority), next(self._tickets))
        bisect.insort(self._queue, entry)
        try:
            slot = await self._wait_first_in_line(entry)
        finally:
            self._queue.remove(entry)
            if group is not None:
                self._queued_in_group[group] -= 1
                if not self._queued_in_group[group]:
                    del self._queued_in_group[group]
        self._next_slot = slot + self.interval_s
        if self._budget is not None:
            slot = await self._shared_slot(slot)
        if group is not None:
            self._groups.setdefault(group, deque()).append(slot)
        await self._clock.sleep(slot - self._clock.monotonic())
        self._last_left = self._clock.monotonic()

    async def _wait_first_in_line(self, entry: tuple[int, int]) -> float:
        """Sleep until ``entry`` is first in line when a slot is free; return that slot."""
        while True:
            now = self._clock.monotonic()
            # A waiter woken late (a busy loop, a timer firing late) still takes the slot it
            # waited for, not "now": late wakes would otherwise add up, send after send, to a
            # rate well under the pace. It catches up at most to the limit itself (min_gap_s
            # after the last send), so no second ever holds more than the limit; after an
            # idle spell the line starts again from now.
            free = max(self._next_slot, self._paused_until)
            if free < now - self.interval_s:
                free = now
            free = max(free, self._last_left + self.min_gap_s)
            # With a shared budget the first in line leaves the line one interval early, so its
            # round trip to the budget runs while the send before it waits for its own slot
            # instead of delaying every send by that round trip.
            lead = self.interval_s if self._budget is not None else 0.0
            ahead = self._queue.index(entry)
            if not ahead and free - now <= lead + EARLY_WAKE_S:
                return free
            # Wake when this entry's turn would come if nobody jumps the line; one that does
            # (a reply) only makes the wake early, and the entry sleeps again.
            await self._clock.sleep(free - lead - now + ahead * self.interval_s)

    async def _shared_slot(self, local_slot: float) -> float:
        """Take the budget's next slot at or after ``local_slot``; return it on this clock."""
        assert self._budget is not None
        now = self._clock.monotonic()
        earliest_s = self._clock.now_utc().timestamp() + (local_slot - now)
        slot_s = await self._budget.reserve(self.interval_s, earliest_s)
        slot = self._clock.monotonic() + max(0.0, slot_s - self._clock.now_utc().timestamp())
        # The next local send waits for this one's shared slot: an instance holds at most one
        # slot ahead in the budget, so its own line (and a reply's place in it) decides the order.
        self._next_slot = max(self._next_slot, slot)
        return slot

    async def _group_room(self, group: int | str) -> None:
        if len(self._groups) > MAX_GROUP_WINDOWS:
            self._forget_idle_groups(self._clock.monotonic())
        while True:
            window = self._groups.setdefault(group, deque())
            now = self._clock.monotonic()
            while window and now - window[0] >= self.group_time_period:
                window.popleft()
            if len(window) + self._queued_in_group[group] < self.group_max_rate:
                return
            if not window:
                # The window is full of sends still in line: wait for the next to leave.
                await self._clock.sleep(self.interval_s)
                continue
            await self._clock.sleep(window[0] + self.group_time_period - now)

    def _note_429(self, chat_id: object, wait_s: float) -> None:
        now = self._clock.monotonic()
        recent = self._recent_429
        recent.append((now, chat_id))
        while recent and now - recent[0][0] > FLOOD_WINDOW_S:
            recent.popleft()
        if len({chat for _, chat in recent}) >= self.flood_chats:
            self._paused_until = max(self._paused_until, now + wait_s)
            recent.clear()
            log.warning("flood limit hit by several chats: pausing all sends for %.1f s", wait_s)

    def _forget_idle_groups(self, now: float) -> None:
        idle = [
            g for g, w in self._groups.items() if not w or now - w[-1] >= self.group_time_period
        ]
        for group in idle:
            del self._groups[group]


def _group_of(chat_id: object) -> int | str | None:
    """Return the chat id if it names a group or channel (negative id or @username)."""
    if chat_id is None:
        return None
    text = str(chat_id)
    if text.lstrip("-").isdigit():
        return int(text) if int(text) < 0 else None
    return text
