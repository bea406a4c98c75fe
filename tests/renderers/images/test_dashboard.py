"""The dashboard image: one card per market, phone-sized text, the top spreads, cached."""

from __future__ import annotations

import io
import warnings
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image

from core.analysis.build import build_report
from core.i18n import Language
from core.localize import localize
from core.report import MarketSession, Move, ReportWarning, Spread, Tone, WarningKind
from renderers.discord import dashboard_message
from renderers.images import cached_dashboard_png, dashboard_png, fonts
from renderers.images.cache import ImageCache
from renderers.images.canvas import TONE_INKS
from renderers.images.dashboard_plan import LAYOUT, DashboardLayout, plan_dashboard
from renderers.telegram import dashboard_photo
from tests.english import english_runs
from tests.renderers.conftest import make_report

PHONE_CSS_PX = 390

SESSIONS = (
    MarketSession(
        "US",
        "US equities",
        date(2026, 3, 19),
        moves=(Move("DJIA", 0.65), Move("Nasdaq", None)),
        mean_change_pct=0.65,
        signal="Risk-on",
        signal_tone=Tone.UP,
        period="last session Thu 2026-03-19",
    ),
    MarketSession("HK", "Hong Kong", None),
)
SPREADS = (
    Spread("HSI", "上证指数 (SSE)", -63.0, "ordinary"),
    Spread("Nasdaq", "HSTECH", 263.0, "major", same_session=False),
    Spread("DJIA", "HSCEI", None, "unknown"),
    Spread("ETH", "BTC", -105.0, "notable"),
    Spread("S&P 500", "HSI", 261.0, "major"),
)
CLOSED_US = ReportWarning(WarningKind.CLOSED, "US equities closed on Sat 2026-03-21.", "US")


@pytest.fixture
def demo_report(demo):
    return build_report(demo)


def _size(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    image.verify()
    return image.size


def test_demo_dashboard_is_a_phone_sized_png(demo_report):
    width, height = _size(dashboard_png(demo_report))
    assert 1000 <= width <= 1200 and width == LAYOUT.width_px
    # Stacked cards, not a wide table: taller than wide, but under two phone screens.
    assert width < height <= 2 * width


def test_text_stays_readable_when_shown_390_px_wide():
    assert LAYOUT.min_text_px >= 28
    assert LAYOUT.min_text_px * PHONE_CSS_PX / LAYOUT.width_px >= 11


def test_one_card_per_market_in_report_order_with_every_move(demo_report):
    plan = plan_dashboard(demo_report)
    assert [c.market for c in plan.cards] == [s.market for s in demo_report.sessions]
    assert [len(c.tiles) for c in plan.cards] == [len(s.moves) for s in demo_report.sessions]
    hk = next(c for c in plan.cards if c.market == "HK")
    hsi = hk.tiles[0]
    assert (hsi.name, hsi.change, hsi.tone) == ("HSI", "-2.02%", Tone.DOWN)
    sessions = {s.market: s for s in demo_report.sessions}
    assert hk.period == sessions["HK"].period and hk.signal == "Strong risk-off -1.93%"
    crypto = next(c for c in plan.cards if c.market == "CRYPTO")
    assert crypto.period == sessions["CRYPTO"].period


def test_missing_figures_closed_markets_and_markets_without_data():
    report = make_report(sessions=SESSIONS, warnings=(CLOSED_US,), spreads=SPREADS)
    us, hk = plan_dashboard(report).cards
    assert us.closed and not hk.closed
    assert [t.change for t in us.tiles] == ["+0.65%", "n/a"]
    assert us.tiles[1].tone is Tone.NEUTRAL
    assert hk.tiles == () and hk.signal is None and hk.period == "n/a"
    assert dashboard_png(report).startswith(b"\x89PNG")


def test_spreads_ranked_by_size_with_the_rest_counted():
    plan = plan_dashboard(make_report(spreads=SPREADS), DashboardLayout(max_spreads=3))
    assert [r.value for r in plan.spreads] == ["+263 bps", "+261 bps", "-105 bps"]
    assert plan.spreads[0].note == "major · diff. sessions"
    assert plan.more_spreads == 2
    everything = plan_dashboard(make_report(spreads=SPREADS), DashboardLayout(max_spreads=9))
    assert everything.spreads[-1].value == "n/a" and everything.more_spreads == 0


def test_sample_banner_is_the_notes_first_sentence(demo_report):
    # One line on a phone: what the image must say on its own; the message has the rest.
    note = "SAMPLE DATA, not live: the 08:00 HKT report of Mon 2026-03-23, from real closes."
    assert plan_dashboard(replace(demo_report, demo_note=note)).banner == "SAMPLE DATA, not live"
    assert plan_dashboard(demo_report).banner.startswith("SAMPLE DATA")
    assert plan_dashboard(replace(demo_report, demo_note=None)).banner is None


def test_same_report_same_bytes(demo_report):
    assert dashboard_png(demo_report) == dashboard_png(demo_report)


def test_cache_renders_once_per_content(demo_report):
    cache = ImageCache()
    first = cached_dashboard_png(demo_report, cache=cache)
    assert cached_dashboard_png(demo_report, cache=cache) == first
    assert cache.renders == 1 and cache.hits == 1
    changed = replace(demo_report, spreads=SPREADS)
    assert cached_dashboard_png(changed, cache=cache) != first and cache.renders == 2


@pytest.mark.skipif(fonts.cjk_family() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_cjk_names_have_glyphs(demo_report):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        dashboard_png(demo_report)


def test_chat_glue_sends_the_dashboard_as_one_photo_or_message(demo_report):
    cache = ImageCache()
    photo = dashboard_photo(demo_report, cache)
    assert photo.filename == "dashboard.png" and photo.png.startswith(b"\x89PNG")
    assert photo.caption.startswith("<b>Markets at a glance — Fri 2026-03-20</b>")
    message = dashboard_message(demo_report, cache)
    assert [f.filename for f in message.files] == ["dashboard.png"]
    assert message.embeds[0]["image"]["url"] == "attachment://dashboard.png"
    assert cache.renders == 1


def test_the_chinese_dashboard_is_in_chinese_and_red_up(demo_report):
    chinese = localize(demo_report, Language.ZH)
    plan = plan_dashboard(chinese)
    words = [plan.title, plan.footer, plan.spreads_heading, plan.more_text or ""]
    words += [c.period for c in plan.cards] + [s.note for s in plan.spreads]
    assert english_runs(" ".join(words), 2) == []
    assert "红涨绿跌" in plan.footer  # the legend says which colour is which
    assert TONE_INKS[Language.ZH][Tone.UP] == TONE_INKS[Language.EN][Tone.DOWN]  # 红涨
    assert TONE_INKS[Language.ZH][Tone.DOWN] == TONE_INKS[Language.EN][Tone.UP]  # 绿跌
    assert all(s.value.endswith("个百分点") for s in plan.spreads)


@pytest.mark.skipif(fonts.cjk_family() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_the_chinese_dashboard_has_every_glyph(demo_report):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        dashboard_png(localize(demo_report, Language.ZH))
