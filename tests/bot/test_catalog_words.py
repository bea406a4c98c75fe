"""Every sentence the bot layer shows a user comes from the catalog: a scan of bot/ for English.

A string constant of three or more English words in bot/ must be a catalog message (inside
``N_``, ``gettext``, ``say``…), a log line, an internal error's text (any exception that is
not a ``UserInputError``: operators read those, users never do), argparse help (the
operator's terminal) or listed below with the reason it is not a user's reading.
"""

from __future__ import annotations

import ast
import builtins
import inspect
from pathlib import Path

import core.errors
from tests.conftest import REPO
from tests.english import english_runs

CATALOG_CALLS = {"N_", "gettext", "ngettext", "say", "say_n"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}
ARGPARSE_WORDS = {"help", "description", "epilog"}
USER_ERRORS = {
    name
    for name, cls in inspect.getmembers(core.errors, inspect.isclass)
    if issubclass(cls, core.errors.UserInputError)
}
INTERNAL_ERRORS = {
    name
    for name, cls in [*inspect.getmembers(builtins), *inspect.getmembers(core.errors)]
    if inspect.isclass(cls) and issubclass(cls, BaseException) and name not in USER_ERRORS
}
# (module, start of the text): why no user reads it in a chat.
NOT_FOR_USERS = {
    ("bot/cli.py", "run `marketbot "): "hint after a CLI error: the operator's terminal",
    ("bot/cli_data.py", "--date "): "CLI option check: the operator's terminal",
    ("bot/cli_data.py", "bundled sample data"): "CLI error detail (which data the date missed)",
    ("bot/cli_sources.py", ""): "`marketbot sources` output: the operator's terminal",
    ("bot/console.py", "marketbot console"): "the console's banner: the operator's terminal",
    ("bot/delivery/", ""): "delivery notes stored for operators, never sent",
    ("bot/store/subscriptions.py", "chat moved to"): "a delivery note stored for operators",
    ("bot/runner.py", "marketbot starting"): "the startup line: operators' logs",
    ("bot/runner.py", "daily digest broadcast"): "the scheduler's job name: operators' logs",
    ("bot/budgets.py", "\nlocal "): "a Redis Lua script",
    ("bot/discord/app.py", "its gateway connection ended"): "why Discord stopped: operators' logs",
    ("bot/runner.py", "its token was rejected"): "why a platform stopped: operators' logs",
    ("bot/logs.py", ""): "the log's own handling (redaction, reconnect lines): operators' logs",
    ("bot/telegram/sender.py", ""): "Bot API error texts matched in its answers, never shown",
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """Return the ids of nodes whose strings are not a user's reading (see the docstring)."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            exempt.add(id(first.value))  # a docstring
        inside: list[ast.AST] = []
        if isinstance(node, ast.Call):
            if _name(node) in CATALOG_CALLS | LOG_CALLS | INTERNAL_ERRORS:
                inside = [node]
            inside += [k.value for k in node.keywords if k.arg in ARGPARSE_WORDS]
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if getattr(raised, "id", getattr(raised, "attr", "")) not in USER_ERRORS:
                inside = [node]
        for root in inside:
            exempt.update(id(sub) for sub in ast.walk(root))
    return exempt


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Return each string literal (an f-string with ``{}`` for its values) and its line."""
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    exempt = _exempt_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt or id(node) in parts:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
    return found


def english_in_bot() -> list[str]:
    """Return ``module:line: text`` for each English literal a user could read."""
    found = []
    for path in sorted((REPO / "bot").rglob("*.py")):
        module = path.relative_to(REPO).as_posix()
        for line, text in _texts(ast.parse(path.read_text(encoding="utf-8"))):
            listed = any(
                module.startswith(where) and text.startswith(start)
                for where, start in NOT_FOR_USERS
            )
            if english_runs(text) and not listed:
                found.append(f"{module}:{line}: {text[:80]!r}")
    return found


def test_no_user_visible_english_outside_the_catalog() -> None:
    assert english_in_bot() == []


def test_the_scan_finds_a_sentence_written_in_code(tmp_path: Path) -> None:
    source = (
        "from core.errors import BadCommand\n"
        "def f(x):\n"
        "    '''Docstrings are fine.'''\n"
        "    log.warning('logs are fine too, said %s', x)\n"
        "    raise ValueError('an internal error the operator reads')\n"
        "    raise BadCommand('report', f'pick one section, not {x}')\n"
    )
    texts = [text for _, text in _texts(ast.parse(source)) if english_runs(text)]
    assert texts == ["pick one section, not {}"]
