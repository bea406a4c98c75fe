"""Transmission chain US → Hong Kong → A-shares → crypto: where risk appetite carried or broke."""

from __future__ import annotations

from core.analysis.facts import CHAIN_ORDER, ChainLink, Facts
from core.analysis.sections.evidence import EQUITY_MARKETS, older_than
from core.analysis.signals import MarketMove
from core.analysis.wording import (
    market_label,
    missing_text,
    moves_text,
    signal_rule,
    signal_word,
    when,
)
from core.formatting import session_label, signed_pct
from core.report import Paragraph, Section, Table, pct, text
from core.sections import section_info


def _session_cell(move: MarketMove, facts: Facts) -> str | None:
    return when(move, facts.report_date) if move.session_date else None


def _table(facts: Facts) -> Table:
    rows = []
    for key in CHAIN_ORDER:
        move = facts.markets[key]
        rows.append(
            (
                text(move.name),
                text(_session_cell(move, facts)),
                text(moves_text(move.moves) or None),
                pct(move.mean_change_pct),
                text(signal_word(move.signal)),
            )
        )
    thresholds = facts.settings.signal
    return Table(
        ("Market", "Session", "Performance (key moves)", "Mean change", "Signal"),
        tuple(rows),
        title=" → ".join(facts.markets[k].name for k in CHAIN_ORDER),
        footer=(
            f"Signal from the mean change; equities: {signal_rule('US', thresholds)}; "
            f"crypto: {signal_rule('CRYPTO', thresholds)}."
        ),
    )


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
        "neutral": "is neutral (one side inside the risk-on/off band)",
        "unknown": "cannot be judged (no figures)",
    }
    return f"{src.name} → {dst.name} {words[link.status]}"


def _verdict(facts: Facts) -> str:
    brk = facts.first_break()
    if brk is not None:
        src, dst = facts.markets[brk.source], facts.markets[brk.target]
        head = (
            f"The chain breaks at {dst.name}: {_reading(src, facts)}, but {_reading(dst, facts)}."
        )
    elif all(link.status == "confirms" for link in facts.chain):
        side = "risk-on" if facts.markets[CHAIN_ORDER[0]].signal.sign > 0 else "risk-off"
        readings = ", ".join(
            f"{facts.markets[k].name} {signed_pct(facts.markets[k].mean_change_pct)}"
            for k in CHAIN_ORDER
        )
        head = f"The chain holds: every market read {side} ({readings})."
    else:
        head = "No link breaks, but the chain is not confirmed end to end."
    links = "; ".join(_link_text(link, facts) for link in facts.chain)
    return f"{head} Links: {links}."


def _timing(facts: Facts) -> list[str]:
    """Say which figures are older than the others or than the report date."""
    out = []
    dated = [m for m in facts.markets.values() if m.session_date is not None]
    latest = max((m.session_date for m in dated), default=None)
    for move in dated:
        if older_than(move, latest):
            out.append(
                f"{move.name} figures are from {session_label(move.session_date)}, "
                f"a session before the latest figures ({session_label(latest)}): "
                "they are the lead-in to the later markets, not a same-day move."
            )
    equities = [facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].session_date]
    if equities and all(older_than(m, facts.report_date) for m in equities):
        days = sorted({session_label(m.session_date) for m in equities})
        out.append(
            f"No equity figure is from the report date ({session_label(facts.report_date)}); "
            f"equity moves are from the last session(s): {', '.join(days)}."
        )
    return out


def _amplification(facts: Facts) -> str:
    crypto = facts.markets["CRYPTO"]
    equity = [
        facts.markets[k] for k in EQUITY_MARKETS if facts.markets[k].mean_change_pct is not None
    ]
    if crypto.mean_change_pct is None or not equity:
        absent = "crypto figures" if crypto.mean_change_pct is None else "equity figures"
        return missing_text("Crypto versus equities", f"no {absent}")
    c = crypto.mean_change_pct
    e = sum(m.mean_change_pct for m in equity) / len(equity)
    biggest = max(equity, key=lambda m: abs(m.mean_change_pct))
    parts = ", ".join(f"{m.name} {signed_pct(m.mean_change_pct)}" for m in equity)
    basis = f"crypto mean {signed_pct(c)} against the equity average {signed_pct(e)} ({parts})"
    if c == 0 or e == 0:
        return f"Crypto neither amplified nor dampened equities: {basis}."
    if (c > 0) != (e > 0):
        return f"Crypto moved against equities: {basis}."
    ratio = abs(c) / abs(e)
    verb = "amplified" if ratio > 1 else "dampened"
    beyond = "larger" if abs(c) > abs(biggest.mean_change_pct) else "smaller"
    return (
        f"Crypto {verb} the equity move: {basis}, {ratio:.1f}× its size, and {beyond} than "
        f"the biggest single-market move ({biggest.name} {signed_pct(biggest.mean_change_pct)})."
    )


def build_transmission(facts: Facts) -> Section:
    """Return the transmission-chain section: per-market table and a verdict from the figures."""
    info = section_info("transmission")
    missing = [m.name for m in facts.markets.values() if not m.known_moves]
    notes = [missing_text(f"{name} figures", "no quotes obtained") for name in missing]
    sentences = [_verdict(facts), *_timing(facts), _amplification(facts), *notes]
    blocks = (_table(facts), Paragraph(" ".join(sentences)))
    return Section(info.key, info.title, blocks, tuple(missing))
