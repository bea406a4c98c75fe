"""What each ``marketbot`` subcommand does, given its parsed options; ``cli.py`` parses them.

Each command returns its output as text (``main`` writes it to stdout or ``--out``) and
raises a ReportError for a failure the user can act on.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from bot.cli_data import configured_pairs, load_snapshot
from bot.platforms import PLATFORMS
from core.analysis.build import build_report
from core.analysis.facts import compute_facts
from core.analysis.pair_report import build_pair_report
from core.errors import ConfigError, NothingShown
from core.instruments import default_registry
from core.localize import localize
from core.report import Cell, Report, Table
from core.sections import SECTIONS, resolve_sections, select_sections
from core.settings import default_analysis_settings
from renderers.json import render_json
from renderers.markdown import render_markdown
from renderers.text import format_table, render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "markdown": render_markdown,
    "text": render_text,
    "json": render_json,
}


def checked(report: Report, output: str) -> str:
    """Return the output, or raise NothingShown when no market has a session to show."""
    if not any(s.session_date is not None for s in report.sessions):
        raise NothingShown(output)
    return output


def selected_report(args: argparse.Namespace) -> Report:
    """Return the report of the data the options name, with only the ``--section``s asked."""
    # Resolve first so a typo is reported before any data is read.
    keys = resolve_sections(args.section or ())
    snapshot, history = load_snapshot(args, configured_pairs())
    report = build_report(snapshot, history=history, at=args.at)
    return localize(select_sections(report, keys), args.lang)


def report_command(args: argparse.Namespace) -> str:
    """Return the report (``marketbot report``) in the format asked."""
    report = selected_report(args)
    return checked(report, RENDERERS[args.format](report))


def divergence_command(args: argparse.Namespace) -> str:
    """Return one pair's divergence report (``marketbot divergence A B``)."""
    registry = default_registry()
    # Resolve first so a typo is reported before any data is read.
    a, b = registry.resolve(args.a), registry.resolve(args.b)
    snapshot, history = load_snapshot(args, [*configured_pairs(), (a.key, b.key)])
    report = build_report(snapshot, registry, history=history, at=args.at)
    facts = compute_facts(
        snapshot.with_changes(report_date=report.report_date),
        registry,
        default_analysis_settings(),
        history,
        at=report.report_at,
    )
    report = localize(build_pair_report(report, facts, a, b), args.lang)
    return checked(report, RENDERERS[args.format](report))


def render_command(args: argparse.Namespace) -> str:
    """Write a platform's chat messages to a folder (``marketbot render``)."""
    from renderers.export import export_parts

    report = selected_report(args)
    render = PLATFORMS[args.platform].renderer()
    paths = export_parts(render(report, digest=not (args.section or args.full)), args.dir)
    checked(report, "")
    return f"wrote {len(paths)} file(s) for {args.platform} to {args.dir}\n"


# Listings keep one row per line so they can be searched with grep.
def sections_command(args: argparse.Namespace) -> str:
    """Return the section keys, titles and aliases, one per line."""
    rows = tuple(
        (Cell(s.key), Cell(s.title), Cell(", ".join((*s.aliases, *filter(None, [s.market])))))
        for s in SECTIONS
    )
    return format_table(Table(("Key", "Title", "Aliases"), rows), width=None) + "\n"


def instruments_command(args: argparse.Namespace) -> str:
    """Return the instruments, their markets, currencies and aliases."""
    rows = tuple(
        (
            Cell(i.key),
            Cell(i.display_name),
            Cell(i.long_name),
            Cell(i.market),
            Cell(i.currency),
            Cell(", ".join(i.aliases)),
        )
        for i in default_registry()
    )
    columns = ("Key", "Name", "Long name", "Market", "Currency", "Aliases")
    return format_table(Table(columns, rows), width=None) + "\n"


def sources_command(args: argparse.Namespace) -> str:
    """Return each source's health (``marketbot sources``)."""
    from bot.cli_sources import sources_output

    return sources_output(args, RENDERERS)


def serve_command(args: argparse.Namespace) -> str:
    """Run the chat bot until stopped (``marketbot run``)."""
    from bot.runner import run

    if asyncio.run(run(demo=args.demo)) != 0:
        tokens = " or ".join(p.token_env() for p in PLATFORMS.values())
        raise ConfigError(f"no chat platform is running (set {tokens}; the log above says why)")
    return ""


def console_command(args: argparse.Namespace) -> str:
    """Run the bot's commands in this terminal (``marketbot console``)."""
    from bot.console import run_console

    run_console(sys.stdin, sys.stdout, demo=args.demo, interactive=sys.stdin.isatty())
    return ""
