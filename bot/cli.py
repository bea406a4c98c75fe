"""The ``marketbot`` command line: print a report, a divergence, or what the report knows.

Without ``--demo`` or ``--snapshot``, ``report`` and ``divergence`` fetch live data, store the
closes in the history database (``--db``) and rank the spreads against it.

Errors a user can act on end as one line on stderr and a non-zero exit code, never a traceback:
2 for a usage problem (bad option, unknown name), 1 for a failure reading data or
configuration, or when no market at all could be shown (the report is still printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

import httpx

from core.analysis.facts import compute_facts
from core.analysis.history_stats import SpreadHistory
from core.analysis.report import build_report
from core.analysis.sections.divergences import build_pair_divergence
from core.demo import demo_snapshot
from core.errors import (
    ConfigError,
    ReportError,
    UnknownInstrument,
    UnknownSection,
    UserInputError,
)
from core.history import HistoryError, HistoryStore
from core.instruments import default_registry
from core.report import Cell, Report, Table
from core.sections import SECTIONS, resolve_section
from core.service import live_snapshot, pair_history
from core.settings import EnvSettings, default_analysis_settings, default_provider_settings
from core.snapshot import MarketSnapshot
from renderers.json import render_json
from renderers.markdown import render_markdown
from renderers.text import format_table, render_text

EXIT_FAILED = 1
EXIT_USAGE = 2

RENDERERS: dict[str, Callable[[Report], str]] = {
    "markdown": render_markdown,
    "text": render_text,
    "json": render_json,
}

_LIST_HINTS = {
    UnknownInstrument: "run `marketbot instruments` to list them",
    UnknownSection: "run `marketbot sections` to list them",
}


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _iso_date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: use YYYY-MM-DD") from None


class NothingShown(ReportError):
    """Raise when a report was built but not one market in it has a figure."""

    def __init__(self, output: str) -> None:
        super().__init__(
            "no market could be shown: every market source failed or returned nothing "
            "(the report's warnings name each one)"
        )
        self.output = output


def _configured_pairs() -> list[tuple[str, str]]:
    registry = default_registry()
    pairs = default_analysis_settings().divergence.pairs
    return [(registry.resolve(a).key, registry.resolve(b).key) for a, b in pairs]


async def _fetch_live(
    args: argparse.Namespace, now: datetime, pairs: list[tuple[str, str]]
) -> tuple[MarketSnapshot, SpreadHistory]:
    """Return the live snapshot and its pairs' spread history, through one shared client."""
    url = args.db or EnvSettings().database_url
    store: HistoryStore | None = None
    unavailable = "no history store"
    try:
        store = HistoryStore(url)
    except HistoryError as exc:
        unavailable = f"the history store could not be opened ({exc})"
    settings = default_provider_settings()
    try:
        async with httpx.AsyncClient(
            transport=args.transport, timeout=settings.timeout_s
        ) as client:
            snapshot = await live_snapshot(client, now, store=store, provider_settings=settings)
        window = default_analysis_settings().history.window_sessions
        history = pair_history(store, snapshot.report_date, pairs, window, unavailable)
    finally:
        if store is not None:
            store.dispose()
    return snapshot, history


def _load_snapshot(
    args: argparse.Namespace, pairs: list[tuple[str, str]]
) -> tuple[MarketSnapshot, SpreadHistory | None]:
    """Return the snapshot the options ask for, checked against ``--date``, with its history."""
    history = None
    if args.snapshot is not None:
        snapshot, origin = MarketSnapshot.load(args.snapshot), f"snapshot {args.snapshot}"
    elif args.demo:
        snapshot, origin = demo_snapshot(), "bundled sample data"
    else:
        now = args.now or datetime.now().astimezone()
        if args.date is not None and args.date != now.date():
            raise UserInputError(
                f"--date {args.date.isoformat()} is not today ({now.date().isoformat()}): "
                "live data is always today's; use --snapshot FILE for another date"
            )
        snapshot, history = asyncio.run(_fetch_live(args, now, pairs))
        origin = "live data"
    if args.date is not None and args.date != snapshot.report_date:
        raise UserInputError(
            f"--date {args.date.isoformat()} does not match the {origin}, "
            f"which is for {snapshot.report_date.isoformat()}"
        )
    return snapshot, history


def _checked(report: Report, output: str) -> str:
    """Return the output, or raise NothingShown when no market has a session to show."""
    if not any(s.session_date is not None for s in report.sessions):
        raise NothingShown(output)
    return output


def _report(args: argparse.Namespace) -> str:
    keys = None
    if args.section:
        keys = tuple(dict.fromkeys(resolve_section(name).key for name in args.section))
    snapshot, history = _load_snapshot(args, _configured_pairs())
    report = build_report(snapshot, sections=keys, history=history)
    return _checked(report, RENDERERS[args.format](report))


def _divergence(args: argparse.Namespace) -> str:
    registry = default_registry()
    # Resolve first so a typo is reported before any data is read.
    a, b = registry.resolve(args.a), registry.resolve(args.b)
    snapshot, history = _load_snapshot(args, [*_configured_pairs(), (a.key, b.key)])
    facts = compute_facts(snapshot, registry, default_analysis_settings(), history)
    section = build_pair_divergence(facts, a.key, b.key)
    # Shown inside a report so the pair keeps its sessions, warnings, sources and demo note.
    base = build_report(snapshot, registry, sections=(), history=history)
    title = f"Divergence {a.display_name} vs {b.display_name} — {snapshot.report_date.isoformat()}"
    report = replace(base, title=title, sections=(section, *base.sections))
    return _checked(report, RENDERERS[args.format](report))


