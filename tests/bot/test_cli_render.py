"""`marketbot render` writes the exact chat messages a platform would receive."""

import json

import pytest

from bot.cli import main


@pytest.mark.parametrize(
    ("platform", "pattern"), [("telegram", "*-text.html"), ("discord", "*-message.json")]
)
def test_render_demo_writes_messages_and_images(tmp_path, capsys, platform, pattern):
    out = tmp_path / platform
    assert main(["render", "--platform", platform, "--demo", "--out", str(out)]) == 0
    messages = sorted(out.glob(pattern))
    assert messages, "no message files written"
    assert list(out.glob("*.png")), "table images missing"
    written = "".join(p.read_text(encoding="utf-8") for p in messages)
    assert "SAMPLE DATA" in written
    assert "Disclaimer" in written or "disclaimer" in written
    assert platform in capsys.readouterr().out


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
