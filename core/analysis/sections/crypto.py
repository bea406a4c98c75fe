"""Crypto & DeFi: prices, TVL movers, stablecoin supply, DEX volumes, link to US equities."""

from __future__ import annotations

from core.analysis.facts import CategoryMove, Facts
from core.analysis.signals import spread_bps
from core.analysis.wording import (
    signal_word,
)
from core.formatting import bps, compact_money, signed_pct
from core.report import Block, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_info
from core.snapshot import ProtocolTvl, StablecoinSupply


class _Parts:
    """Blocks and missing names collected while building the section."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.missing: list[str] = []

    def lack(self, what: str, reason: str | None = None, name: str | None = None) -> None:
        # Named once, in the report's missing line; the reason is for the reader of the code.
        self.missing.append(name or what)


def _prices(facts: Facts, out: _Parts) -> None:
    move = facts.markets["CRYPTO"]
    # The 24 h window is in the report's header; a column only when the assets' windows differ.
    dated = len(move.session_dates) > 1
    rows = tuple(
        (
            text(m.display_name),
            Cell(m.level, Unit.POINTS, decimals=2),
            pct(m.change_pct),
            *((Cell(m.session_date, Unit.DATE),) if dated else ()),
        )
        for m in move.moves
    )
    columns = ("Asset", "Price (USD)", "24 h change", *(("24 h to",) if dated else ()))
    out.blocks.append(Table(columns, rows, title="Prices"))
    known = move.known_moves
    if known:
        out.blocks.append(Paragraph(_price_sentence(facts)))
    for m in move.moves:
        if not m.known:
            out.lack(f"{m.display_name} 24 h change", "no quote obtained", m.display_name)
        elif m.level is None:
            out.lack(f"{m.display_name} price", name=f"{m.display_name} price")


def _price_sentence(facts: Facts) -> str:
    move = facts.markets["CRYPTO"]
    sentence = f"{signal_word(move.signal)}: mean {signed_pct(move.mean_change_pct)}."
    if len(move.known_moves) >= 2:
        best, worst = move.best(), move.worst()
        gap = spread_bps(best.change_pct, worst.change_pct)
        if round(gap):
            sentence += (
                f" {worst.display_name} lagged {best.display_name} by {bps(gap, signed=False)}."
            )
    return sentence


def _protocol_table(title: str, protocols: tuple[ProtocolTvl, ...]) -> Table:
    rows = tuple(
        (text(p.name), text(p.category), Cell(p.tvl_usd, Unit.USD), pct(p.change_1d_pct))
        for p in protocols
    )
    return Table(("Protocol", "Category", "TVL", "1-day change"), rows, title=title)


def _category_table(title: str, cats: tuple[CategoryMove, ...]) -> Table:
    rows = tuple(
        (
            text(c.category),
            Cell(c.tvl_usd, Unit.USD),
            Cell(c.change_usd, Unit.USD, signed=True),
            pct(c.change_pct),
            Cell(c.protocols, Unit.COUNT),
        )
        for c in cats
    )
    return Table(("Category", "TVL", "1-day change", "1-day change %", "Protocols"), rows, title)


def _defi(facts: Facts, out: _Parts) -> None:
    defi, cfg = facts.defi, facts.settings.defi
    if defi is None:
        out.lack("DeFi TVL by protocol", "no source reported it")
        out.lack("DeFi TVL by category", "no protocol figures")
        return
    sides = (("TVL winners (1 day)", defi.winners), ("TVL losers (1 day)", defi.losers))
    for title, movers in sides:
        if movers:
            out.blocks.append(_protocol_table(title, movers))
    counts = (
        f"Top {cfg.movers_per_side} per side; {defi.below_floor} under the "
        f"{compact_money(cfg.tvl_floor_usd)} TVL floor left out, {defi.unknown_tvl} without a "
        "TVL level kept."
    )
    if not (defi.winners or defi.losers):
        counts = "No protocol above the TVL floor had a 1-day TVL change. " + counts
    out.blocks.append(Paragraph(counts))
    _categories(facts, out)


def _categories(facts: Facts, out: _Parts) -> None:
    defi, cfg = facts.defi, facts.settings.defi
    for title, cats in (
        ("TVL by category, gainers (TVL-weighted)", defi.categories_up),
        ("TVL by category, decliners (TVL-weighted)", defi.categories_down),
    ):
        if cats:
            out.blocks.append(_category_table(title, cats))
    if defi.categories_up or defi.categories_down:
        return
    changed = [p for p in facts.snapshot.protocols if p.change_1d_pct is not None and p.category]
    with_level = [p for p in changed if p.tvl_usd is not None]
    if changed and not with_level:
        out.lack(
            "DeFi TVL by category",
            f"TVL levels are missing for all {len(changed)} protocols with a 1-day change, "
            "so no TVL-weighted category change can be computed",
        )
    elif with_level:
        out.blocks.append(
            Paragraph(
                f"No category reached the {compact_money(cfg.category_tvl_floor_usd)} "
                f"category TVL floor ({len(with_level)} protocol(s) with a TVL level)."
            )
        )
    else:
        out.lack("DeFi TVL by category", "no protocol has a category and a 1-day change")


def _not_counted_reason(coin: StablecoinSupply) -> str:
    if coin.circulating_usd is None:
        return "no circulating supply level"
    return "no previous-day supply or 1-day change"


def _stablecoins(facts: Facts, out: _Parts) -> None:
    st = facts.stablecoins
    if st is None:
        out.lack("Stablecoin supply", "no source reported it")
        return
    rows = tuple(
        (
            text(c.symbol),
            Cell(c.circulating_usd, Unit.USD),
            Cell(c.change_usd, Unit.USD, signed=True),
            pct(c.change_pct, decimals=3),
        )
        for c in st.coins
    )
    if rows:
        out.blocks.append(
            Table(("Coin", "Supply", "1-day change", "1-day change %"), rows, "Stablecoin supply")
        )
    skipped = [c for c in st.coins if c.symbol not in st.counted]
    if st.net_change_usd is None:
        out.lack(
            "Net stablecoin change",
            "no coin has both a supply level and a 1-day change",
            "net stablecoin change",
        )
    else:
        threshold = facts.settings.defi.stablecoin_flow_usd
        net = st.net_change_usd
        if net >= threshold:
            reading = "a net inflow"
        elif net <= -threshold:
            reading = "a net outflow"
        else:
            reading = "roughly flat"
        out.blocks.append(
            Paragraph(
                f"Net {compact_money(net, signed=True)} over 1 day ({', '.join(st.counted)}): "
                f"{reading} (threshold ±{compact_money(threshold)})."
            )
        )
    if skipped:
        reasons = "; ".join(f"{c.symbol} ({_not_counted_reason(c)})" for c in skipped)
        out.blocks.append(Paragraph(f"Not counted in the net change: {reasons}."))
        out.missing.extend(f"{c.symbol} supply change in USD" for c in skipped)


def _dex(facts: Facts, out: _Parts) -> None:
    dex = facts.dex
    if dex is None:
        out.lack("DEX volumes", "no source reported them")
        return
    if dex.movers:
        rows = tuple(
            (text(d.name), Cell(d.volume_24h_usd, Unit.USD), pct(d.change_1d_pct))
            for d in dex.movers
        )
        out.blocks.append(
            Table(("DEX", "24 h volume", "Change vs prior 24 h"), rows, "DEX volume movers")
        )
        sentence = ""
    else:
        sentence = "No DEX has a 1-day volume change figure."
    listed = facts.snapshot.dex_volumes
    with_volume = sum(1 for d in listed if d.volume_24h_usd is not None)
    if dex.total_volume_usd is not None:
        sentence += (
            f" Total 24 h volume of the {with_volume} of {len(listed)} DEX(es) with a volume "
            f"figure: {compact_money(dex.total_volume_usd)}."
        )
    if sentence:
        out.blocks.append(Paragraph(sentence.strip()))


def _versus_us(facts: Facts, out: _Parts) -> None:
    crypto, us = facts.markets["CRYPTO"], facts.markets["US"]
    if crypto.mean_change_pct is None or us.mean_change_pct is None:
        absent = "crypto" if crypto.mean_change_pct is None else "US equity"
        out.lack("Crypto versus US equities", f"no {absent} figures", "crypto vs US equities")
        return
    c, u = crypto.mean_change_pct, us.mean_change_pct
    basis = f"{signed_pct(c)} against {signed_pct(u)}"
    if c == 0 or u == 0:
        sentence = f"Crypto and US equities show no common direction: {basis}."
    elif (c > 0) != (u > 0):
        sentence = f"Crypto moved against US equities: {basis}."
    else:
        verb = "amplifying" if abs(c) > abs(u) else "dampening"
        sentence = f"Crypto moved with US equities, {verb} them ({abs(c) / abs(u):.1f}×): {basis}."
    btc = next((m for m in crypto.moves if m.key == "BTC" and m.known), None)
    spx = next((m for m in us.moves if m.key == "SPX" and m.known), None)
    if btc and spx:
        sentence += f" BTC − {spx.display_name}: {bps(spread_bps(btc.change_pct, spx.change_pct))}"
        if btc.session_date != spx.session_date:
            sentence += " (legs from different sessions)"
        sentence += "."
    out.blocks.append(Paragraph(sentence))


def build_crypto(facts: Facts) -> Section:
    """Return the crypto & DeFi section; every missing input is said and listed."""
    info = section_info("crypto")
    out = _Parts()
    for part in (_prices, _defi, _stablecoins, _dex, _versus_us):
        part(facts, out)
    return Section(info.key, info.title, tuple(out.blocks), tuple(out.missing))
