"""Telegram's settings section: ``TELEGRAM_BOT_TOKEN`` and an optional Bot API server."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from bot.settings import PlatformSettings, env_name

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class TelegramSettings(PlatformSettings):
    """``TELEGRAM_BOT_TOKEN`` from BotFather; ``TELEGRAM_API_BASE_URL`` for another server.

    Updates come by long polling (one instance at a time polls: the holder of the poller
    lease, ``TELEGRAM_POLLER_LEASE_S``) unless ``TELEGRAM_WEBHOOK_URL`` is set: then every
    instance listens on ``TELEGRAM_WEBHOOK_LISTEN``:``TELEGRAM_WEBHOOK_PORT`` behind the
    load balancer that URL reaches, and Telegram signs each update with
    ``TELEGRAM_WEBHOOK_SECRET``.
    """

    model_config = SettingsConfigDict(env_prefix="TELEGRAM_", extra="ignore", frozen=True)

    api_base_url: str | None = None
    poller_lease_s: float = 30.0
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None

    def endpoint(self) -> str:
        """Return the Bot API base URL and how updates arrive (for the startup line)."""
        mode = f"webhook {self.webhook_url}" if self.webhook_url else "long polling"
        return f"{self.api_base_url or DEFAULT_API_BASE_URL}, {mode}"

    def secrets(self) -> list[str]:
        """Return the token and the webhook secret (what logs must never show)."""
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        return [s for s in (self.token(), secret) if s]


TOKEN_ENV = env_name(TelegramSettings, "bot_token")
API_ENV = env_name(TelegramSettings, "api_base_url")
LEASE_ENV = env_name(TelegramSettings, "poller_lease_s")