def _render(args: argparse.Namespace) -> str:
    from renderers.discord import render_discord
    from renderers.export import export_parts
    from renderers.telegram import render_telegram

    keys = None
    if args.section:
        keys = tuple(dict.fromkeys(resolve_section(name).key for name in args.section))
    snapshot, history = _load_snapshot(args, _configured_pairs())
    report = build_report(snapshot, sections=keys, history=history)
    render = render_telegram if args.platform == "telegram" else render_discord
    paths = export_parts(render(report), args.dir)
    _checked(report, "")
    return f"wrote {len(paths)} file(s) for {args.platform} to {args.dir}\n"


# Listings keep one row per line so they can be searched with grep.
def _sections(args: argparse.Namespace) -> str:
    rows = tuple(
        (Cell(s.key), Cell(s.title), Cell(", ".join((*s.aliases, *filter(None, [s.market])))))
        for s in SECTIONS
    )
    return format_table(Table(("Key", "Title", "Aliases"), rows), width=None) + "\n"


def _instruments(args: argparse.Namespace) -> str:
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


def _serve(args: argparse.Namespace) -> str:
    import asyncio

    from bot.runner import TELEGRAM_TOKEN_ENV, run

    if asyncio.run(run(demo=args.demo)) != 0:
        raise ConfigError(f"no chat platform is configured: set {TELEGRAM_TOKEN_ENV}")
    return ""


def _console(args: argparse.Namespace) -> str:
    from bot.console import run_console

    run_console(sys.stdin, sys.stdout, demo=args.demo, interactive=sys.stdin.isatty())
    return ""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    data = _Parser(add_help=False)
    source = data.add_mutually_exclusive_group()
    source.add_argument(
        "--demo", action="store_true", help="use the bundled sample snapshot (no network)"
    )
    source.add_argument("--snapshot", type=Path, metavar="FILE", help="read a snapshot JSON file")
    data.add_argument(
        "--db",
        metavar="URL",
        help="history database for live data (default: MARKETBOT_DATABASE_URL, "
        "else sqlite:///marketbot.sqlite3)",
    )
    data.add_argument(
        "--date", type=_iso_date, metavar="YYYY-MM-DD", help="report date (must match the data)"
    )
    data.add_argument(
        "--format", choices=tuple(RENDERERS), default="markdown", help="output format"
    )

    parser = _Parser(prog="marketbot", description="Daily cross-market intelligence report.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = commands.add_parser("report", parents=[data], help="print the daily report")
    report.add_argument(
        "--section",
        action="append",
        metavar="NAME",
        help="only this section (key or alias; repeatable); the disclaimer is always kept",
    )
    report.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not stdout")
    report.set_defaults(run=_report)

    pair = commands.add_parser(
        "divergence", parents=[data], help="spread in bps between two instruments (A minus B)"
    )
    pair.add_argument("a", metavar="A", help="instrument key or alias, e.g. HSTECH")
    pair.add_argument("b", metavar="B", help="instrument key or alias, e.g. NASDAQ")
    pair.set_defaults(run=_divergence, out=None)

    chat = commands.add_parser(
        "render",
        parents=[data],
        help="write the exact chat messages (texts, JSON, PNGs) to a folder",
    )
    chat.add_argument("--platform", choices=("telegram", "discord"), required=True)
    chat.add_argument("--section", action="append", metavar="NAME", help="only this section")
    chat.add_argument("--out", dest="dir", type=Path, required=True, metavar="DIR")
    chat.set_defaults(run=_render, out=None)

    listing = commands.add_parser("sections", help="list report sections and their aliases")
    listing.set_defaults(run=_sections, out=None)
    listing = commands.add_parser("instruments", help="list instruments and their aliases")
    listing.set_defaults(run=_instruments, out=None)

    serve = commands.add_parser("run", help="run the chat bot and the daily delivery scheduler")
    serve.add_argument("--demo", action="store_true", help="serve the bundled sample data")
    serve.set_defaults(run=_serve, out=None)
    console = commands.add_parser("console", help="try the bot's commands in this terminal")
    console.add_argument("--demo", action="store_true", help="use the bundled sample data")
    console.set_defaults(run=_console, out=None)
    return parser


def _fail(message: str, code: int) -> int:
    print(f"marketbot: error: {message}", file=sys.stderr)
    return code


def _emit(args: argparse.Namespace, output: str) -> None:
    if args.out is not None:
        args.out.write_text(output, encoding="utf-8")
        print(f"marketbot: wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(output)
        sys.stdout.flush()


def main(
    argv: Sequence[str] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    now: datetime | None = None,
) -> int:
    """Run one command and return its exit code.

    ``transport`` and ``now`` replace the network and the clock of live data (tests, replays).
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    args.transport, args.now = transport, now
    try:
        try:
            _emit(args, args.run(args))
        except NothingShown as exc:
            _emit(args, exc.output)
            return _fail(str(exc), EXIT_FAILED)
    except UserInputError as exc:
        hint = next((h for kind, h in _LIST_HINTS.items() if isinstance(exc, kind)), None)
        return _fail(f"{exc} ({hint})" if hint else str(exc), EXIT_USAGE)
    except ReportError as exc:
        return _fail(str(exc), EXIT_FAILED)
    except BrokenPipeError:
        # The reader (e.g. `| head`) left; point stdout at devnull so exit does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as exc:
        return _fail(f"cannot write {exc.filename}: {exc.strerror}", EXIT_FAILED)
    return 0
