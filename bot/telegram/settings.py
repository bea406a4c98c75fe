"""Telegram's settings section: ``TELEGRAM_BOT_TOKEN`` and an optional Bot API server."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from bot.settings import PlatformSettings, env_name


class TelegramSettings(PlatformSettings):
    """``TELEGRAM_BOT_TOKEN`` from BotFather; ``TELEGRAM_API_BASE_URL`` for another server."""

    model_config = SettingsConfigDict(env_prefix="TELEGRAM_", extra="ignore", frozen=True)

    api_base_url: str | None = None


TOKEN_ENV = env_name(TelegramSettings, "bot_token")
API_ENV = env_name(TelegramSettings, "api_base_url")
