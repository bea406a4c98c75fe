"""Webhook mode end to end: setWebhook with the URL and secret, updates POSTed to each instance.

Two ``marketbot run`` instances on one database, each with its own webhook server on a free
loopback port (as behind a load balancer); the fake Bot API records setWebhook and counts
getUpdates, which no instance may call in this mode.
"""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from bot.settings import env_name
from bot.telegram.settings import API_ENV, TOKEN_ENV, TelegramSettings
from tests.bot.runner_ticks import HANG_S, start_run
from tests.bot.telegram.fake_api import TOKEN
from tests.bot.telegram.test_runner_ops import FAST, NOW

pytestmark = pytest.mark.asyncio

URL = "https://bot.example.com/telegram/hook"
SECRET = "s3cret-webhook_token-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(api, db_url: str, port: int) -> dict[str, str]:
    return {
        TOKEN_ENV: TOKEN,
        API_ENV: api.base_url,
        "MARKETBOT_DATABASE_URL": db_url,
        env_name(TelegramSettings, "webhook_url"): URL,
        env_name(TelegramSettings, "webhook_listen"): "127.0.0.1",
        env_name(TelegramSettings, "webhook_port"): str(port),
        env_name(TelegramSettings, "webhook_secret"): SECRET,
    }


async def test_webhook_mode_answers_posted_updates_and_nobody_polls(api, db_url, caplog):
    caplog.set_level(logging.INFO)
    ports = [_free_port(), _free_port()]
    instances = [
        start_run(_env(api, db_url, port), NOW, demo=True, keepalive=FAST) for port in ports
    ]
    try:
        for instance in instances:
            await instance.next_ticks(2)  # started, and its keepalive has run
        assert [(w["url"], w["secret_token"]) for w in api.webhooks] == [(URL, SECRET)] * 2
        async with httpx.AsyncClient(timeout=HANG_S) as client:
            for chat, port in zip((81, 82), ports, strict=True):
                hook = f"http://127.0.0.1:{port}/telegram/hook"
                update = api.webhook_update(chat, "/help")
                answered = await client.post(hook, json=update, headers={SECRET_HEADER: SECRET})
                assert answered.status_code == 200
                await api.wait_for(lambda chat=chat: api.sent_to(chat), timeout=HANG_S)
                # Without the secret, or with another, the update is refused and never run.
                for headers in ({}, {SECRET_HEADER: "not-the-secret"}):
                    stranger = api.webhook_update(chat + 10, "/help")
                    refused = await client.post(hook, json=stranger, headers=headers)
                    assert refused.status_code == 403
        for instance in instances:
            await instance.next_ticks(1)
    finally:
        codes = [await instance.finish() for instance in instances]
    assert codes == [0, 0]
    assert [len(api.sent_to(chat)) for chat in (81, 82, 91, 92)] == [1, 1, 0, 0]
    assert "Commands" in (api.sent_to(81)[0].text or "")
    assert api.polls == 0
    assert not [r for r in caplog.records if "polls for updates" in r.getMessage()]
    assert SECRET not in caplog.text and TOKEN not in caplog.text
