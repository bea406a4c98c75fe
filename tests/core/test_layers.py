"""Data flows one way: core/ imports no chat library, no renderer and nothing of the bot."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Chat platforms and what only the bot runs; renderers and the bot come after core.
FORBIDDEN = ("telegram", "discord", "aiohttp", "apscheduler", "bot", "renderers")


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_a_chat_library_or_a_later_layer() -> None:
    found = {
        f"{path.relative_to(ROOT)}: {root}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        for root in _imported_roots(path) & set(FORBIDDEN)
    }
    assert found == set()


def test_importing_all_of_core_loads_no_chat_library() -> None:
    # Catches an indirect import too (a third-party module that pulls one in).
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in sorted((ROOT / "core").rglob("*.py"))
    ]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(FORBIDDEN)!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []


def test_the_check_sees_a_chat_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from telegram import Bot\nimport discord.ext\nfrom . import sibling\n")
    assert _imported_roots(sample) == {"telegram", "discord"}
