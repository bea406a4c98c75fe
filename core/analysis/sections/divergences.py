"""Cross-market divergences: spreads A − B in bps for the configured pairs or one chosen pair."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.sections._moves import leg_session
from core.analysis.signals import Divergence, DivergenceLevel, divergence
from core.analysis.wording import missing_text
from core.formatting import bps, signed_pct
from core.report import BulletList, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_info

_COLUMNS = ("Pair", "A change", "B change", "Spread (A − B)", "Level", "Sessions")


def _pair(div: Divergence) -> str:
    return f"{div.a.display_name} vs {div.b.display_name}"


def _sessions(div: Divergence) -> str:
    a, b = leg_session(div.a), leg_session(div.b)
    return a if a == b else f"{a} / {b}"


def _row(div: Divergence) -> tuple[Cell, ...]:
    return (
        text(_pair(div)),
        pct(div.a.change_pct),
        pct(div.b.change_pct),
        Cell(div.spread_bps, Unit.BPS, signed=True),
        text(None if div.level is DivergenceLevel.UNKNOWN else div.level.value),
        text(_sessions(div)),
    )


def _table(divs: tuple[Divergence, ...], facts: Facts, title: str) -> Table:
    cfg = facts.settings.divergence
    return Table(
        _COLUMNS,
        tuple(_row(d) for d in divs),
        title=title,
        footer=(
            f"Spread = A − B in bps (1% = 100 bps); notable from {cfg.notable_bps:.0f} bps, "
            f"major from {cfg.major_bps:.0f} bps."
        ),
    )


def _session_flag(div: Divergence) -> str:
    if div.same_session:
        return ""
    return (
        f" The legs come from different sessions ({div.a.display_name} {leg_session(div.a)}, "
        f"{div.b.display_name} {leg_session(div.b)}): a lead-lag gap, not a same-session spread."
    )


def _describe(div: Divergence) -> str:
    """Return a sentence wording one known divergence with its figures."""
    if div.opposite_directions:
        direction = "opposite directions"
    elif div.a.change_pct == 0 or div.b.change_pct == 0:
        direction = "one leg flat"
    else:
        direction = "same direction, different size"
    return (
        f"{_pair(div)}: {bps(div.spread_bps)} ({div.level.value}) — "
        f"{div.a.display_name} {signed_pct(div.a.change_pct)} vs "
        f"{div.b.display_name} {signed_pct(div.b.change_pct)}, {direction}." + _session_flag(div)
    )


def _lacking(div: Divergence) -> str:
    absent = ", ".join(m.display_name for m in (div.a, div.b) if not m.known)
    return missing_text(f"{_pair(div)} spread", f"no figure for {absent}")


def build_divergences(facts: Facts) -> Section:
    """Return the divergence table of the configured pairs and a bullet per notable one."""
    info = section_info("divergences")
    cfg = facts.settings.divergence
    divs = facts.divergences
    if not divs:
        return Section(
            info.key,
            info.title,
            (Paragraph("No divergence pairs are configured in analysis.toml."),),
        )
    wide = [d for d in divs if d.level in (DivergenceLevel.MAJOR, DivergenceLevel.NOTABLE)]
    wide.sort(key=lambda d: -abs(d.spread_bps))
    blocks: list = [_table(divs, facts, "Configured pairs")]
    if wide:
        blocks.append(BulletList(tuple(_describe(d) for d in wide)))
    else:
        widest = facts.strongest_divergence()
        if widest is not None:
            blocks.append(
                Paragraph(
                    f"No configured pair diverged by {cfg.notable_bps:.0f} bps or more; the "
                    f"widest was {_pair(widest)} at {bps(widest.spread_bps)}."
                )
            )
    unknown = [d for d in divs if d.spread_bps is None]
    if unknown:
        blocks.append(Paragraph(" ".join(_lacking(d) for d in unknown)))
    return Section(info.key, info.title, tuple(blocks), tuple(_pair(d) for d in unknown))


def build_pair_divergence(facts: Facts, a: str, b: str) -> Section:
    """Return the divergence of one user-chosen pair (names may be aliases)."""
    info = section_info("divergences")
    cfg = facts.settings.divergence
    div = divergence(facts.snapshot, facts.registry, a, b, cfg)
    blocks: list = [_table((div,), facts, _pair(div))]
    if div.spread_bps is None:
        blocks.append(Paragraph(_lacking(div)))
        missing = tuple(m.display_name for m in (div.a, div.b) if not m.known)
        return Section(info.key, info.title, tuple(blocks), missing)
    if div.a.key == div.b.key:
        sentence = f"{div.a.display_name} is compared with itself: the spread is 0 bps."
    else:
        sentence = _describe(div)
    blocks.append(Paragraph(sentence))
    return Section(info.key, info.title, tuple(blocks))
