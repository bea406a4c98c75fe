"""The phrase builders every section uses, so each sentence cites its figures the same way.

One name per phrase: a session (``session Fri 2026-03-20``, ``24 h to …``), a move
(``HSI -2.02%``, ``BTC fell 1.71%``), a market summary, a signal rule, and the standard
sentence for a missing input.
"""

from __future__ import annotations

from datetime import date

from core.analysis.facts import BreadthFacts, Facts
from core.analysis.signals import Divergence, InstrumentMove, MarketMove, Signal, signal_bounds
from core.formatting import bps, compact_money, count, missing, session_label, signed_pct
from core.i18n import N_, Language
from core.instruments import round_the_clock
from core.phrase import Phrase, figure, listing, say, sentences
from core.settings import AnalysisSettings, SignalThresholds

# Labels used in Section.missing, so every builder names a missing input the same way.
BREADTH_LABEL = N_("A-share breadth")
STABLECOIN_LABEL = N_("Stablecoin supply")
NORTHBOUND_LABEL = N_("Northbound flow")
DEFI_LABEL = N_("DeFi TVL")
# Signal and level names as prose quotes them (lower case); tables use the capitalised label.
SIGNAL_WORDS = (
    N_("strong risk-on"),
    N_("risk-on"),
    N_("neutral"),
    N_("risk-off"),
    N_("strong risk-off"),
    N_("no data"),
    N_("unknown"),
)


def day(session_date: date | None) -> Phrase:
    """Return a session date as the language writes it: ``Fri 2026-03-20``."""
    return figure(session_label, session_date)


def session_tag(session_date: date | None, report_date: date) -> Phrase:
    """Return ``session Fri 2026-03-20``, or ``last session …`` when older than the report."""
    if session_date is None:
        return say("session unknown")
    if session_date == report_date:
        return say("session %(day)s", day=day(session_date))
    return say("last session %(day)s", day=day(session_date))


def window_tag(session_date: date | None) -> Phrase:
    """Return the 24 h window of a round-the-clock move: ``24 h to Fri 2026-03-20``."""
    if session_date is None:
        return say("24 h, date unknown")
    return say("24 h to %(day)s", day=day(session_date))


def when(move: InstrumentMove | MarketMove, report_date: date) -> Phrase:
    """Return ``session Fri 2026-03-20``, ``last session …`` or ``24 h to …`` for a move."""
    if round_the_clock(move.market):
        return window_tag(move.session_date)
    return session_tag(move.session_date, report_date)


def leg_session(move: InstrumentMove) -> Phrase:
    """Return the session a move belongs to: ``Fri 2026-03-20`` or ``24 h to Fri 2026-03-20``."""
    if round_the_clock(move.market):
        return window_tag(move.session_date)
    return day(move.session_date) if move.session_date else say("session unknown")


def market_label(move: MarketMove, report_date: date) -> Phrase:
    """Return ``Hong Kong (session Fri 2026-03-20)`` for a market and its session."""
    return say("%(market)s (%(when)s)", market=move.name, when=when(move, report_date))


def move_text(move: InstrumentMove) -> Phrase:
    """Return ``HSI -2.02%`` (or ``HSI n/a``)."""
    return say("%(name)s %(change)s", name=move.display_name, change=change_text(move.change_pct))


def change_text(value: float | None) -> Phrase:
    """Return a signed percent, or the language's word for a missing figure."""
    return figure(lambda v, lang: signed_pct(v) if v is not None else missing(lang), value)


def moves_text(moves: tuple[InstrumentMove, ...]) -> Phrase:
    """Return ``DJIA +0.65%, Nasdaq +0.44%`` for the known moves."""
    return listing(move_text(m) for m in moves if m.known)


def dated_move(move: InstrumentMove, report_date: date) -> Phrase:
    """Return ``HSI -2.02% (session Fri 2026-03-20)``."""
    return say("%(move)s (%(when)s)", move=move_text(move), when=when(move, report_date))


