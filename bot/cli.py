"""The ``marketbot`` command line: its options and ``main`` (``cli_commands.py`` runs each one).

It prints a report, a divergence, or what the report knows, and runs the bot.

Without ``--demo`` or ``--snapshot``, ``report`` and ``divergence`` fetch live data, store the
closes in the history database (``--db``) and rank the spreads against it.

Errors a user can act on end as one line on stderr and a non-zero exit code, never a traceback:
2 for a usage problem (bad option, unknown name), 1 for a failure reading data or
configuration, or when no market at all could be shown (the report is still printed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

import httpx

from bot.cli_commands import (
    RENDERERS,
    console_command,
    divergence_command,
    instruments_command,
    render_command,
    report_command,
    sections_command,
    serve_command,
    sources_command,
)
from bot.platforms import PLATFORMS
from core.clock import SYSTEM_CLOCK, Clock
from core.errors import (
    NothingShown,
    ReportError,
    UnknownInstrument,
    UnknownSection,
    UserInputError,
)
from core.i18n import DEFAULT_LANGUAGE, Language

EXIT_FAILED = 1
EXIT_USAGE = 2


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


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"invalid moment {text!r}: use an ISO time with its UTC offset, "
            "e.g. 2026-03-24T08:00+08:00"
        )
    return moment


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
        "--at",
        type=_instant,
        metavar="ISO-TIME",
        help="the moment the report is for, with its UTC offset, e.g. 2026-03-24T08:00+08:00 "
        "(default: now; --demo has its own); its date there is the report's date",
    )
    data.add_argument(
        "--format", choices=tuple(RENDERERS), default="markdown", help="output format"
    )
    data.add_argument(
        "--lang",
        type=Language,
        choices=tuple(Language),
        default=DEFAULT_LANGUAGE,
        help="language of the report's words: en (default) or zh (简体中文)",
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
    report.set_defaults(run=report_command)

    pair = commands.add_parser(
        "divergence", parents=[data], help="spread in bps between two instruments (A minus B)"
    )
    pair.add_argument("a", metavar="A", help="instrument key or alias, e.g. HSTECH")
    pair.add_argument("b", metavar="B", help="instrument key or alias, e.g. NASDAQ")
    pair.set_defaults(run=divergence_command, out=None)

    chat = commands.add_parser(
        "render",
        parents=[data],
        help="write the exact chat messages (texts, JSON, PNGs) to a folder",
    )
    chat.add_argument("--platform", choices=tuple(PLATFORMS), required=True)
    chat.add_argument("--section", action="append", metavar="NAME", help="only this section")
    chat.add_argument(
        "--full", action="store_true", help="every section, not the digest and its dashboard"
    )
    chat.add_argument("--out", dest="dir", type=Path, required=True, metavar="DIR")
    chat.set_defaults(run=render_command, out=None)

    listing = commands.add_parser("sections", help="list report sections and their aliases")
    listing.set_defaults(run=sections_command, out=None)
    listing = commands.add_parser("instruments", help="list instruments and their aliases")
    listing.set_defaults(run=instruments_command, out=None)

    sources = commands.add_parser(
        "sources", help="each data source's last success, latency, supplies and breaker"
    )
    sources.add_argument(
        "--check",
        action="store_true",
        help="ask every source once now; exit 1 when a market has no working source",
    )
    sources.add_argument("--db", metavar="URL", help="history database the state is kept beside")
    sources.add_argument("--format", choices=tuple(RENDERERS), default="text")
    sources.set_defaults(run=sources_command, out=None)

    serve = commands.add_parser("run", help="run the chat bot and the daily delivery scheduler")
    serve.add_argument("--demo", action="store_true", help="serve the bundled sample data")
    serve.set_defaults(run=serve_command, out=None)
    console = commands.add_parser("console", help="try the bot's commands in this terminal")
    console.add_argument("--demo", action="store_true", help="use the bundled sample data")
    console.set_defaults(run=console_command, out=None)
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
    clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Run one command and return its exit code.

    ``transport`` replaces the network of live data (tests, replays); ``clock`` tells the time
    and times the retries, and ``now`` (local, aware) pins the report's moment.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    args.transport, args.now, args.clock = transport, now, clock
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
