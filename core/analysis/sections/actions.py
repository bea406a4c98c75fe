"""Action plan: a stance per risk profile from regime, widest spread, breadth and stablecoins."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.sections.evidence import (
    Regime,
    breadth_state,
    regime,
    stablecoin_direction,
    stablecoin_net,
)
from core.analysis.signals import DivergenceLevel, MarketMove
from core.analysis.wording import (
    legs_relation,
    missing_breadth,
    missing_markets,
    missing_stablecoins,
    when,
)
from core.formatting import bps, compact_money, signed_pct
from core.report import Paragraph, Section, Table, text
from core.sections import section_info

COLUMNS = ("Profile", "Stance", "Actions")
PROFILES = ("Conservative", "Moderate", "Aggressive")
STANCES = {
    -1: ("Capital preservation", "Selective hedging", "Contrarian, on confirmation only"),
    0: ("Balanced", "Relative value", "Pair trades on confirmation"),
    1: ("Stay invested, no chasing", "Measured risk-on", "Follow momentum"),
}


def _markets_text(moves: tuple[MarketMove, ...], facts: Facts) -> str:
    # Each market's moves, mean and session are in its own section: name it only.
    return ", ".join(m.name for m in moves)


def _regime_text(r: Regime, facts: Facts) -> str:
    if r.known == 0:
        return "Regime: no market has figures in this snapshot, so no stance can be taken."
    lean = {-1: "Defensive lean", 0: "No clear lean", 1: "Constructive lean"}[r.lean]
    # Which market reads what is in the chain table: count them only.
    listed = [
        f"{len(group)} {label}"
        for label, group in (("risk-off", r.off), ("risk-on", r.on), ("neutral", r.neutral))
        if group
    ]
    return f"{lean} ({r.known} markets): {', '.join(listed)}."


def _pair_ideas(facts: Facts) -> tuple[str | None, str | None]:
    div = facts.strongest_divergence()
    if div is None or div.level not in (DivergenceLevel.NOTABLE, DivergenceLevel.MAJOR):
        return None, None
    pair = f"{div.a.display_name} − {div.b.display_name}"
    if legs_relation(div, facts) not in ("same", "concurrent"):
        # Legs that never traded at the same time (Thursday's US close against Friday's Hong
        # Kong session, Friday's close against Sunday's 24 h) support no pair trade.
        rd = facts.report_date
        return (
            f"no pair trade on the {div.level.value} {pair} spread of {bps(div.spread_bps)}: "
            f"its legs did not trade at the same time ({when(div.a, rd)} vs {when(div.b, rd)})",
            None,
        )
    leader, laggard = (div.a, div.b) if div.spread_bps > 0 else (div.b, div.a)
    caveat = ""
    reversion = (
        f"if the {div.level.value} {pair} spread of {bps(div.spread_bps)} starts to narrow: "
        f"long {laggard.display_name} / short {leader.display_name}{caveat}"
    )
    continuation = (
        f"if the {pair} spread widens beyond {bps(div.spread_bps)}: "
        f"long {leader.display_name} / short {laggard.display_name}{caveat}"
    )
    return reversion, continuation


def _actions(facts: Facts, r: Regime) -> tuple[list[str], list[str], list[str]]:
    cons: list[str] = []
    mod: list[str] = []
    aggr: list[str] = []
    if r.off:
        cons.append(f"reduce exposure to the risk-off markets: {_markets_text(r.off, facts)}")
    if r.on and r.lean >= 0:
        cons.append(f"keep core exposure where markets rose: {_markets_text(r.on, facts)}")
    if r.on and r.lean < 0:
        mod.append(
            f"keep exposure to {_markets_text(r.on, facts)} only hedged while {len(r.off)} of "
            f"{r.known} markets are risk-off"
        )
    if r.on and r.lean > 0:
        best = max(r.on, key=lambda m: m.mean_change_pct)
        mod.append(f"add to {best.name} in steps while it stays {best.signal}")
        top = best.best()
        aggr.append(
            f"follow {top.display_name} ({signed_pct(top.change_pct)}) "
            "while breadth and stablecoin supply confirm"
        )
    reversion, continuation = _pair_ideas(facts)
    if reversion:
        mod.append(reversion)
    if continuation:
        aggr.append(continuation)
    b, cfg = facts.breadth, facts.settings.breadth
    if b is not None:
        state = breadth_state(b, cfg)
        cn = ", ".join(i.display_name for i in facts.registry.in_market("CN"))
        if state == "weak":
            mod.append(
                f"add A-shares only after the advance rate recovers above {cfg.weak_pct:g}% "
                f"(now {b.advance_rate_pct:.1f}%)"
            )
            aggr.append(
                f"contrarian A-share entry ({cn}) only if the advance rate rebounds above "
                f"{cfg.weak_pct:g}% from {b.advance_rate_pct:.1f}%"
            )
        elif state == "strong":
            cons.append(
                f"do not chase A-shares: {b.advance_rate_pct:.1f}% of stocks rose, at or "
                f"above the {cfg.strong_pct:g}% bound"
            )
    flow_sign, net = stablecoin_direction(facts), stablecoin_net(facts)
    threshold = compact_money(facts.settings.defi.stablecoin_flow_usd)
    crypto = ", ".join(i.display_name for i in facts.registry.in_market("CRYPTO"))
    if flow_sign == -1:
        cons.append(
            f"no crypto dip-buying while stablecoin supply shrinks "
            f"(net {compact_money(net, signed=True)} over 1 day)"
        )
        aggr.append(
            f"re-enter crypto ({crypto}) only after stablecoin supply turns to net growth "
            f"above {threshold}"
        )
    elif flow_sign == 1:
        mod.append(
            f"stablecoin supply grew by a net {compact_money(net)}: crypto buying power is "
            f"building; scale into {crypto} rather than chase"
        )
    return cons, mod, aggr


def _cell(actions: list[str], fallback: str) -> str:
    items = actions or [fallback]
    return " ".join(f"{a[:1].upper()}{a[1:]}." for a in items)


def build_actions(facts: Facts) -> Section:
    """Return the action-plan section: one stance and its actions per risk profile."""
    info = section_info("actions")
    missing = (*missing_markets(facts), *missing_breadth(facts), *missing_stablecoins(facts))
    r = regime(facts)
    intro = Paragraph(_regime_text(r, facts))
    if r.known == 0:
        rows = tuple(
            (text(p), text("No view"), text("No positioning change: no market figures."))
            for p in PROFILES
        )
        return Section(info.key, info.title, (intro, Table(COLUMNS, rows)), missing)
    per_profile = _actions(facts, r)
    quiet = "no change: no figure passed a threshold that calls for one"
    rows = tuple(
        (text(p), text(stance), text(_cell(acts, quiet)))
        for p, stance, acts in zip(PROFILES, STANCES[r.lean], per_profile, strict=True)
    )
    return Section(info.key, info.title, (intro, Table(COLUMNS, rows)), missing)
