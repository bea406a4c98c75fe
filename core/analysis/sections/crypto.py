"""Crypto & DeFi: prices, TVL movers, stablecoin supply, DEX volumes, link to US equities."""

from __future__ import annotations

from core.analysis.facts import CategoryMove, Facts
from core.analysis.signals import spread_bps
from core.analysis.wording import DEFI_LABEL, STABLECOIN_LABEL, change_text, money, signal_word
from core.formatting import bps
from core.i18n import N_
from core.phrase import Phrase, figure, listing, say, say_n, sentences
from core.report import Block, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_info
from core.snapshot import ProtocolTvl, StablecoinSupply


class _Parts:
    """Blocks and missing names collected while building the section."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.missing: list[str] = []

    def lack(self, what: str, reason: object = None, name: str | None = None) -> None:
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
            out.lack(m.display_name)
        elif m.level is None:
            out.lack(say("%(name)s price", name=m.display_name))


def _price_sentence(facts: Facts) -> Phrase:
    move = facts.markets["CRYPTO"]
    sentence = say(
        "%(signal)s: mean %(mean)s.",
        signal=signal_word(move.signal),
        mean=change_text(move.mean_change_pct),
    )
    if len(move.known_moves) >= 2:
        best, worst = move.best(), move.worst()
        gap = spread_bps(best.change_pct, worst.change_pct)
        if round(gap):
            lag = say(
                "%(worst)s lagged %(best)s by %(gap)s.",
                worst=worst.display_name,
                best=best.display_name,
                gap=figure(bps, gap, signed=False),
            )
            return sentences(sentence, lag)
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
        out.lack(DEFI_LABEL)
        return
    sides = ((N_("TVL winners (1 day)"), defi.winners), (N_("TVL losers (1 day)"), defi.losers))
    for title, movers in sides:
        if movers:
            out.blocks.append(_protocol_table(title, movers))
    counts: Phrase = say(
        "Top %(top)s per side; %(below)s under the %(floor)s TVL floor left out, %(unknown)s "
        "without a TVL level kept.",
        top=cfg.movers_per_side,
        below=defi.below_floor,
        floor=money(cfg.tvl_floor_usd),
        unknown=defi.unknown_tvl,
    )
    if not (defi.winners or defi.losers):
        counts = sentences(say("No protocol above the TVL floor had a 1-day TVL change."), counts)
    out.blocks.append(Paragraph(counts))
    _categories(facts, out)


def _categories(facts: Facts, out: _Parts) -> None:
    defi, cfg = facts.defi, facts.settings.defi
    for title, cats in (
        (N_("TVL by category, gainers (TVL-weighted)"), defi.categories_up),
        (N_("TVL by category, decliners (TVL-weighted)"), defi.categories_down),
    ):
        if cats:
            out.blocks.append(_category_table(title, cats))
    if defi.categories_up or defi.categories_down:
        return
    changed = [p for p in facts.snapshot.protocols if p.change_1d_pct is not None and p.category]
    with_level = [p for p in changed if p.tvl_usd is not None]
    if changed and not with_level:
        # TVL levels are missing for every protocol with a 1-day change: nothing to weight by.
        out.lack(N_("DeFi TVL by category"))
    elif with_level:
        out.blocks.append(
            Paragraph(
                say_n(
                    "No category reached the %(floor)s category TVL floor (%(n)s protocol with "
                    "a TVL level).",
                    "No category reached the %(floor)s category TVL floor (%(n)s protocols "
                    "with a TVL level).",
                    len(with_level),
                    floor=money(cfg.category_tvl_floor_usd),
                )
            )
        )
    else:
        out.lack(N_("DeFi TVL by category"))


def _not_counted_reason(coin: StablecoinSupply) -> Phrase:
    if coin.circulating_usd is None:
        return say("no circulating supply level")
    return say("no previous-day supply or 1-day change")


def _stablecoins(facts: Facts, out: _Parts) -> None:
    st = facts.stablecoins
    if st is None:
        out.lack(STABLECOIN_LABEL)
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
            Table(("Coin", "Supply", "1-day change", "1-day change %"), rows, STABLECOIN_LABEL)
        )
    skipped = [c for c in st.coins if c.symbol not in st.counted]
    if st.net_change_usd is None:
        # No coin has both a supply level and a 1-day change.
        out.lack(N_("net stablecoin change"))
    else:
        threshold = facts.settings.defi.stablecoin_flow_usd
        net = st.net_change_usd
        if net >= threshold:
            reading = say("a net inflow")
        elif net <= -threshold:
            reading = say("a net outflow")
        else:
            reading = say("roughly flat")
        out.blocks.append(
            Paragraph(
                say(
                    "Net %(net)s over 1 day (%(coins)s): %(reading)s (threshold ±%(threshold)s).",
                    net=money(net, signed=True),
                    coins=listing(st.counted),
                    reading=reading,
                    threshold=money(threshold),
                )
            )
        )
    if skipped:
        reasons = listing(
            (
                say("%(coin)s (%(reason)s)", coin=c.symbol, reason=_not_counted_reason(c))
                for c in skipped
            ),
            "semicolon",
        )
        out.blocks.append(
            Paragraph(say("Not counted in the net change: %(reasons)s.", reasons=reasons))
        )
        out.missing.extend(say("%(coin)s supply change in USD", coin=c.symbol) for c in skipped)


def _dex(facts: Facts, out: _Parts) -> None:
    dex = facts.dex
    if dex is None:
        out.lack(N_("DEX volumes"))
        return
    if dex.movers:
        rows = tuple(
            (text(d.name), Cell(d.volume_24h_usd, Unit.USD), pct(d.change_1d_pct))
            for d in dex.movers
        )
        out.blocks.append(
            Table(("DEX", "24 h volume", "Change vs prior 24 h"), rows, N_("DEX volume movers"))
        )
        first = None
    else:
        first = say("No DEX has a 1-day volume change figure.")
    listed = facts.snapshot.dex_volumes
    with_volume = sum(1 for d in listed if d.volume_24h_usd is not None)
    total = None
    if dex.total_volume_usd is not None:
        total = say_n(
            "Total 24 h volume of the %(with_volume)s of %(n)s DEX with a volume figure: "
            "%(total)s.",
            "Total 24 h volume of the %(with_volume)s of %(n)s DEXes with a volume figure: "
            "%(total)s.",
            len(listed),
            with_volume=with_volume,
            total=money(dex.total_volume_usd),
        )
    if first or total:
        out.blocks.append(Paragraph(sentences(first, total)))


def _versus_us(facts: Facts, out: _Parts) -> None:
    # Crypto's move against the equity markets is the transmission chain's to say, once; this
    # section keeps the one pair figure a crypto reader looks for.
    crypto, us = facts.markets["CRYPTO"], facts.markets["US"]
    btc = next((m for m in crypto.moves if m.key == "BTC" and m.known), None)
    spx = next((m for m in us.moves if m.key == "SPX" and m.known), None)
    if not (btc and spx):
        out.lack(N_("crypto vs US equities"))
        return
    values = {
        "index": spx.display_name,
        "spread": figure(bps, spread_bps(btc.change_pct, spx.change_pct)),
    }
    if btc.session_date != spx.session_date:
        gap = say("BTC − %(index)s: %(spread)s (legs from different sessions).", **values)
    else:
        gap = say("BTC − %(index)s: %(spread)s.", **values)
    out.blocks.append(Paragraph(gap))


def build_crypto(facts: Facts) -> Section:
    """Return the crypto & DeFi section; every missing input is said and listed."""
    info = section_info("crypto")
    out = _Parts()
    for part in (_prices, _defi, _stablecoins, _dex, _versus_us):
        part(facts, out)
    return Section(info.key, info.title, tuple(out.blocks), tuple(out.missing))
