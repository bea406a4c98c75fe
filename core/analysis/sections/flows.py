"""Capital-flow map: equities down the chain, crypto into stablecoins and DeFi, from figures."""

from __future__ import annotations

from dataclasses import dataclass

from core.analysis.facts import ChainLink, Facts
from core.analysis.sections.evidence import stablecoin_direction, stablecoin_net
from core.analysis.signals import MarketMove
from core.analysis.wording import (
    missing_defi,
    missing_markets,
    missing_northbound,
    missing_stablecoins,
    session_tag,
    stablecoin_text,
)
from core.formatting import compact_money, plain_pct, signed_pct
from core.report import Direction, FlowEdge, FlowMap, FlowNode, Section
from core.sections import section_info

NORTHBOUND = "Northbound (Stock Connect)"
STABLECOINS = "Stablecoins"
_BY_SIGN = {1: Direction.INFLOW, -1: Direction.OUTFLOW, 0: Direction.FLAT}


@dataclass(frozen=True)
class _Built:
    """A node plus the short figure the summary quotes for it."""

    node: FlowNode
    figure: str


def _market_node(mm: MarketMove, facts: Facts) -> _Built:
    if not mm.known_moves:
        return _Built(FlowNode(mm.name, Direction.UNKNOWN, "no figures in this snapshot"), "n/a")
    # The signal, mean, moves and session are in the chain table, its section and the header.
    detail = ""
    if mm.market == "CN":
        if facts.breadth is not None:
            detail += f"advance rate {plain_pct(facts.breadth.advance_rate_pct)}"
        turnover = facts.snapshot.turnover
        if turnover is not None and turnover.turnover_cny is not None:
            detail += (
                f"{', ' if detail else ''}turnover {compact_money(turnover.turnover_cny, '¥')}"
            )
    figure = signed_pct(mm.mean_change_pct)
    return _Built(FlowNode(mm.name, _BY_SIGN[mm.signal.sign], detail), figure)


def _northbound(facts: Facts) -> tuple[_Built, str]:
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is None and nb.turnover_cny is not None:
        # Turnover is published, direction is not: show the size, never guess the sign.
        turnover = compact_money(nb.turnover_cny, "¥")
        why = (
            f"net buying not published; turnover {turnover} "
            f"({session_tag(nb.session_date, facts.report_date)}, {nb.source})"
        )
        node = FlowNode(NORTHBOUND, Direction.UNKNOWN, why)
        return _Built(node, f"turnover {turnover}"), "net buying not published"
    if nb is None or nb.net_buy_cny is None:
        why = "no figures" + (f" ({nb.note})" if nb is not None and nb.note else "")
        return _Built(FlowNode(NORTHBOUND, Direction.UNKNOWN, why), "n/a"), ""
    net = compact_money(nb.net_buy_cny, "¥", signed=True)
    sign = (nb.net_buy_cny > 0) - (nb.net_buy_cny < 0)
    detail = f"net buy {net} ({session_tag(nb.session_date, facts.report_date)})"
    return _Built(FlowNode(NORTHBOUND, _BY_SIGN[sign], detail), net), f"net buy {net}"


def _stablecoins(facts: Facts) -> _Built:
    sign = stablecoin_direction(facts)
    if sign is None:
        return _Built(FlowNode(STABLECOINS, Direction.UNKNOWN, "no figures"), "n/a")
    detail = stablecoin_text(facts)
    if sign == 0:
        flow = compact_money(facts.settings.defi.stablecoin_flow_usd)
        detail += f"; below the {flow} threshold for a real flow"
    figure = f"net {compact_money(stablecoin_net(facts), signed=True)}"
    return _Built(FlowNode(STABLECOINS, _BY_SIGN[sign], detail), figure)


