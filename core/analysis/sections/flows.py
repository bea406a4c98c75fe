"""Capital-flow map: equities down the chain, crypto into stablecoins and DeFi, from figures."""

from __future__ import annotations

from dataclasses import dataclass

from core.analysis.facts import Facts
from core.analysis.sections.evidence import stablecoin_direction, stablecoin_net
from core.analysis.signals import MarketMove
from core.analysis.wording import (
    missing_defi,
    missing_markets,
    missing_northbound,
    missing_stablecoins,
    money,
    session_tag,
    stablecoin_text,
)
from core.formatting import plain_pct, signed_pct
from core.i18n import N_
from core.phrase import Phrase, listing, say, say_n, sentences, verbatim
from core.report import Direction, FlowEdge, FlowMap, FlowNode, Section
from core.sections import section_info

NORTHBOUND = N_("Northbound (Stock Connect)")
STABLECOINS = N_("Stablecoins")
_BY_SIGN = {1: Direction.INFLOW, -1: Direction.OUTFLOW, 0: Direction.FLAT}


@dataclass(frozen=True)
class _Built:
    """A node plus the short figure the summary quotes for it."""

    node: FlowNode
    figure: str | Phrase


def _market_node(mm: MarketMove, facts: Facts) -> _Built:
    if not mm.known_moves:
        node = FlowNode(mm.name, Direction.UNKNOWN, say("no figures in this snapshot"))
        return _Built(node, say("n/a"))
    # The signal, mean, moves and session are in the chain table, its section and the header.
    details = []
    if mm.market == "CN":
        if facts.breadth is not None:
            rate = plain_pct(facts.breadth.advance_rate_pct)
            details.append(say("advance rate %(rate)s", rate=rate))
        turnover = facts.snapshot.turnover
        if turnover is not None and turnover.turnover_cny is not None:
            details.append(say("turnover %(amount)s", amount=money(turnover.turnover_cny, "¥")))
    detail = listing(details) if details else ""
    figure = signed_pct(mm.mean_change_pct)
    return _Built(FlowNode(mm.name, _BY_SIGN[mm.signal.sign], detail), figure)


def _northbound(facts: Facts) -> tuple[_Built, str]:
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is None and nb.turnover_cny is not None:
        # Turnover is published, direction is not: show the size, never guess the sign.
        turnover = money(nb.turnover_cny, "¥")
        why = say(
            "net buying not published; turnover %(amount)s (%(when)s, %(source)s)",
            amount=turnover,
            when=session_tag(nb.session_date, facts.report_date),
            source=verbatim(nb.source),
        )
        node = FlowNode(NORTHBOUND, Direction.UNKNOWN, why)
        figure = say("turnover %(amount)s", amount=turnover)
        return _Built(node, figure), say("net buying not published")
    if nb is None or nb.net_buy_cny is None:
        why: str | Phrase = ""  # (?) marks it; the report's one missing line names it
        if nb is not None and nb.note:
            why = say("no figures (%(note)s)", note=nb.note)
        return _Built(FlowNode(NORTHBOUND, Direction.UNKNOWN, why), say("n/a")), ""
    net = money(nb.net_buy_cny, "¥", signed=True)
    sign = (nb.net_buy_cny > 0) - (nb.net_buy_cny < 0)
    when = session_tag(nb.session_date, facts.report_date)
    detail = say("net buy %(net)s (%(when)s)", net=net, when=when)
    label = say("net buy %(net)s", net=net)
    return _Built(FlowNode(NORTHBOUND, _BY_SIGN[sign], detail), net), label


def _stablecoins(facts: Facts) -> _Built:
    sign = stablecoin_direction(facts)
    if sign is None:
        return _Built(FlowNode(STABLECOINS, Direction.UNKNOWN, ""), say("n/a"))
    detail = stablecoin_text(facts)
    if sign == 0:
        flow = money(facts.settings.defi.stablecoin_flow_usd)
        detail = say(
            "%(detail)s; below the %(flow)s threshold for a real flow", detail=detail, flow=flow
        )
    figure = say("net %(net)s", net=money(stablecoin_net(facts), signed=True))
    return _Built(FlowNode(STABLECOINS, _BY_SIGN[sign], detail), figure)


def _defi(facts: Facts) -> list[_Built]:
    defi = facts.defi
    if defi is None:
        return [_Built(FlowNode("DeFi", Direction.UNKNOWN, ""), "")]
    if defi.categories_up or defi.categories_down:
        return [
            _Built(
                FlowNode(
                    f"DeFi: {c.category}",
                    Direction.INFLOW if c.change_pct > 0 else Direction.OUTFLOW,
                    say_n(
                        "TVL %(tvl)s, %(change)s (%(amount)s) over 1 day across %(n)s protocol",
                        "TVL %(tvl)s, %(change)s (%(amount)s) over 1 day across %(n)s protocols",
                        c.protocols,
                        tvl=money(c.tvl_usd),
                        change=signed_pct(c.change_pct),
                        amount=money(c.change_usd, signed=True),
                    ),
                ),
                signed_pct(c.change_pct),
            )
            for c in (*defi.categories_up, *defi.categories_down)
        ]
    out = []
    for p in (*defi.winners, *defi.losers):
        level = money(p.tvl_usd) if p.tvl_usd is not None else say("level not given")
        change = signed_pct(p.change_1d_pct)
        out.append(
            _Built(
                FlowNode(
                    f"DeFi: {p.name}",
                    Direction.INFLOW if p.change_1d_pct > 0 else Direction.OUTFLOW,
                    say(
                        "%(category)s; TVL %(change)s over 1 day (TVL %(level)s)",
                        category=verbatim(p.category),
                        change=change,
                        level=level,
                    )
                    if p.category
                    else say(
                        "TVL %(change)s over 1 day (TVL %(level)s)", change=change, level=level
                    ),
                ),
                signed_pct(p.change_1d_pct),
            )
        )
    if not out:
        floor = money(facts.settings.defi.tvl_floor_usd)
        detail = say("no protocol above the %(floor)s TVL floor has a 1-day change", floor=floor)
        out.append(_Built(FlowNode("DeFi", Direction.FLAT, detail), ""))
    return out


