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
    change_text,
    legs_relation,
    missing_breadth,
    missing_markets,
    missing_stablecoins,
    money,
    when,
)
from core.formatting import bps
from core.i18n import N_
from core.phrase import Phrase, capitalized, figure, listing, say, sentences
from core.report import Paragraph, Section, Table, text
from core.sections import section_info

COLUMNS = ("Profile", "Stance", "Actions")
PROFILES = ("Conservative", "Moderate", "Aggressive")
STANCES = {
    -1: ("Capital preservation", "Selective hedging", "Contrarian, on confirmation only"),
    0: (N_("Balanced"), N_("Relative value"), N_("Pair trades on confirmation")),
    1: (N_("Stay invested, no chasing"), N_("Measured risk-on"), N_("Follow momentum")),
}
_LEANS = {
    -1: N_("Defensive lean (%(known)s markets): %(counts)s."),
    0: N_("No clear lean (%(known)s markets): %(counts)s."),
    1: N_("Constructive lean (%(known)s markets): %(counts)s."),
}


def _markets_text(moves: tuple[MarketMove, ...], facts: Facts) -> Phrase:
    # Each market's moves, mean and session are in its own section: name it only.
    return listing(m.name for m in moves)


def _regime_text(r: Regime, facts: Facts) -> Phrase:
    if r.known == 0:
        return say("Regime: no market has figures in this snapshot, so no stance can be taken.")
    # Which market reads what is in the chain table: count them only.
    counts = {
        N_("%(n)s risk-off"): r.off,
        N_("%(n)s risk-on"): r.on,
        N_("%(n)s neutral"): r.neutral,
    }
    listed = listing(say(label, n=len(group)) for label, group in counts.items() if group)
    return say(_LEANS[r.lean], known=r.known, counts=listed)


def _pair_ideas(facts: Facts) -> tuple[Phrase | None, Phrase | None]:
    div = facts.strongest_divergence()
    if div is None or div.level not in (DivergenceLevel.NOTABLE, DivergenceLevel.MAJOR):
        return None, None
    pair = {"a": div.a.display_name, "b": div.b.display_name}
    spread = figure(bps, div.spread_bps)
    if legs_relation(div, facts) not in ("same", "concurrent"):
        # Legs that never traded at the same time (Thursday's US close against Friday's Hong
        # Kong session, Friday's close against Sunday's 24 h) support no pair trade.
        rd = facts.report_date
        return (
            say(
                "no pair trade on the %(level)s %(a)s − %(b)s spread of %(spread)s: its legs did "
                "not trade at the same time (%(a_when)s vs %(b_when)s)",
                level=div.level.value,
                spread=spread,
                a_when=when(div.a, rd),
                b_when=when(div.b, rd),
                **pair,
            ),
            None,
        )
    leader, laggard = (div.a, div.b) if div.spread_bps > 0 else (div.b, div.a)
    sides = {"leader": leader.display_name, "laggard": laggard.display_name}
    reversion = say(
        "if the %(level)s %(a)s − %(b)s spread of %(spread)s starts to narrow: long "
        "%(laggard)s / short %(leader)s",
        level=div.level.value,
        spread=spread,
        **pair,
        **sides,
    )
    continuation = say(
        "if the %(a)s − %(b)s spread widens beyond %(spread)s: long %(leader)s / short %(laggard)s",
        spread=spread,
        **pair,
        **sides,
    )
    return reversion, continuation


