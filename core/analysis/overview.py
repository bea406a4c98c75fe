"""The typed overview a Report carries besides its prose: each market's moves and the spreads."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.signals import MarketMove
from core.analysis.wording import signal_word, when
from core.report import MarketSession, Move, Spread, Tone


def _tone(move: MarketMove) -> Tone:
    sign = move.signal.sign
    return {1: Tone.UP, -1: Tone.DOWN}.get(sign, Tone.NEUTRAL)


def market_sessions(facts: Facts) -> tuple[MarketSession, ...]:
    """Return each market's session, moves, mean change and signal, by session close."""
    spans = {s.market: s for s in facts.timeline.spans}
    return tuple(
        MarketSession(
            m.market,
            m.name,
            m.session_date,
            m.sources,
            moves=tuple(Move(i.display_name, i.change_pct) for i in m.moves),
            mean_change_pct=m.mean_change_pct,
            signal=signal_word(m.signal),
            signal_tone=_tone(m),
            period=when(m, facts.report_date) if m.session_date else None,
            open_utc=spans[m.market].open_utc,
            close_utc=spans[m.market].close_utc,
            older=spans[m.market].older,
        )
        for m in (facts.markets[k] for k in facts.timeline.order)
    )


def spreads(facts: Facts) -> tuple[Spread, ...]:
    """Return the configured pairs' spreads in configuration order."""
    return tuple(
        Spread(
            d.a.display_name,
            d.b.display_name,
            d.spread_bps,
            d.level.value,
            same_session=d.same_session,
        )
        for d in facts.divergences
    )
