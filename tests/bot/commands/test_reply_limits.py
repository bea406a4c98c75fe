"""Property: whatever a user types, the reply is valid Telegram HTML within 4,096 characters,
and long input is quoted back cut short."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import USAGE, CommandContext, Services, run_command
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from bot.telegram.style import TELEGRAM_STYLE
from core.errors import ECHO_CHARS
from renderers.parts import TextPart, utf16_len
from tests.renderers.telegram_checker import check_telegram_html

pytestmark = pytest.mark.asyncio
MAX_MESSAGE = 4096

word = st.one_of(
    st.text(min_size=1, max_size=12),
    st.text(alphabet="<>&\"'/+-:_ aZ9恒📈", min_size=1, max_size=80),
    st.integers(min_value=41, max_value=4200).map(lambda n: ("<b>&" * n)[:n]),
    st.sampled_from(["HSI", "SPX", "UTC+8", "EST", "8am", "hk", "Factory", "S&P 500"]),
)
commands = st.one_of(st.sampled_from([*USAGE]), st.text(min_size=1, max_size=50))


def _text(report, *, with_images: bool = True, charts=(), digest: bool = False):
    return [TextPart("report")]


@pytest_asyncio.fixture
async def services() -> AsyncIterator[Services]:
    """Yield a report cache with a trivial renderer (the replies' own text is under test)."""
    store = await AsyncStore.open("sqlite://")
    reports = ReportCache(demo_source(), renderers={"telegram": _text})
    await reports.built()
    yield Services(reports, store, RateLimiter(burst=10**6, per_minute=10**6))
    await store.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=commands, words=st.lists(word, max_size=4))
async def test_every_reply_fits_and_is_valid_html(services, name, words) -> None:
    ctx = CommandContext(services, "telegram", -7, 7, TELEGRAM_STYLE)
    reply = await run_command(ctx, name, words)
    assert utf16_len(reply.text) <= MAX_MESSAGE
    check_telegram_html(reply.text)
    for typed in [name, *words]:
        if len(typed) > 2 * ECHO_CHARS:
            assert typed not in reply.text
