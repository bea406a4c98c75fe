"""Who may subscribe a channel, and what the bot must be allowed to do there."""

from __future__ import annotations

import pytest
from discord import Permissions

from bot.discord.permissions import may_manage, missing_for_bot


@pytest.mark.parametrize(
    ("permissions", "allowed"),
    [
        (Permissions(send_messages=True), False),
        (Permissions(manage_messages=True, manage_roles=True), False),
        (Permissions(manage_channels=True), True),
        (Permissions(manage_guild=True), True),
        (Permissions(administrator=True), True),
    ],
)
def test_managers_only(permissions, allowed) -> None:
    assert may_manage(permissions) is allowed


@pytest.mark.parametrize(
    ("permissions", "in_thread", "missing"),
    [
        (
            Permissions.none(),
            False,
            ("View Channel", "Send Messages", "Embed Links", "Attach Files"),
        ),
        (
            Permissions(view_channel=True, send_messages=True),
            False,
            ("Embed Links", "Attach Files"),
        ),
        (
            Permissions(view_channel=True, send_messages=True, embed_links=True, attach_files=True),
            True,
            ("Send Messages in Threads",),
        ),
        (Permissions(administrator=True), True, ()),
    ],
)
def test_missing_bot_permissions_are_named(permissions, in_thread, missing) -> None:
    assert missing_for_bot(permissions, in_thread=in_thread) == missing
