"""Transmission chain in the order the sessions closed: where risk appetite carried or broke.

Only a market whose session had closed before another's opened can have passed anything on;
the timeline (core/analysis/timeline.py) decides which links exist.
"""

from __future__ import annotations

from datetime import datetime

from core.analysis.facts import ChainLink, Facts
from core.analysis.sections.evidence import EQUITY_MARKETS, older_than
from core.analysis.signals import MarketMove
from core.analysis.wording import (
    market_label,
    missing_text,
    signal_word,
)
from core.formatting import session_label, signed_pct
from core.instruments import round_the_clock
from core.report import Paragraph, Section, Table, pct, text
from core.sections import section_info


def clock(moment: datetime | None, facts: Facts) -> str:
    """Return a moment in the reader's time zone: ``Tue 03-24 08:00 UTC+08:00``."""
    if moment is None:
        return "time unknown"
    local = moment.astimezone(facts.timeline.at.tzinfo)
    return f"{local:%a %m-%d %H:%M} {local.tzname()}"


def _closed_cell(move: MarketMove, facts: Facts) -> str | None:
    """Return when a market's figures end; the session dates are in the report's header."""
    if move.session_date is None:
        return None
    span = facts.timeline.span(move.market)
    if round_the_clock(move.market):
        return f"24 h to {clock(span.close_utc, facts)}"
    return clock(span.close_utc, facts) + (" (older session)" if span.older else "")


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


def _reading(move: MarketMove, facts: Facts) -> str:
    return (
        f"{market_label(move, facts.report_date)} read {move.signal.value} "
        f"(mean {signed_pct(move.mean_change_pct)})"
    )


def _link_text(link: ChainLink, facts: Facts) -> str:
    src, dst = facts.markets[link.source], facts.markets[link.target]
    words = {
        "confirms": "confirms",
        "breaks": "breaks",
        "neutral": "is neutral",
        "unknown": "cannot be judged (no figures)",
    }
    return f"{src.name} → {dst.name} {words[link.status]}"


def _verdict(facts: Facts) -> str:
    if not facts.chain:
        window = facts.settings.timeline.link_window_hours
        return (
            f"No market's session opened within {window:g} h after another's closed, so no "
            "transmission can be read from these sessions."
        )
    brk = facts.first_break()
    if brk is not None:
        src, dst = facts.markets[brk.source], facts.markets[brk.target]
        head = (
            f"The chain breaks at {dst.name}: {_reading(src, facts)} and closed before "
            f"{dst.name} opened, but {_reading(dst, facts)}."
        )
    elif all(link.status == "confirms" for link in facts.chain):
        keys = list(dict.fromkeys(k for link in facts.chain for k in (link.source, link.target)))
        side = "risk-on" if facts.markets[keys[0]].signal.sign > 0 else "risk-off"
        readings = ", ".join(
            f"{facts.markets[k].name} {signed_pct(facts.markets[k].mean_change_pct)}" for k in keys
        )
        head = f"The chain holds: every linked market read {side} ({readings})."
    else:
        head = "No link breaks, but the chain is not confirmed end to end."
    links = "; ".join(_link_text(link, facts) for link in facts.chain)
    return f"{head} Links: {links}."


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


def _next_open(facts: Facts) -> list[str]:
    markets, opens = facts.timeline.next_to_open()
    if opens is None:
        return []
    names = " and ".join(facts.markets[k].name for k in markets)
    return [f"Next to open: {names}, at {clock(opens, facts)}."]


def _timing(facts: Facts) -> list[str]:
    """Say which sessions are older than the others' or than the report date."""
    out = []
    latest = [facts.markets[k] for k in EQUITY_MARKETS if k not in facts.timeline.older()]
    newest = max((m.session_date for m in latest if m.session_date), default=None)
    for key in facts.timeline.older():
        move = facts.markets[key]
        out.append(
            f"{move.name} figures are from an older session, {session_label(move.session_date)}"
            f" (the others are from {session_label(newest)}): {move.name} has not traded "
            "since, so its move is not a move of the latest sessions."
        )
    equities = [facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].session_date]
    if equities and all(older_than(m, facts.report_date) for m in equities):
        days = " and ".join(sorted({session_label(m.session_date) for m in equities}))
        out.append(f"No equity market has traded since {days}.")
    return out


def _amplification(facts: Facts) -> str:
    crypto = facts.markets["CRYPTO"]
    equity = [
        facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].mean_change_pct is not None
    ]
    equity = [m for m in equity if m.market not in facts.timeline.older()]
    if crypto.mean_change_pct is None or not equity:
        absent = "crypto figures" if crypto.mean_change_pct is None else "equity figures"
        return missing_text("Crypto versus equities", f"no {absent}")
    c = crypto.mean_change_pct
    signs = {(m.mean_change_pct > 0) - (m.mean_change_pct < 0) for m in equity}
    if {1, -1} <= signs:
        # An average of moves in opposite directions is no equity move to measure crypto by.
        return (
            f"Crypto averaged {signed_pct(c)}; equity markets moved in opposite directions, "
            "so there is no single equity move to compare it with."
        )
    e = sum(m.mean_change_pct for m in equity) / len(equity)
    basis = f"crypto mean {signed_pct(c)} against the equity average {signed_pct(e)}"
    if c == 0 or e == 0:
        return f"Crypto neither amplified nor dampened equities: {basis}."
    if (c > 0) != (e > 0):
        return f"Crypto moved against equities: {basis}."
    ratio = abs(c) / abs(e)
    verb = "amplified" if ratio > 1 else "dampened"
    return f"Crypto {verb} the equity move: {basis}, {ratio:.1f}× its size."


def build_transmission(facts: Facts) -> Section:
    """Return the transmission-chain section: per-market table and a verdict from the figures."""
    info = section_info("transmission")
    missing = [m.name for m in facts.markets.values() if not m.known_moves]
    notes = [missing_text(f"{name} figures", "no quotes obtained") for name in missing]
    sentences = [_verdict(facts), *_timing(facts), _amplification(facts), *_next_open(facts)]
    sentences += notes
    blocks = (_table(facts), Paragraph(" ".join(sentences)))
    return Section(info.key, info.title, blocks, tuple(missing))
