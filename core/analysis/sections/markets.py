"""US, Hong Kong and A-share sections: indexes, leadership spread, signal; CN breadth and flows."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.signals import InstrumentMove, MarketMove, spread_bps
from core.analysis.wording import missing_text
from core.formatting import bps, compact_money, count, plain_pct, session_label, signed_pct
from core.report import BulletList, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_for_market

# Leadership pair per market, A minus B, with what each leg stands for in prose.
_LEADERSHIP: dict[str, tuple[str, str, str, str]] = {
    "US": ("DJIA", "NASDAQ", "blue chips", "tech"),
    "HK": ("HSTECH", "HSI", "tech", "the broad market"),
    "CN": ("CHINEXT", "SSE", "Shenzhen growth stocks", "the Shanghai main board"),
}


def _index_table(move: MarketMove) -> Table:
    """Return the market's indexes; a Session column only when their sessions differ."""
    dated = len(move.session_dates) > 1
    rows = tuple(
        (
            text(m.display_name),
            Cell(m.level, Unit.POINTS),
            pct(m.change_pct),
            *((Cell(m.session_date, Unit.DATE),) if dated else ()),
        )
        for m in move.moves
    )
    return Table(("Index", "Close", "Change", *(("Session",) if dated else ())), rows)


def _dated(day, market_day) -> str:
    """Return `` (Fri 2026-03-20)`` when a figure's session is not its market's, else nothing."""
    return f" ({session_label(day)})" if day is not None and day != market_day else ""


def _find(move: MarketMove, key: str) -> InstrumentMove | None:
    return next((m for m in move.moves if m.key == key), None)


def _leadership(move: MarketMove, facts: Facts) -> str | None:
    a_key, b_key, a_style, b_style = _LEADERSHIP[move.market]
    a, b = _find(move, a_key), _find(move, b_key)
    if a is None or b is None:
        return None
    if not (a.known and b.known):
        absent = ", ".join(m.display_name for m in (a, b) if not m.known)
        return (
            f"Leadership between {a.display_name} and {b.display_name} cannot be judged "
            f"without {absent}."
        )
    spread = spread_bps(a.change_pct, b.change_pct)
    if round(spread) == 0:
        return (
            f"{a.display_name} and {b.display_name} moved in step "
            f"({signed_pct(a.change_pct)} vs {signed_pct(b.change_pct)})."
        )
    leader, laggard = (a, b) if spread > 0 else (b, a)
    lead_style, lag_style = (a_style, b_style) if spread > 0 else (b_style, a_style)
    cfg = facts.settings.divergence
    size = ""
    if abs(spread) >= cfg.major_bps:
        size = " (major)"
    elif abs(spread) >= cfg.notable_bps:
        size = " (notable)"
    return (
        f"{leader.display_name} led {laggard.display_name} by {bps(spread, signed=False)}"
        f"{size}: {lead_style} outperformed {lag_style}."
    )


def _sessions(move: MarketMove) -> list[str]:
    if len(move.session_dates) > 1:
        dates = ", ".join(session_label(d) for d in move.session_dates)
        return [f"The quotes come from different sessions ({dates}), so the mean mixes them."]
    return []


def _market_parts(move: MarketMove, facts: Facts) -> tuple[list[str], list[str], list[str]]:
    """Return (analysis sentences, missing-data sentences, missing names) of one market.

    Missing figures are named once, in the report's missing line; a market with none at all
    also says so here.
    """
    prose: list[str] = []
    notes: list[str] = []
    missing: list[str] = []
    if not move.known_moves:
        names = ", ".join(m.display_name for m in move.moves)
        notes.append(missing_text(f"{move.name} index figures ({names})", "no quotes obtained"))
        missing.extend(m.display_name for m in move.moves)
        return prose, notes, missing
    # The market's mean and signal are in the chain table.
    leadership = _leadership(move, facts)
    if leadership:
        prose.append(leadership)
    prose.extend(_sessions(move))
    missing.extend(m.display_name for m in move.moves if not m.known)
    missing.extend(f"{m.display_name} close" for m in move.known_moves if m.level is None)
    return prose, notes, missing


def _market_section(facts: Facts, market: str, extra: tuple[list[str], list[str]] | None = None):
    move = facts.markets[market]
    info = section_for_market(market)
    prose, notes, missing = _market_parts(move, facts)
    blocks: list = [_index_table(move)]
    if prose:
        blocks.append(Paragraph(" ".join(prose)))
    if extra is not None:
        bullets, extra_missing = extra
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
        missing.extend(extra_missing)
    if notes:
        blocks.append(Paragraph(" ".join(notes)))
    return Section(info.key, info.title, tuple(blocks), tuple(missing))


