"""Cross-market divergences: spreads A − B in bps for the configured pairs or one chosen pair."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.history_stats import SpreadStats, zscore_phrase
from core.analysis.signals import Divergence, DivergenceLevel, divergence
from core.analysis.wording import leg_session, legs_timing, missing_text
from core.formatting import bps
from core.i18n import N_
from core.phrase import Phrase, figure, listing, say, sentences
from core.report import BulletList, Cell, Paragraph, Section, Table, Unit, pct, text
from core.sections import section_info

# In the report the legs' changes are in their markets' tables and the thresholds in its
# legend; a pair asked for on its own shows its legs and their sessions.
_COLUMNS = ("Pair", "Spread (A − B)", "Level")
_LEG_COLUMNS = ("Pair", "A change", "B change", "Spread (A − B)", "Level", "Sessions")


def _pair(div: Divergence) -> Phrase:
    return say("%(a)s vs %(b)s", a=div.a.display_name, b=div.b.display_name)


def _sessions(div: Divergence) -> Phrase:
    a, b = leg_session(div.a), leg_session(div.b)
    return a if a == b else listing((a, b), "slash")


def _stats(div: Divergence, facts: Facts) -> SpreadStats | None:
    return facts.history.of(div.a.key, div.b.key)


def _row(div: Divergence, facts: Facts, legs: bool) -> tuple[Cell, ...]:
    spread = Cell(div.spread_bps, Unit.BPS, signed=True)
    level = text(None if div.level is DivergenceLevel.UNKNOWN else div.level.value)
    if legs:
        a, b = pct(div.a.change_pct), pct(div.b.change_pct)
        cells = (text(_pair(div)), a, b, spread, level, text(_sessions(div)))
    else:
        cells = (text(_pair(div)), spread, level)
    if facts.history.unavailable:
        return cells
    stats = _stats(div, facts)
    z = stats.zscore if stats else None
    corr = stats.correlation if stats else None
    return (
        *cells,
        text(None if z is None else f"{z:+.1f}σ"),
        text(None if corr is None else f"{corr:+.2f}"),
    )


def _table(divs: tuple[Divergence, ...], facts: Facts, title: str | None = None) -> Table:
    legs = title is not None
    columns = _LEG_COLUMNS if legs else _COLUMNS
    if not facts.history.unavailable:
        window = facts.settings.history.window_sessions
        columns = (*columns, say("z (%(window)s sessions)", window=window), N_("Correlation"))
    apart = [d for d in divs if d.spread_bps is not None and not d.same_session]
    footer = None
    if apart and not legs:
        # Only where a pair's legs come from different sessions is a date worth repeating.
        dated = [
            say("%(pair)s (%(sessions)s)", pair=_pair(d), sessions=_sessions(d)) for d in apart
        ]
        footer = say("Legs from different sessions: %(pairs)s", pairs=listing(dated, "semicolon"))
    rows = tuple(_row(d, facts, legs) for d in divs)
    return Table(columns, rows, title=title, footer=footer)


def _history_text(div: Divergence, facts: Facts, *, alone: bool = False) -> Phrase | str:
    """Return a sentence ranking the pair's spread against its stored history, if any."""
    stats = _stats(div, facts)
    if stats is None:
        return ""
    if stats.zscore is None:
        return say("History too short to rank it: %(reason)s.", reason=stats.reason)
    cfg = facts.settings.history
    values = {
        "move": zscore_phrase(stats.zscore, cfg.unusual_zscore),
        "window": stats.window,
        "mean": figure(bps, stats.mean_bps),
        "sigma": figure(bps, stats.std_bps, signed=False),
    }
    if not alone:
        # In the report the table holds z and correlation.
        return say(
            "It is %(move)s against the previous %(window)s aligned sessions (mean %(mean)s, "
            "σ %(sigma)s).",
            **values,
        )
    values["z"] = f"{stats.zscore:+.1f}"
    if stats.correlation is None:
        return say(
            "It is %(move)s against the previous %(window)s aligned sessions (z %(z)s; mean "
            "%(mean)s, σ %(sigma)s).",
            **values,
        )
    return say(
        "It is %(move)s against the previous %(window)s aligned sessions (z %(z)s; mean "
        "%(mean)s, σ %(sigma)s); daily-return correlation %(correlation)s.",
        correlation=f"{stats.correlation:+.2f}",
        **values,
    )


def _unusual(div: Divergence, facts: Facts) -> bool:
    stats = _stats(div, facts)
    return (
        stats is not None
        and stats.zscore is not None
        and abs(stats.zscore) >= facts.settings.history.unusual_zscore
    )


def _no_history(facts: Facts) -> Paragraph:
    return Paragraph(
        say(
            "Spreads are not ranked against past sessions: %(reason)s.",
            reason=facts.history.unavailable,
        )
    )


def _describe(div: Divergence, facts: Facts, *, alone: bool = False) -> Phrase:
    """Return a sentence wording one known divergence with its figures."""
    if div.opposite_directions:
        direction = say("opposite directions")
    elif div.a.change_pct == 0 or div.b.change_pct == 0:
        direction = say("one leg flat")
    else:
        direction = say("same direction, different size")
    head = say(
        "%(pair)s: %(spread)s (%(level)s), %(direction)s.",
        pair=_pair(div),
        spread=figure(bps, div.spread_bps),
        level=div.level.value,
        direction=direction,
    )
    return sentences(head, legs_timing(div, facts), _history_text(div, facts, alone=alone))


def _lacking(div: Divergence) -> Phrase:
    absent = listing(m.display_name for m in (div.a, div.b) if not m.known)
    return missing_text(
        say("%(pair)s spread", pair=_pair(div)), say("no figure for %(absent)s", absent=absent)
    )


def build_divergences(facts: Facts) -> Section:
    """Return the divergence table of the configured pairs and a bullet per notable one."""
    info = section_info("divergences")
    cfg = facts.settings.divergence
    divs = facts.divergences
    if not divs:
        return Section(
            info.key,
            info.title,
            (Paragraph(say("No divergence pairs are configured in analysis.toml.")),),
        )
    wide = [
        d
        for d in divs
        if d.level in (DivergenceLevel.MAJOR, DivergenceLevel.NOTABLE) or _unusual(d, facts)
    ]
    wide.sort(key=lambda d: -abs(d.spread_bps))
    blocks: list = [_table(divs, facts)]
    if wide:
        blocks.append(BulletList(tuple(_describe(d, facts) for d in wide)))
    else:
        widest = facts.strongest_divergence()
        if widest is not None:
            blocks.append(
                Paragraph(
                    sentences(
                        say(
                            "No configured pair diverged by %(notable)s or more; the widest "
                            "was %(pair)s at %(spread)s.",
                            notable=figure(bps, cfg.notable_bps, signed=False),
                            pair=_pair(widest),
                            spread=figure(bps, widest.spread_bps),
                        ),
                        _history_text(widest, facts),
                    )
                )
            )
    unknown = [d for d in divs if d.spread_bps is None]
    if unknown:
        blocks.append(Paragraph(sentences(*(_lacking(d) for d in unknown))))
    if facts.history.unavailable:
        blocks.append(_no_history(facts))
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
        sentence = say(
            "%(name)s is compared with itself: the spread is %(zero)s.",
            name=div.a.display_name,
            zero=figure(bps, 0.0, signed=False),
        )
    else:
        sentence = _describe(div, facts, alone=True)
    blocks.append(Paragraph(sentence))
    if facts.history.unavailable:
        blocks.append(_no_history(facts))
    return Section(info.key, info.title, tuple(blocks))