def _crypto_reading(crypto: MarketMove, stable_sign: int | None) -> Phrase | str:
    if crypto.signal.sign in (None, 0) or stable_sign in (None, 0):
        return ""
    readings = {
        (-1, -1): N_(
            "Crypto prices and stablecoin supply both fell: consistent with money leaving "
            "crypto rather than waiting in stablecoins."
        ),
        (-1, 1): N_(
            "Stablecoin supply grew while crypto prices fell: consistent with rotation into "
            "stablecoins rather than an exit."
        ),
        (1, 1): N_(
            "Stablecoin supply grew alongside rising crypto prices: consistent with new money "
            "entering."
        ),
        (1, -1): N_(
            "Crypto prices rose while stablecoin supply shrank: consistent with stablecoins "
            "being spent into crypto."
        ),
    }
    return say(readings[(crypto.signal.sign, stable_sign)])


def _summary(built: list[_Built], facts: Facts) -> Phrase:
    def quoted(b: _Built) -> Phrase:
        return say("%(name)s (%(figure)s)", name=b.node.name, figure=b.figure)

    def names(direction: Direction) -> list:
        main = [b for b in built if b.node.direction is direction]
        # A market's mean is in the chain table; measured flows quote their figure here.
        core: list = [
            b.node.name if b.node.name in markets else quoted(b)
            for b in main
            if not b.node.name.startswith("DeFi")
        ]
        defi = [
            say("%(name)s (%(figure)s)", name=verbatim(b.node.name[6:]), figure=b.figure)
            for b in main
            if b.node.name.startswith("DeFi:")
        ]
        if defi:
            core.append(say("DeFi %(items)s", items=listing(defi[:2])))
        return core

    markets = {m.name for m in facts.markets.values()}
    into, out_of = names(Direction.INFLOW), names(Direction.OUTFLOW)
    unknown = [b.node.name for b in built if b.node.direction is Direction.UNKNOWN]
    flat = [
        quoted(b) if b.figure and b.node.name not in markets else b.node.name
        for b in built
        if b.node.direction is Direction.FLAT
    ]
    if not into and not out_of:
        if unknown:
            return say(
                "No direction can be given: no figures for %(names)s.", names=listing(unknown)
            )
        return say("No direction can be given: every node was flat.")
    parts = []
    if out_of:
        parts.append(say("Money left %(names)s.", names=listing(out_of, "semicolon")))
    if into:
        parts.append(say("Money went to %(names)s.", names=listing(into, "semicolon")))
    parts.append(_crypto_reading(facts.markets["CRYPTO"], stablecoin_direction(facts)))
    if flat:
        parts.append(say("Little change: %(names)s.", names=listing(flat, "semicolon")))
    parts.append(say("Directions are price moves, not measured flows."))
    return sentences(*parts)


def build_flows(facts: Facts) -> Section:
    """Return the capital-flow map section."""
    info = section_info("flows")
    nodes = {k: _market_node(facts.markets[k], facts) for k in ("US", "HK", "CN", "CRYPTO")}
    us, hk, cn, crypto = nodes.values()
    northbound, nb_label = _northbound(facts)
    stable = _stablecoins(facts)
    defi = _defi(facts)
    built = [us, hk, cn, northbound, crypto, stable, *defi]
    net = stablecoin_net(facts)
    # The chain's links between markets are the transmission section's; the map's links
    # are the measured flows.
    edges: list[FlowEdge] = []
    # A link without a figure would only repeat the missing line.
    if nb_label:
        edges.append(FlowEdge(NORTHBOUND, cn.node.name, nb_label))
    if net is not None:
        edges.append(
            FlowEdge(
                crypto.node.name, STABLECOINS, say("supply %(net)s", net=money(net, signed=True))
            )
        )
    edges.extend(
        FlowEdge(crypto.node.name, d.node.name, say("TVL %(change)s", change=d.figure))
        for d in defi
        if d.figure
    )
    missing = (
        *missing_markets(facts),
        *missing_northbound(facts),
        *missing_stablecoins(facts),
        *missing_defi(facts),
    )
    flow_map = FlowMap(tuple(b.node for b in built), tuple(edges), _summary(built, facts))
    return Section(info.key, info.title, (flow_map,), tuple(missing))