def _defi(facts: Facts) -> list[_Built]:
    defi = facts.defi
    if defi is None:
        return [_Built(FlowNode("DeFi", Direction.UNKNOWN, "no figures"), "")]
    if defi.categories_up or defi.categories_down:
        return [
            _Built(
                FlowNode(
                    f"DeFi: {c.category}",
                    Direction.INFLOW if c.change_pct > 0 else Direction.OUTFLOW,
                    f"TVL {compact_money(c.tvl_usd)}, {signed_pct(c.change_pct)} "
                    f"({compact_money(c.change_usd, signed=True)}) over 1 day across "
                    f"{c.protocols} protocol{'s' if c.protocols != 1 else ''}",
                ),
                signed_pct(c.change_pct),
            )
            for c in (*defi.categories_up, *defi.categories_down)
        ]
    out = []
    for p in (*defi.winners, *defi.losers):
        level = compact_money(p.tvl_usd) if p.tvl_usd is not None else "level not given"
        category = f"{p.category}; " if p.category else ""
        out.append(
            _Built(
                FlowNode(
                    f"DeFi: {p.name}",
                    Direction.INFLOW if p.change_1d_pct > 0 else Direction.OUTFLOW,
                    f"{category}TVL {signed_pct(p.change_1d_pct)} over 1 day (TVL {level})",
                ),
                signed_pct(p.change_1d_pct),
            )
        )
    if not out:
        floor = compact_money(facts.settings.defi.tvl_floor_usd)
        detail = f"no protocol above the {floor} TVL floor has a 1-day change"
        out.append(_Built(FlowNode("DeFi", Direction.FLAT, detail), ""))
    return out


def _link_label(link: ChainLink, facts: Facts) -> str:
    a, b = facts.markets[link.source], facts.markets[link.target]
    match link.status:
        case "confirms":
            return f"carried ({b.signal.value})"
        case "breaks":
            return f"broke ({a.signal.value} → {b.signal.value})"
        case "neutral":
            return f"unclear ({a.signal.value} → {b.signal.value})"
        case _:
            lacking = [m.name for m in (a, b) if not m.known_moves]
            return f"unknown: no figures for {' and '.join(lacking)}"


def _crypto_reading(crypto: MarketMove, stable_sign: int | None) -> str:
    if crypto.signal.sign in (None, 0) or stable_sign in (None, 0):
        return ""
    readings = {
        (-1, -1): "crypto prices and stablecoin supply both fell: consistent with money leaving "
        "crypto rather than waiting in stablecoins.",
        (-1, 1): "stablecoin supply grew while crypto prices fell: consistent with rotation into "
        "stablecoins rather than an exit.",
        (1, 1): "stablecoin supply grew alongside rising crypto prices: consistent with new money "
        "entering.",
        (1, -1): "crypto prices rose while stablecoin supply shrank: consistent with stablecoins "
        "being spent into crypto.",
    }
    return readings[(crypto.signal.sign, stable_sign)]


def _summary(built: list[_Built], facts: Facts) -> str:
    def names(direction: Direction) -> list[str]:
        main = [b for b in built if b.node.direction is direction]
        # A market's mean is in the chain table; measured flows quote their figure here.
        core = [
            b.node.name if b.node.name in markets else f"{b.node.name} ({b.figure})"
            for b in main
            if not b.node.name.startswith("DeFi")
        ]
        defi = [f"{b.node.name[6:]} ({b.figure})" for b in main if b.node.name.startswith("DeFi:")]
        if defi:
            core.append(f"DeFi {', '.join(defi[:2])}")
        return core

    markets = {m.name for m in facts.markets.values()}
    into, out_of = names(Direction.INFLOW), names(Direction.OUTFLOW)
    unknown = [b.node.name for b in built if b.node.direction is Direction.UNKNOWN]
    flat = [
        f"{b.node.name} ({b.figure})" if b.figure and b.node.name not in markets else b.node.name
        for b in built
        if b.node.direction is Direction.FLAT
    ]
    if not into and not out_of:
        return "No direction can be given: " + (
            f"no figures for {', '.join(unknown)}." if unknown else "every node was flat."
        )
    parts = []
    if out_of:
        parts.append(f"Money left {'; '.join(out_of)}.")
    if into:
        parts.append(f"Money went to {'; '.join(into)}.")
    reading = _crypto_reading(facts.markets["CRYPTO"], stablecoin_direction(facts))
    if reading:
        parts.append(reading[0].upper() + reading[1:])
    if flat:
        parts.append(f"Little change: {'; '.join(flat)}.")
    parts.append("Market directions are price moves, not measured flows.")
    return " ".join(parts)


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
            FlowEdge(crypto.node.name, STABLECOINS, f"supply {compact_money(net, signed=True)}")
        )
    edges.extend(
        FlowEdge(crypto.node.name, d.node.name, f"TVL {d.figure}") for d in defi if d.figure
    )
    missing = (
        *missing_markets(facts),
        *missing_northbound(facts),
        *missing_stablecoins(facts),
        *missing_defi(facts),
    )
    flow_map = FlowMap(tuple(b.node for b in built), tuple(edges), _summary(built, facts))
    return Section(info.key, info.title, (flow_map,), tuple(missing))