def build_us(facts: Facts) -> Section:
    """Return the US section: DJIA, Nasdaq, S&P 500 and Dow-vs-Nasdaq leadership."""
    return _market_section(facts, "US")


def build_hk(facts: Facts) -> Section:
    """Return the Hong Kong section: HSI, HSCEI, HSTECH and HSTECH-vs-HSI leadership."""
    return _market_section(facts, "HK")


def _breadth(facts: Facts) -> tuple[str, str | None]:
    b = facts.breadth
    if b is None:
        raw = facts.snapshot.breadth
        reason = "no source reported it" if raw is None else "up/down counts not reported"
        return missing_text("A-share breadth", reason), "A-share breadth"
    cfg = facts.settings.breadth
    rate = b.advance_rate_pct
    if rate <= cfg.weak_pct:
        judged = f"weak (at or below {plain_pct(cfg.weak_pct)})"
    elif rate >= cfg.strong_pct:
        judged = f"strong (at or above {plain_pct(cfg.strong_pct)})"
    else:
        judged = (
            f"between the weak {plain_pct(cfg.weak_pct)} and strong {plain_pct(cfg.strong_pct)}"
        )
    if b.flat is None:
        counts = f"{count(b.up)} up / {count(b.down)} down"
        scope = "; flat count not reported, so the advance rate excludes unchanged stocks"
    else:
        counts = f"{count(b.up)} up / {count(b.down)} down / {count(b.flat)} flat"
        scope = ""
    ratio = f"; {b.down / b.up:.1f} decliners per advancer" if b.up and b.down > b.up else ""
    day = _dated(b.session_date, facts.markets["CN"].session_date)
    sentence = f"Breadth{day}: {counts}, advance rate {plain_pct(rate)}, {judged}{ratio}{scope}."
    sign = facts.markets["CN"].signal.sign
    if rate <= cfg.weak_pct and sign is not None and sign >= 0:
        sentence += " Breadth is weaker than the index mean suggests."
    elif rate >= cfg.strong_pct and sign is not None and sign <= 0:
        sentence += " Breadth is stronger than the index mean suggests."
    return sentence, None


def _turnover(facts: Facts) -> tuple[str, str | None]:
    t = facts.snapshot.turnover
    if t is None or t.turnover_cny is None:
        return missing_text("A-share turnover"), "A-share turnover"
    day = _dated(t.session_date, facts.markets["CN"].session_date)
    return f"Turnover (Shanghai + Shenzhen){day}: {compact_money(t.turnover_cny, '¥')}.", None


def _northbound(facts: Facts) -> tuple[str, str | None]:
    nb = facts.snapshot.northbound
    if nb is None:
        return (
            missing_text("Northbound flow", "no source provided it")
            + " Its direction is not inferred from other figures."
        ), "northbound flow"
    parts = []
    if nb.net_buy_cny is not None:
        if nb.net_buy_cny == 0:
            side = "flat"
        else:
            side = "net buying" if nb.net_buy_cny > 0 else "net selling"
        parts.append(f"net buy {compact_money(nb.net_buy_cny, '¥', signed=True)} ({side})")
    if nb.turnover_cny is not None:
        parts.append(f"turnover {compact_money(nb.turnover_cny, '¥')}")
    note = f" Source note: {nb.note.rstrip('.')}." if nb.note else ""
    if not parts:
        return (
            missing_text(
                f"Northbound net buy and turnover ({session_label(nb.session_date)})",
                f"{nb.source} gave no figure",
            )
            + " Its direction is not inferred."
            + note
        ), "northbound flow figures"
    day = _dated(nb.session_date, facts.markets["CN"].session_date)
    return f"Northbound{day}: {', '.join(parts)}.{note}", None


def build_cn(facts: Facts) -> Section:
    """Return the A-share section: indexes, ChiNext-vs-SSE, breadth, turnover, northbound."""
    bullets: list[str] = []
    missing: list[str] = []
    for part in (_breadth, _turnover, _northbound):
        sentence, absent = part(facts)
        if absent:
            missing.append(absent)  # named once, in the report's missing line
        else:
            bullets.append(sentence)
    return _market_section(facts, "CN", (bullets, missing))
