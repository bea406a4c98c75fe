"""README's two newcomer commands exist, and .ci/run runs the test one verbatim."""

import re

from tests.conftest import REPO


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```(?:sh|bash)\n(.+?)\n```", text, flags=re.S)


def test_readme_has_install_and_test_commands():
    commands = _readme_commands()
    assert any("marketbot report --demo" in c for c in commands)
    assert any("pytest" in c for c in commands)


def test_ci_runs_readme_test_command():
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.strip() in ci
