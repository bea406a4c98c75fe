"""The timeline: each market's latest session as an interval in time, in the order they closed.

A link of the transmission chain only goes from a market whose session had closed to one whose
session opened after it (within the configured window): risk appetite cannot carry over to a
session that was already trading, or had already ended. Crypto's "session" is the rolling 24 h
that ends at the report instant. A market whose figures predate a session it should have had (a
stale quote), or that was closed on a day another market traded through (a holiday there only),
is *older* and is named as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from core.analysis.signals import MarketMove
from core.calendars import is_session, next_session_open, session_bounds
from core.instruments import InstrumentRegistry
from core.settings import TimelineSettings
from core.snapshot import MarketSnapshot

_CRYPTO_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class SessionSpan:
    """One market's latest session: when it opened and closed; ``older`` than the others'."""

    market: str
    open_utc: datetime | None
    close_utc: datetime | None
    older: bool = False

    @property
    def known(self) -> bool:
        """Return True when the session's open and close are known."""
        return self.open_utc is not None and self.close_utc is not None


@dataclass(frozen=True)
class Timeline:
    """Markets' sessions ordered by close, and which session followed which."""

    at: datetime
    spans: tuple[SessionSpan, ...]
    link_window: timedelta
    next_opens: tuple[tuple[str, datetime], ...] = ()

    def next_to_open(self) -> tuple[tuple[str, ...], datetime | None]:
        """Return the market(s) whose next session opens first after the instant, and when."""
        if not self.next_opens:
            return (), None
        first = min(when for _, when in self.next_opens)
        return tuple(k for k, when in self.next_opens if when == first), first

    @property
    def order(self) -> tuple[str, ...]:
        """Return the market keys by session close, markets without figures last."""
        return tuple(s.market for s in self.spans)

    def span(self, market: str) -> SessionSpan:
        """Return one market's span (KeyError if the market is unknown)."""
        for s in self.spans:
            if s.market == market:
                return s
        raise KeyError(market)

    def follows(self, earlier: str, later: str) -> bool:
        """Return True when ``later`` opened after ``earlier`` closed, within the window."""
        a, b = self.span(earlier), self.span(later)
        if not (a.known and b.known):
            return False
        gap = b.open_utc - a.close_utc
        return timedelta(0) <= gap <= self.link_window

    def concurrent(self, a: str, b: str) -> bool:
        """Return True when the two markets' sessions overlapped in time."""
        x, y = self.span(a), self.span(b)
        if not (x.known and y.known):
            return False
        return x.open_utc < y.close_utc and y.open_utc < x.close_utc

    def relation(self, a: str, b: str) -> str:
        """Return how two markets' sessions relate: same, concurrent, a_first, b_first, apart."""
        if a == b:
            return "same"
        if self.concurrent(a, b):
            return "concurrent"
        if self.follows(a, b):
            return "a_first"
        if self.follows(b, a):
            return "b_first"
        return "apart"

    def links(self) -> tuple[tuple[str, str], ...]:
        """Return every (earlier, later) pair where ``later`` followed ``earlier``, by close."""
        return tuple(
            (a, b) for i, b in enumerate(self.order) for a in self.order[:i] if self.follows(a, b)
        )

    def older(self) -> tuple[str, ...]:
        """Return the markets whose session is older than the others'."""
        return tuple(s.market for s in self.spans if s.older)


def _crypto_end(snapshot: MarketSnapshot, at: datetime | None) -> datetime | None:
    """Return when the crypto quotes' 24 h ends: their as-of time, else the end of their UTC day."""
    ends = [
        q.as_of or datetime.combine(q.session_date + timedelta(days=1), time(0), tzinfo=UTC)
        for q in snapshot.crypto
    ]
    if not ends:
        return None
    end = max(ends)
    return min(end, at) if at is not None else end


def _missed(key: str, day: date, registry: InstrumentRegistry, at: datetime) -> list[date]:
    """Return the weekdays after ``day`` whose session time had passed by ``at``."""
    out = []
    day += timedelta(days=1)
    while day.weekday() >= 5 or session_bounds(key, day, registry)[1] <= at:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def _older(moves: dict[str, MarketMove], registry: InstrumentRegistry, at: datetime) -> set[str]:
    """Return the equity markets whose figures are older than the others'.

    A market is older when a session it should have had has closed by ``at`` (a stale quote),
    or when it was closed on a weekday another market traded through (a holiday there only).
    """
    dated = {
        k: m.session_date
        for k, m in moves.items()
        if m.session_date and not registry.markets[k].round_the_clock
    }
    older = set()
    for key, day in dated.items():
        for missed in _missed(key, day, registry, at):
            stale = is_session(key, missed, registry)
            traded = any(
                is_session(k, missed, registry) and other >= missed
                for k, other in dated.items()
                if k != key
            )
            if stale or traded:
                older.add(key)
                break
    return older


def build_timeline(
    snapshot: MarketSnapshot,
    moves: dict[str, MarketMove],
    registry: InstrumentRegistry,
    settings: TimelineSettings,
    at: datetime | None = None,
) -> Timeline:
    """Return the timeline of the markets' latest sessions as seen at ``at``.

    ``at`` is the report instant; without it, the snapshot's build time, else the latest close.
    """
    at = at or snapshot.generated_at
    spans: list[SessionSpan] = []
    for key, move in moves.items():
        if move.session_date is None:
            spans.append(SessionSpan(key, None, None))
        elif registry.markets[key].round_the_clock:
            end = _crypto_end(snapshot, at) or at
            spans.append(SessionSpan(key, end - _CRYPTO_WINDOW, end))
        else:
            opened, closed = session_bounds(key, move.session_date, registry)
            spans.append(SessionSpan(key, opened, closed))
    far = datetime.max.replace(tzinfo=UTC)
    spans.sort(key=lambda s: (s.close_utc or far, s.open_utc or far))
    if at is None:
        at = max((s.close_utc for s in spans if s.close_utc), default=far)
    older = _older(moves, registry, at)
    spans = [replace(s, older=s.market in older) for s in spans]
    opens = tuple(
        (key, next_session_open(key, at, registry))
        for key, market in registry.markets.items()
        if not market.round_the_clock and key in moves and at < far
    )
    return Timeline(at, tuple(spans), timedelta(hours=settings.link_window_hours), opens)
