"""The error tree: every exception class lives in core/errors.py, and its docstring draws all."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import core.errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "core", "renderers")


def _exception_classes() -> list[type[BaseException]]:
    return [
        obj
        for _, obj in inspect.getmembers(core.errors, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == core.errors.__name__
    ]


def test_no_exception_class_is_defined_outside_core_errors() -> None:
    known = {cls.__name__ for cls in _exception_classes()} | {"Exception", "BaseException"}
    stray = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "core" / "errors.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                bases = (
                    {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                    if isinstance(node, ast.ClassDef)
                    else set()
                )
                if bases & known:
                    stray.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert stray == []


def test_docstring_tree_names_every_public_exception() -> None:
    drawn = core.errors.__doc__ or ""
    public = [cls.__name__ for cls in _exception_classes() if not cls.__name__.startswith("_")]
    assert [name for name in public if f" {name} " not in drawn] == []


def test_everything_raised_on_purpose_is_a_report_error() -> None:
    assert all(issubclass(cls, core.errors.ReportError) for cls in _exception_classes())
