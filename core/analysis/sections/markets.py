"""US, Hong Kong and A-share sections: indexes, leadership spread, signal; CN breadth and flows."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.signals import InstrumentMove, MarketMove, spread_bps
from core.analysis.wording import (
    BREADTH_LABEL,
    NORTHBOUND_LABEL,
    change_text,
    day,
    missing_text,
    money,
)
from core.formatting import bps, count, plain_pct
from core.i18n import N_
from core.phrase import Phrase, figure, listing, say, sentences
from core.report import BulletList, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_for_market

# Leadership pair per market, A minus B, with what each leg stands for in prose.
_LEADERSHIP: dict[str, tuple[str, str, str, str]] = {
    "US": ("DJIA", "NASDAQ", N_("blue chips"), N_("tech")),
    "HK": ("HSTECH", "HSI", N_("tech"), N_("the broad market")),
    "CN": ("CHINEXT", "SSE", N_("Shenzhen growth stocks"), N_("the Shanghai main board")),
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


def _dated(label: str, session, market_day) -> Phrase:
    """Return ``Label (Fri 2026-03-20)`` when a figure's session is not its market's."""
    if session is not None and session != market_day:
        return say("%(label)s (%(day)s)", label=label, day=day(session))
    return say(label)


def _find(move: MarketMove, key: str) -> InstrumentMove | None:
    return next((m for m in move.moves if m.key == key), None)


def _leadership(move: MarketMove, facts: Facts) -> Phrase | None:
    a_key, b_key, a_style, b_style = _LEADERSHIP[move.market]
    a, b = _find(move, a_key), _find(move, b_key)
    if a is None or b is None:
        return None
    if not (a.known and b.known):
        absent = listing(m.display_name for m in (a, b) if not m.known)
        return say(
            "Leadership between %(a)s and %(b)s cannot be judged without %(absent)s.",
            a=a.display_name,
            b=b.display_name,
            absent=absent,
        )
    spread = spread_bps(a.change_pct, b.change_pct)
    if round(spread) == 0:
        return say(
            "%(a)s and %(b)s moved in step (%(a_change)s vs %(b_change)s).",
            a=a.display_name,
            b=b.display_name,
            a_change=change_text(a.change_pct),
            b_change=change_text(b.change_pct),
        )
    leader, laggard = (a, b) if spread > 0 else (b, a)
    lead_style, lag_style = (a_style, b_style) if spread > 0 else (b_style, a_style)
    cfg = facts.settings.divergence
    values = {
        "leader": leader.display_name,
        "laggard": laggard.display_name,
        "gap": figure(bps, spread, signed=False),
        "lead_style": lead_style,
        "lag_style": lag_style,
    }
    if abs(spread) >= cfg.major_bps:
        return say(
            "%(leader)s led %(laggard)s by %(gap)s (major): %(lead_style)s outperformed "
            "%(lag_style)s.",
            **values,
        )
    if abs(spread) >= cfg.notable_bps:
        return say(
            "%(leader)s led %(laggard)s by %(gap)s (notable): %(lead_style)s outperformed "
            "%(lag_style)s.",
            **values,
        )
    return say(
        "%(leader)s led %(laggard)s by %(gap)s: %(lead_style)s outperformed %(lag_style)s.",
        **values,
    )


def _sessions(move: MarketMove) -> list[Phrase]:
    if len(move.session_dates) > 1:
        dates = listing(day(d) for d in move.session_dates)
        return [
            say(
                "The quotes come from different sessions (%(dates)s), so the mean mixes them.",
                dates=dates,
            )
        ]
    return []


def _market_parts(move: MarketMove, facts: Facts) -> tuple[list, list, list]:
    """Return (analysis sentences, missing-data sentences, missing names) of one market.

    Missing figures are named once, in the report's missing line; a market with none at all
    also says so here.
    """
    prose: list[str] = []
    notes: list[str] = []
    missing: list[str] = []
    if not move.known_moves:
        names = listing(m.display_name for m in move.moves)
        what = say("%(market)s index figures (%(names)s)", market=move.name, names=names)
        notes.append(missing_text(what, say("no quotes obtained")))
        missing.extend(m.display_name for m in move.moves)
        return prose, notes, missing
    # The market's mean and signal are in the chain table.
    leadership = _leadership(move, facts)
    if leadership:
        prose.append(leadership)
    prose.extend(_sessions(move))
    missing.extend(m.display_name for m in move.moves if not m.known)
    missing.extend(
        say("%(name)s close", name=m.display_name) for m in move.known_moves if m.level is None
    )
    return prose, notes, missing


def _market_section(facts: Facts, market: str, extra: tuple[list[str], list[str]] | None = None):
    move = facts.markets[market]
    info = section_for_market(market)
    prose, notes, missing = _market_parts(move, facts)
    blocks: list = [_index_table(move)]
    if prose:
        blocks.append(Paragraph(sentences(*prose)))
    if extra is not None:
        bullets, extra_missing = extra
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
        missing.extend(extra_missing)
    if notes:
        blocks.append(Paragraph(sentences(*notes)))
    return Section(info.key, info.title, tuple(blocks), tuple(missing))


def build_us(facts: Facts) -> Section:
    """Return the US section: DJIA, Nasdaq, S&P 500 and Dow-vs-Nasdaq leadership."""
    return _market_section(facts, "US")


def build_hk(facts: Facts) -> Section:
    """Return the Hong Kong section: HSI, HSCEI, HSTECH and HSTECH-vs-HSI leadership."""
    return _market_section(facts, "HK")


def _breadth(facts: Facts) -> tuple[Phrase | None, str | None]:
    b = facts.breadth
    if b is None:
        return None, BREADTH_LABEL
    cfg = facts.settings.breadth
    rate = b.advance_rate_pct
    weak, strong = plain_pct(cfg.weak_pct), plain_pct(cfg.strong_pct)
    if rate <= cfg.weak_pct:
        judged = say("weak (at or below %(weak)s)", weak=weak)
    elif rate >= cfg.strong_pct:
        judged = say("strong (at or above %(strong)s)", strong=strong)
    else:
        judged = say("between the weak %(weak)s and strong %(strong)s", weak=weak, strong=strong)
    values = {
        "label": _dated(N_("Breadth"), b.session_date, facts.markets["CN"].session_date),
        "up": count(b.up),
        "down": count(b.down),
        "rate": plain_pct(rate),
        "judged": judged,
        "ratio": say("; %(ratio)s decliners per advancer", ratio=f"{b.down / b.up:.1f}")
        if b.up and b.down > b.up
        else "",
    }
    if b.flat is None:
        sentence = say(
            "%(label)s: %(up)s up / %(down)s down, advance rate %(rate)s, %(judged)s%(ratio)s; "
            "flat count not reported, so the advance rate excludes unchanged stocks.",
            **values,
        )
    else:
        sentence = say(
            "%(label)s: %(up)s up / %(down)s down / %(flat)s flat, advance rate %(rate)s, "
            "%(judged)s%(ratio)s.",
            flat=count(b.flat),
            **values,
        )
    sign = facts.markets["CN"].signal.sign
    if rate <= cfg.weak_pct and sign is not None and sign >= 0:
        return sentences(sentence, say("Breadth is weaker than the index mean suggests.")), None
    if rate >= cfg.strong_pct and sign is not None and sign <= 0:
        return sentences(sentence, say("Breadth is stronger than the index mean suggests.")), None
    return sentence, None


def _turnover(facts: Facts) -> tuple[Phrase | None, str | None]:
    t = facts.snapshot.turnover
    if t is None or t.turnover_cny is None:
        return None, N_("A-share turnover")
    label = _dated(
        N_("Turnover (Shanghai + Shenzhen)"), t.session_date, facts.markets["CN"].session_date
    )
    return say("%(label)s: %(amount)s.", label=label, amount=money(t.turnover_cny, "¥")), None


def _northbound(facts: Facts) -> tuple[Phrase | None, str | None]:
    nb = facts.snapshot.northbound
    if nb is None:
        # Its direction is not inferred from other figures: the missing line names it.
        return None, NORTHBOUND_LABEL
    parts = []
    if nb.net_buy_cny is not None:
        if nb.net_buy_cny == 0:
            side = say("flat")
        else:
            side = say("net buying") if nb.net_buy_cny > 0 else say("net selling")
        net = money(nb.net_buy_cny, "¥", signed=True)
        parts.append(say("net buy %(net)s (%(side)s)", net=net, side=side))
    if nb.turnover_cny is not None:
        parts.append(say("turnover %(amount)s", amount=money(nb.turnover_cny, "¥")))
    if not parts:
        return None, N_("northbound flow figures")
    label = _dated(N_("Northbound"), nb.session_date, facts.markets["CN"].session_date)
    sentence = say("%(label)s: %(parts)s.", label=label, parts=listing(parts))
    if nb.note:
        # The source's own words, in its language.
        note = nb.note if nb.note.endswith(".") else f"{nb.note}."
        return sentences(sentence, say("Source note: %(note)s", note=note)), None
    return sentence, None


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
