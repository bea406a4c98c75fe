"""The digest's section menu end to end: the select it carries, a choice, a stale value."""

from __future__ import annotations

import pytest

from bot.commands import wording
from bot.commands.parse import parse_command
from bot.discord.menu import MENU_ID
from bot.discord.style import DISCORD_STYLE
from core.errors import UserInputError
from tests.bot.discord.conftest import choice, interaction

pytestmark = pytest.mark.asyncio


async def _digest(bot) -> dict:
    """Ask /report and return the digest message as the API answered it."""
    payload = interaction("report")
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.answers(payload["token"]))
    (digest,) = bot.api.answers(payload["token"])
    return digest


async def test_the_digest_carries_one_select_of_every_section(bot) -> None:
    digest = await _digest(bot)
    (select,) = digest.selects
    assert select["custom_id"] == MENU_ID
    options = [(o["value"], o["label"]) for o in select["options"]]
    assert options == wording.section_labels()
    assert "hk" in dict(options) and "disclaimer" not in dict(options)


@pytest.mark.parametrize("known_message", [True, False], ids=["this-run", "after-restart"])
async def test_choosing_hk_answers_the_hong_kong_section(bot, known_message: bool) -> None:
    digest = await _digest(bot)
    # A message this run did not send stands for one sent before a restart: the view
    # registered at start (same custom_id) answers it.
    message = digest.message if known_message else {**digest.message, "id": "1" * 19}
    payload = choice(MENU_ID, ["hk"], message)
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.answers(payload["token"]))
    assert bot.api.callback(payload["id"])["type"] == 5  # deferred, then followed up
    titles = [e.get("title", "") for m in bot.api.answers(payload["token"]) for e in m.embeds]
    assert any("Hong Kong Market" in t for t in titles)
    assert not any("US Market" in t for t in titles)


async def test_a_stale_value_gets_the_unknown_section_answer(bot) -> None:
    digest = await _digest(bot)
    payload = choice(MENU_ID, ["retired-section"], digest.message)
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.callback(payload["id"]))
    with pytest.raises(UserInputError) as refused:
        parse_command("section", ["retired-section"], bot.reports.registry)
    answer = bot.api.callback(payload["id"])
    assert answer["type"] == 4 and answer["data"]["flags"] & 64
    assert answer["data"]["content"] == wording.user_error(refused.value, DISCORD_STYLE)