def _actions(facts: Facts, r: Regime) -> tuple[list[Phrase], list[Phrase], list[Phrase]]:
    cons: list[Phrase] = []
    mod: list[Phrase] = []
    aggr: list[Phrase] = []
    if r.off:
        cons.append(
            say(
                "reduce exposure to the risk-off markets: %(markets)s",
                markets=_markets_text(r.off, facts),
            )
        )
    if r.on and r.lean >= 0:
        cons.append(
            say(
                "keep core exposure where markets rose: %(markets)s",
                markets=_markets_text(r.on, facts),
            )
        )
    if r.on and r.lean < 0:
        mod.append(
            say(
                "keep exposure to %(markets)s only hedged while %(off)s of %(known)s markets are "
                "risk-off",
                markets=_markets_text(r.on, facts),
                off=len(r.off),
                known=r.known,
            )
        )
    if r.on and r.lean > 0:
        best = max(r.on, key=lambda m: m.mean_change_pct)
        mod.append(
            say(
                "add to %(market)s in steps while it stays %(signal)s",
                market=best.name,
                signal=best.signal.value,
            )
        )
        top = best.best()
        aggr.append(
            say(
                "follow %(name)s (%(change)s) while breadth and stablecoin supply confirm",
                name=top.display_name,
                change=change_text(top.change_pct),
            )
        )
    reversion, continuation = _pair_ideas(facts)
    if reversion:
        mod.append(reversion)
    if continuation:
        aggr.append(continuation)
    b, cfg = facts.breadth, facts.settings.breadth
    if b is not None:
        state = breadth_state(b, cfg)
        cn = listing(i.display_name for i in facts.registry.in_market("CN"))
        rates = {"weak": f"{cfg.weak_pct:g}%", "rate": f"{b.advance_rate_pct:.1f}%"}
        if state == "weak":
            mod.append(
                say(
                    "add A-shares only after the advance rate recovers above %(weak)s (now "
                    "%(rate)s)",
                    **rates,
                )
            )
            aggr.append(
                say(
                    "contrarian A-share entry (%(indexes)s) only if the advance rate rebounds "
                    "above %(weak)s from %(rate)s",
                    indexes=cn,
                    **rates,
                )
            )
        elif state == "strong":
            cons.append(
                say(
                    "do not chase A-shares: %(rate)s of stocks rose, at or above the %(strong)s "
                    "bound",
                    rate=rates["rate"],
                    strong=f"{cfg.strong_pct:g}%",
                )
            )
    flow_sign, net = stablecoin_direction(facts), stablecoin_net(facts)
    threshold = money(facts.settings.defi.stablecoin_flow_usd)
    crypto = listing(i.display_name for i in facts.registry.in_market("CRYPTO"))
    if flow_sign == -1:
        cons.append(
            say(
                "no crypto dip-buying while stablecoin supply shrinks (net %(net)s over 1 day)",
                net=money(net, signed=True),
            )
        )
        aggr.append(
            say(
                "re-enter crypto (%(assets)s) only after stablecoin supply turns to net growth "
                "above %(threshold)s",
                assets=crypto,
                threshold=threshold,
            )
        )
    elif flow_sign == 1:
        mod.append(
            say(
                "stablecoin supply grew by a net %(net)s: crypto buying power is building; "
                "scale into %(assets)s rather than chase",
                net=money(net),
                assets=crypto,
            )
        )
    return cons, mod, aggr


def _cell(actions: list[Phrase], fallback: Phrase) -> Phrase:
    items = actions or [fallback]
    return sentences(*(say("%(action)s.", action=capitalized(a)) for a in items))


def build_actions(facts: Facts) -> Section:
    """Return the action-plan section: one stance and its actions per risk profile."""
    info = section_info("actions")
    missing = (*missing_markets(facts), *missing_breadth(facts), *missing_stablecoins(facts))
    r = regime(facts)
    intro = Paragraph(_regime_text(r, facts))
    if r.known == 0:
        rows = tuple(
            (
                text(p),
                text(say("No view")),
                text(say("No positioning change: no market figures.")),
            )
            for p in PROFILES
        )
        return Section(info.key, info.title, (intro, Table(COLUMNS, rows)), missing)
    per_profile = _actions(facts, r)
    quiet = say("no change: no figure passed a threshold that calls for one")
    rows = tuple(
        (text(p), text(stance), text(_cell(acts, quiet)))
        for p, stance, acts in zip(PROFILES, STANCES[r.lean], per_profile, strict=True)
    )
    return Section(info.key, info.title, (intro, Table(COLUMNS, rows)), missing)