def market_moves(mm: MarketMove, report_date: date) -> Phrase:
    """Return the known moves of a market, each dated when its quotes span sessions."""
    if len(mm.session_dates) > 1:
        return listing(dated_move(m, report_date) for m in mm.known_moves)
    return moves_text(mm.known_moves)


def signal_word(signal: Signal) -> str:
    """Return the signal as a capitalised label: ``Risk-off``."""
    return signal.value[:1].upper() + signal.value[1:]


def signal_rule(market: str, thresholds: SignalThresholds) -> Phrase:
    """Return the thresholds behind a market's signal: ``risk-on/off from ±0.30%, strong …``."""
    on, strong = signal_bounds(market, thresholds)
    return say(
        "risk-on/off from ±%(on)s, strong from ±%(strong)s",
        on=f"{on:.2f}%",
        strong=f"{strong:.2f}%",
    )


def breadth_text(b: BreadthFacts, report_date: date) -> Phrase:
    """Return ``257 up / 2,075 down, advance rate 11.0% (session Fri 2026-03-20)``."""
    values = {
        "up": count(b.up),
        "down": count(b.down),
        "rate": f"{b.advance_rate_pct:.1f}%",
        "when": session_tag(b.session_date, report_date),
    }
    if b.flat is None:
        return say("%(up)s up / %(down)s down, advance rate %(rate)s (%(when)s)", **values)
    return say(
        "%(up)s up / %(down)s down / %(flat)s flat, advance rate %(rate)s (%(when)s)",
        flat=count(b.flat),
        **values,
    )


def money(value: float | None, symbol: str = "$", *, signed: bool = False) -> Phrase:
    """Return an amount as the language writes it: ``$1.20B``, ``12.00 亿美元``."""
    return figure(compact_money, value, symbol, signed=signed)


def stablecoin_text(facts: Facts) -> Phrase:
    """Return ``net -$1.20B over 1 day (USDT -0.44%, USDC -0.46%; DAI +0.28% not counted)``."""
    sc = facts.stablecoins
    if sc is None or sc.net_change_usd is None:
        return say("net change unknown")
    counted = [c for c in sc.coins if c.symbol in sc.counted]
    others = [c for c in sc.coins if c.symbol not in sc.counted and c.change_pct is not None]
    parts: Phrase = listing(f"{c.symbol} {signed_pct(c.change_pct)}" for c in counted)
    if others:
        skipped = listing(f"{c.symbol} {signed_pct(c.change_pct)}" for c in others)
        parts = say(
            "%(counted)s; %(skipped)s not counted, no USD level", counted=parts, skipped=skipped
        )
    stamps = [c.as_of for c in counted if c.as_of is not None]
    net = money(sc.net_change_usd, signed=True)
    if stamps:
        return say(
            "net %(net)s over 1 day to %(day)s (%(parts)s)",
            net=net,
            day=day(max(stamps).date()),
            parts=parts,
        )
    return say("net %(net)s over 1 day (%(parts)s)", net=net, parts=parts)


def legs_relation(div: Divergence, facts: Facts) -> str:
    """Return how a spread's legs relate in time: same, concurrent, a_first, b_first, apart."""
    if div.a.market == div.b.market and div.same_session:
        return "same"
    return facts.timeline.relation(div.a.market, div.b.market)


