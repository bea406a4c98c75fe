"""Pick each instrument's quote among its sources, and cross-check the sources against it.

For an index the latest session wins, then a fresh figure over a last good one, then the
configured order; for crypto (no sessions) freshness, then the order. Every other source of
the same instrument is compared with the chosen one: a different session, a close (or price)
more than ``tolerance_pct`` apart, or a change more than ``change_tolerance_pp`` points apart
becomes a DISAGREEMENT note naming both sources.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from core.providers.base import FetchContext
from core.providers.health import base_source
from core.settings import ProviderSettings
from core.snapshot import CryptoQuote, IndexQuote, NoteKind, SnapshotNote

Quote = IndexQuote | CryptoQuote


def _rank(order: tuple[str, ...], source: str) -> int:
    name = base_source(source)
    return order.index(name) if name in order else len(order)


def resolve(quotes: list[Quote], ctx: FetchContext) -> tuple[list[Quote], list[SnapshotNote]]:
    """Return the chosen quote of each instrument, and notes where its sources disagree."""
    by_instrument: dict[str, list[Quote]] = defaultdict(list)
    notes: list[SnapshotNote] = []
    for q in quotes:
        future = _after_today(q, ctx)
        if future is None:
            by_instrument[q.instrument].append(q)
        else:
            notes.append(future)
    chosen: list[Quote] = []
    for key in [i.key for i in ctx.instruments if i.key in by_instrument]:
        inst = ctx.instruments.get(key)
        order = ctx.settings.order_for(inst.market)
        ranked = sorted(by_instrument[key], key=lambda q: _rank(order, q.source))
        # A lagging primary is as good as a failed one: the latest session wins, then (crypto)
        # a rolling 24 h change over a daily bar's price, then a fresh figure over a last good
        # one, then priority (max keeps the first of equals).
        primary = max(ranked, key=lambda q: (_session(q), _rolling(q), _is_fresh(q, ctx)))
        chosen.append(primary)
        for other in (q for q in ranked if q is not primary):
            message = disagreement(primary, other, ctx.settings)
            if message:
                notes.append(
                    SnapshotNote(
                        NoteKind.DISAGREEMENT, f"{inst.display_name}: {message}", inst.market
                    )
                )
    return chosen, notes


def _after_today(q: Quote, ctx: FetchContext) -> SnapshotNote | None:
    """Return a note leaving out a quote dated after today in its market (a wrong clock)."""
    inst = ctx.instruments.get(q.instrument)
    zone = ZoneInfo(ctx.instruments.markets[inst.market].timezone)
    today = ctx.now.astimezone(zone).date()
    if q.session_date <= today:
        return None
    return SnapshotNote(
        NoteKind.DATA_QUALITY,
        f"{inst.display_name}: {q.source} dates its quote {q.session_date}, after today "
        f"({today}) in {inst.market} time; quote left out.",
        inst.market,
    )


def _session(q: Quote) -> date:
    # Crypto has no sessions; its sources are ranked by freshness and priority alone.
    return q.session_date if isinstance(q, IndexQuote) else date.min


def _rolling(q: Quote) -> bool:
    # Only 24 h tickers carry a crypto change; daily bars give a price and history.
    return isinstance(q, CryptoQuote) and q.change_24h_pct is not None


def _is_fresh(q: Quote, ctx: FetchContext) -> bool:
    # Last good figures keep the time they were fetched, before this build.
    return q.fetched_at is None or q.fetched_at >= ctx.now


def _price(q: Quote) -> float | None:
    return q.close if isinstance(q, IndexQuote) else q.price_usd


def disagreement(primary: Quote, other: Quote, settings: ProviderSettings) -> str | None:
    """Return why two quotes of one instrument disagree, or None when they agree."""
    use = f"using {primary.source}."
    # Crypto trades around the clock: its sources' dates differ with their as-of times.
    if isinstance(primary, IndexQuote) and primary.session_date != other.session_date:
        return (
            f"{primary.source} has the {primary.session_date} session, {other.source} "
            f"the {other.session_date} one; {use}"
        )
    a, b = _price(primary), _price(other)
    if a is not None and b is not None and b != 0:
        apart_pct = abs(a / b - 1.0) * 100.0
        if apart_pct > settings.tolerance_pct:
            return (
                f"{primary.source} {a:,.2f} vs {other.source} {b:,.2f} on "
                f"{primary.session_date}, {apart_pct:.2f} % apart "
                f"(tolerance {settings.tolerance_pct:g} %); {use}"
            )
    if isinstance(primary, IndexQuote) and isinstance(other, IndexQuote):
        # Same close but a different change means a different previous close (a session
        # counted twice or skipped): the change the report shows is then in doubt.
        x, y = primary.change_pct, other.change_pct
        if x is not None and y is not None and abs(x - y) > settings.change_tolerance_pp:
            return (
                f"{primary.source} {x:+.2f} % vs {other.source} {y:+.2f} % change on "
                f"{primary.session_date}, {abs(x - y):.2f} points apart "
                f"(tolerance {settings.change_tolerance_pp:g}); {use}"
            )
    return None
