"""Transmission chain in the order the sessions closed: where risk appetite carried or broke.

Only a market whose session had closed before another's opened can have passed anything on;
the timeline (core/analysis/timeline.py) decides which links exist.
"""

from __future__ import annotations

from datetime import datetime

from core.analysis.facts import ChainLink, Facts
from core.analysis.sections.evidence import EQUITY_MARKETS, older_than
from core.analysis.signals import MarketMove
from core.analysis.wording import change_text, day, market_label, missing_text, signal_word
from core.formatting import moment_label
from core.i18n import N_
from core.instruments import round_the_clock
from core.phrase import Phrase, both, figure, listing, say, sentences
from core.report import Paragraph, Section, Table, pct, text
from core.sections import section_info

_LINK_WORDS = {
    "confirms": N_("%(source)s → %(target)s confirms"),
    "breaks": N_("%(source)s → %(target)s breaks"),
    "neutral": N_("%(source)s → %(target)s is neutral"),
    "unknown": N_("%(source)s → %(target)s cannot be judged (no figures)"),
}


def clock(moment: datetime | None, facts: Facts) -> Phrase:
    """Return a moment in the reader's time zone: ``Tue 03-24 08:00 UTC+08:00``."""
    if moment is None:
        return say("time unknown")
    return figure(moment_label, moment.astimezone(facts.timeline.at.tzinfo))


def _closed_cell(move: MarketMove, facts: Facts) -> Phrase | None:
    """Return when a market's figures end; the session dates are in the report's header."""
    if move.session_date is None:
        return None
    span = facts.timeline.span(move.market)
    if round_the_clock(move.market):
        return say("24 h to %(day)s", day=clock(span.close_utc, facts))
    if span.older:
        return say("%(moment)s (older session)", moment=clock(span.close_utc, facts))
    return clock(span.close_utc, facts)


def _table(facts: Facts) -> Table:
    rows = tuple(
        (
            text(move.name),
            text(_closed_cell(move, facts)),
            pct(move.mean_change_pct),
            text(signal_word(move.signal)),
        )
        for move in (facts.markets[k] for k in facts.timeline.order)
    )
    return Table(("Market", "Closed", "Mean change", "Signal"), rows)


def _reading(move: MarketMove, facts: Facts) -> Phrase:
    return say(
        "%(market)s read %(signal)s (mean %(mean)s)",
        market=market_label(move, facts.report_date),
        signal=move.signal.value,
        mean=change_text(move.mean_change_pct),
    )


def _link_text(link: ChainLink, facts: Facts) -> Phrase:
    src, dst = facts.markets[link.source], facts.markets[link.target]
    return say(_LINK_WORDS[link.status], source=src.name, target=dst.name)


def _verdict(facts: Facts) -> Phrase:
    if not facts.chain:
        window = facts.settings.timeline.link_window_hours
        return say(
            "No market's session opened within %(hours)s h after another's closed, so no "
            "transmission can be read from these sessions.",
            hours=f"{window:g}",
        )
    brk = facts.first_break()
    if brk is not None:
        src, dst = facts.markets[brk.source], facts.markets[brk.target]
        head = say(
            "The chain breaks at %(target)s: %(source_reading)s and closed before %(target)s "
            "opened, but %(target_reading)s.",
            target=dst.name,
            source_reading=_reading(src, facts),
            target_reading=_reading(dst, facts),
        )
    elif all(link.status == "confirms" for link in facts.chain):
        keys = list(dict.fromkeys(k for link in facts.chain for k in (link.source, link.target)))
        readings = listing(
            say(
                "%(market)s %(mean)s",
                market=facts.markets[k].name,
                mean=change_text(facts.markets[k].mean_change_pct),
            )
            for k in keys
        )
        if facts.markets[keys[0]].signal.sign > 0:
            head = say(
                "The chain holds: every linked market read risk-on (%(readings)s).",
                readings=readings,
            )
        else:
            head = say(
                "The chain holds: every linked market read risk-off (%(readings)s).",
                readings=readings,
            )
    else:
        head = say("Partly confirmed; no link breaks.")
    links = listing((_link_text(link, facts) for link in facts.chain), "semicolon")
    return sentences(head, say("Links: %(links)s.", links=links))


