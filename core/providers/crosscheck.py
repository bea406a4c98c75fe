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

from core.i18n import N_
from core.phrase import Phrase, say, verbatim
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
                        NoteKind.DISAGREEMENT,
                        say("%(name)s: %(message)s", name=inst.display_name, message=message),
                        inst.market,
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
    message = say(
        "%(name)s: %(source)s dates its quote %(day)s, after today (%(today)s) in %(market)s "
        "time; quote left out.",
        name=inst.display_name,
        source=verbatim(q.source),
        day=str(q.session_date),
        today=str(today),
        market=inst.market,
    )
    return SnapshotNote(NoteKind.DATA_QUALITY, message, inst.market)


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


def _apart(message: str, figures: tuple[str, str, str, float], sources: dict) -> Phrase:
    a, b, apart, tolerance = figures
    return say(message, a=a, b=b, apart=apart, tolerance=f"{tolerance:g}", **sources)


def disagreement(primary: Quote, other: Quote, settings: ProviderSettings) -> str | None:
    """Return why two quotes of one instrument disagree, or None when they agree."""
    sources = {"used": verbatim(primary.source), "other": verbatim(other.source)}
    # Crypto trades around the clock: its sources' dates differ with their as-of times.
    if isinstance(primary, IndexQuote) and primary.session_date != other.session_date:
        return say(
            "%(used)s has the %(day)s session, %(other)s the %(other_day)s one; using %(used)s.",
            day=str(primary.session_date),
            other_day=str(other.session_date),
            **sources,
        )
    sources["day"] = str(primary.session_date)
    a, b = _price(primary), _price(other)
    if a is not None and b is not None and b != 0:
        apart_pct = abs(a / b - 1.0) * 100.0
        if apart_pct > settings.tolerance_pct:
            message = N_(
                "%(used)s %(a)s vs %(other)s %(b)s on %(day)s, %(apart)s %% apart (tolerance "
                "%(tolerance)s %%); using %(used)s."
            )
            figures = (f"{a:,.2f}", f"{b:,.2f}", f"{apart_pct:.2f}", settings.tolerance_pct)
            return _apart(message, figures, sources)
    if isinstance(primary, IndexQuote) and isinstance(other, IndexQuote):
        # Same close but a different change means a different previous close (a session
        # counted twice or skipped): the change the report shows is then in doubt.
        x, y = primary.change_pct, other.change_pct
        if x is not None and y is not None and abs(x - y) > settings.change_tolerance_pp:
            message = N_(
                "%(used)s %(a)s %% vs %(other)s %(b)s %% change on %(day)s, %(apart)s points "
                "apart (tolerance %(tolerance)s); using %(used)s."
            )
            figures = (f"{x:+.2f}", f"{y:+.2f}", f"{abs(x - y):.2f}", settings.change_tolerance_pp)
            return _apart(message, figures, sources)
    return None
