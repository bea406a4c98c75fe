"""`marketbot render` writes the exact chat messages a platform would receive."""

import json

import pytest

from bot.cli import main


@pytest.mark.parametrize(
    ("platform", "files"),
    [
        ("telegram", ["01-text.html", "02-caption.html", "02-dashboard.png"]),
        ("discord", ["01-dashboard.png", "01-message.json"]),
    ],
)
def test_render_demo_writes_the_digest_and_its_dashboard(tmp_path, capsys, platform, files):
    out = tmp_path / platform
    assert main(["render", "--platform", platform, "--demo", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    written = "".join(p.read_text(encoding="utf-8") for p in out.glob("01-*.[hj]*"))
    assert "SAMPLE DATA" in written
    assert "not investment advice" in written
    assert platform in capsys.readouterr().out


@pytest.mark.parametrize(
    ("platform", "pattern"), [("telegram", "*-text.html"), ("discord", "*-message.json")]
)
def test_render_full_writes_every_section_and_images(tmp_path, platform, pattern):
    out = tmp_path / platform
    assert main(["render", "--platform", platform, "--demo", "--full", "--out", str(out)]) == 0
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob(pattern)))
    assert "Capital Flow Map" in written and "Disclaimer" in written
    assert list(out.glob("*.png")), "table images missing"


def test_render_one_section_keeps_disclaimer(tmp_path):
    out = tmp_path / "hk"
    assert (
        main(["render", "--platform", "discord", "--demo", "--section", "HK", "--out", str(out)])
        == 0
    )
    payloads = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]
    text = json.dumps(payloads, ensure_ascii=False)
    assert "Hong Kong" in text
    assert "A-Share Market" not in text
    assert "Disclaimer" in text


def test_render_unknown_section_is_one_line(tmp_path, capsys):
    code = main(
        ["render", "--platform", "telegram", "--demo", "--section", "hkk", "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "unknown section 'hkk'" in err and "hk" in err


def test_render_needs_a_platform(tmp_path, capsys):
    assert main(["render", "--demo", "--out", str(tmp_path)]) == 2
    assert "--platform" in capsys.readouterr().err