def _groups(facts: Facts) -> list[list[MarketMove]]:
    """Return the markets with figures in close order, concurrent sessions grouped together."""
    groups: list[list[MarketMove]] = []
    for key in facts.timeline.order:
        move = facts.markets[key]
        if move.mean_change_pct is None or round_the_clock(move.market):
            continue
        if groups and all(facts.timeline.concurrent(m.market, key) for m in groups[-1]):
            groups[-1].append(move)
        else:
            groups.append([move])
    return groups


def _next_open(facts: Facts) -> list[Phrase]:
    markets, opens = facts.timeline.next_to_open()
    if opens is None:
        return []
    names = both(facts.markets[k].name for k in markets)
    return [say("Next open: %(markets)s, %(moment)s.", markets=names, moment=clock(opens, facts))]


def _timing(facts: Facts) -> list[Phrase]:
    """Say which sessions are older than the others' or than the report date."""
    out = []
    latest = [facts.markets[k] for k in EQUITY_MARKETS if k not in facts.timeline.older()]
    newest = max((m.session_date for m in latest if m.session_date), default=None)
    for key in facts.timeline.older():
        move = facts.markets[key]
        out.append(
            say(
                "%(market)s figures are from an older session, %(day)s (the others are from "
                "%(newest)s): %(market)s has not traded since, so its move is not a move of the "
                "latest sessions.",
                market=move.name,
                day=day(move.session_date),
                newest=day(newest),
            )
        )
    equities = [facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].session_date]
    if equities and all(older_than(m, facts.report_date) for m in equities):
        days = both(day(d) for d in sorted({m.session_date for m in equities}))
        out.append(say("No equity market has traded since %(days)s.", days=days))
    return out


def _amplification(facts: Facts) -> Phrase:
    crypto = facts.markets["CRYPTO"]
    equity = [
        facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].mean_change_pct is not None
    ]
    equity = [m for m in equity if m.market not in facts.timeline.older()]
    if crypto.mean_change_pct is None or not equity:
        absent = (
            say("no crypto figures") if crypto.mean_change_pct is None else say("no equity figures")
        )
        return missing_text(say("Crypto versus equities"), absent)
    c = crypto.mean_change_pct
    signs = {(m.mean_change_pct > 0) - (m.mean_change_pct < 0) for m in equity}
    if {1, -1} <= signs:
        # An average of moves in opposite directions is no equity move to measure crypto by.
        return say(
            "Crypto averaged %(crypto)s; equity markets moved in opposite directions, so there "
            "is no single equity move to compare it with.",
            crypto=change_text(c),
        )
    e = sum(m.mean_change_pct for m in equity) / len(equity)
    basis = {"crypto": change_text(c), "equity": change_text(e)}
    if c == 0 or e == 0:
        return say(
            "Crypto neither amplified nor dampened equities: crypto mean %(crypto)s against the "
            "equity average %(equity)s.",
            **basis,
        )
    if (c > 0) != (e > 0):
        return say(
            "Crypto moved against equities: crypto mean %(crypto)s against the equity average "
            "%(equity)s.",
            **basis,
        )
    ratio = f"{abs(c) / abs(e):.1f}"
    if abs(c) > abs(e):
        return say(
            "Crypto %(crypto)s amplified the equity average %(equity)s, %(ratio)s× its size.",
            ratio=ratio,
            **basis,
        )
    return say(
        "Crypto %(crypto)s dampened the equity average %(equity)s, %(ratio)s× its size.",
        ratio=ratio,
        **basis,
    )


def build_transmission(facts: Facts) -> Section:
    """Return the transmission-chain section: per-market table and a verdict from the figures."""
    info = section_info("transmission")
    missing = [m.name for m in facts.markets.values() if not m.known_moves]
    notes = [
        missing_text(say("%(market)s figures", market=name), say("no quotes obtained"))
        for name in missing
    ]
    prose = sentences(
        _verdict(facts), *_timing(facts), _amplification(facts), *_next_open(facts), *notes
    )
    blocks = (_table(facts), Paragraph(prose))
    return Section(info.key, info.title, blocks, tuple(missing))
