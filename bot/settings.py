"""The chat bot's settings, one pydantic-settings section each, read from the environment only.

``BotSettings`` (prefix ``MARKETBOT_``) holds what the whole bot shares; each chat platform
has its own section in its adapter package (``TELEGRAM_…``, ``DISCORD_…``), built on
``PlatformSettings`` so its token is ``<PREFIX>BOT_TOKEN``. Secrets never come from a file
in the repository and are kept as ``SecretStr`` so a settings object printed by mistake
shows ``**********``. ``load_settings`` is the one way to read a section; tests pass their
own mapping instead of the process environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.i18n import DEFAULT_LANGUAGE, Language

DEFAULT_DATABASE_URL = "sqlite:///marketbot.sqlite3"
S = TypeVar("S", bound=BaseSettings)


class BotSettings(BaseSettings):
    """What the whole bot shares: the database (subscriptions, deliveries, history), Redis."""

    # An empty variable (docker-compose passes "" for one not set) counts as not set.
    model_config = SettingsConfigDict(
        env_prefix="MARKETBOT_", extra="ignore", frozen=True, env_ignore_empty=True
    )

    database_url: str = DEFAULT_DATABASE_URL
    # Optional: a redis:// URL where the per-token send budgets are kept instead of the
    # database (one small script per send rather than a database transaction).
    redis_url: SecretStr | None = None
    # How long a claim on a chat's digest lasts without renewal (a dead instance's claims
    # are taken over after it), and how often due digests are looked for.
    claim_lease_s: float = 45.0
    tick_s: float = 30.0
    # On SIGTERM, how long parts in flight may take to finish before their claims are released
    # (keep it under the supervisor's own grace period, e.g. docker's 10 s).
    stop_timeout_s: float = 10.0
    # The language of groups and channels that chose none (private chats follow the user's).
    default_language: Language = DEFAULT_LANGUAGE

    def redis(self) -> str:
        """Return the Redis URL, or "" when the send budgets stay in the database."""
        return self.redis_url.get_secret_value().strip() if self.redis_url is not None else ""

    def secrets(self) -> list[str]:
        """Return the passwords in the database and Redis URLs (what logs must never show)."""
        found = (urlsplit(url).password for url in (self.database_url, self.redis()))
        return [password for password in found if password]


class PlatformSettings(BaseSettings):
    """A chat platform's section: its token (unset = the platform is off) and its extras."""

    # An empty variable (docker-compose passes "" for one not set) counts as not set.
    model_config = SettingsConfigDict(extra="ignore", frozen=True, env_ignore_empty=True)

    bot_token: SecretStr | None = None

    def token(self) -> str:
        """Return the token stripped, or "" when it is not set."""
        return self.bot_token.get_secret_value().strip() if self.bot_token is not None else ""

    def secrets(self) -> list[str]:
        """Return every secret of the section (what logs must never show)."""
        return [self.token()] if self.token() else []

    def endpoint(self) -> str:
        """Return where the platform's API is, for the startup line ("" when unknown)."""
        return ""


def env_name(section: type[BaseSettings], field: str) -> str:
    """Return the environment variable a section's field is read from."""
    return f"{section.model_config.get('env_prefix', '')}{field}".upper()


def load_settings(section: type[S] = BotSettings, env: Mapping[str, str] | None = None) -> S:  # type: ignore[assignment]
    """Return a section from the process environment, or only from ``env`` when given."""
    if env is None:
        return section()
    prefix = str(section.model_config.get("env_prefix", "")).upper()
    values: dict[str, Any] = {
        name: env[key]
        for name in section.model_fields
        if (key := f"{prefix}{name}".upper()) in env and env[key] != ""
    }
    return _given(section)(**values)


@cache
def _given(section: type[S]) -> type[S]:
    """Return the section reading its keyword arguments only: a test's mapping is all."""

    class Given(section):  # type: ignore[valid-type, misc]
        @classmethod
        def settings_customise_sources(cls, settings_cls, init_settings, **sources):  # type: ignore[override]
            return (init_settings,)

    return Given


def default_language() -> Language:
    """Return the language of chats that chose none, except private ones (from the environment)."""
    return load_settings().default_language