def legs_timing(div: Divergence, facts: Facts) -> Phrase | str:
    """Return a sentence on when a spread's legs traded (empty for one shared session)."""
    rd = facts.report_date
    a, b = (div.a, div.b)
    relation = legs_relation(div, facts)
    if relation == "same" or (relation == "concurrent" and div.same_session):
        return ""
    if relation == "concurrent":
        return say(
            "The legs' periods overlap in time (%(a)s vs %(b)s).", a=when(a, rd), b=when(b, rd)
        )
    if relation in ("a_first", "b_first"):
        first, then = (a, b) if relation == "a_first" else (b, a)
        return say(
            "%(a)s (%(a_when)s) closed before %(b)s (%(b_when)s) opened: a lead-lag gap, not a "
            "same-session spread.",
            **_legs(first, then, rd),
        )
    return say(
        "The legs come from sessions that neither overlap nor follow one another (%(a)s "
        "%(a_when)s, %(b)s %(b_when)s): the spread mixes different days and is no lead-lag "
        "either.",
        **_legs(a, b, rd),
    )


def _legs(a: InstrumentMove, b: InstrumentMove, report_date: date) -> dict[str, object]:
    return {
        "a": a.display_name,
        "a_when": when(a, report_date),
        "b": b.display_name,
        "b_when": when(b, report_date),
    }


def missing_text(what: object, reason: object = None) -> Phrase:
    """Return the standard sentence for a missing input."""
    if reason:
        return say(
            "%(what)s: not available in this snapshot (%(reason)s).", what=what, reason=reason
        )
    return say("%(what)s: not available in this snapshot.", what=what)


def missing_markets(facts: Facts, keys: tuple[str, ...] = ()) -> list[str]:
    """Return the missing-data names of markets (all, or ``keys``) lacking some or all figures."""
    out = []
    for key, mm in facts.markets.items():
        if keys and key not in keys:
            continue
        if not mm.known_moves:
            out.append(say("%(market)s figures", market=mm.name))
        elif mm.missing:
            out.extend(mm.missing)
    return out


def missing_breadth(facts: Facts) -> list[str]:
    """Return the missing-data name of A-share breadth, if it is missing."""
    return [] if facts.breadth is not None else [BREADTH_LABEL]


def missing_stablecoins(facts: Facts) -> list[str]:
    """Return the missing-data name of the stablecoin net change, if it is unknown."""
    if facts.stablecoins is None or facts.stablecoins.net_change_usd is None:
        return [STABLECOIN_LABEL]
    return []


def missing_northbound(facts: Facts) -> list[str]:
    """Return the missing-data name of northbound net buying, if it is unknown."""
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is not None:
        return []
    if nb is not None and nb.turnover_cny is not None:
        # Only the direction is missing: the turnover is in the A-share section.
        return [N_("Northbound net buying")]
    return [NORTHBOUND_LABEL]


def missing_defi(facts: Facts) -> list[str]:
    """Return the missing-data name of DeFi TVL, if protocols were not obtained."""
    return [] if facts.defi is not None else [DEFI_LABEL]


def _threshold(value: float, lang: Language) -> str:
    # The English legend says "in bps" once; Chinese names its unit with each figure.
    return bps(value, signed=False, lang=lang) if lang is Language.ZH else f"{value:.0f}"


def legend(settings: AnalysisSettings, *, history: bool = False) -> Phrase:
    """Return every threshold the report applies, stated once."""
    div, risk = settings.divergence, settings.risk
    signals = say(
        "Signals (market mean): equities %(equities)s; crypto %(crypto)s.",
        equities=signal_rule("US", settings.signal),
        crypto=signal_rule("CRYPTO", settings.signal),
    )
    values = {
        "notable": figure(_threshold, div.notable_bps),
        "major": figure(_threshold, div.major_bps),
    }
    if history:
        spread = say(
            "Spread A − B in bps: notable from %(notable)s, major from %(major)s; z over "
            "%(window)s sessions.",
            window=settings.history.window_sessions,
            **values,
        )
    else:
        spread = say(
            "Spread A − B in bps: notable from %(notable)s, major from %(major)s.", **values
        )
    rest = say(
        "Risk probability: Medium from %(medium)s evidence points, High from %(high)s. Ideas "
        "are conditional, not targets.",
        medium=risk.medium_score,
        high=risk.high_score,
    )
    return sentences(signals, spread, rest)
