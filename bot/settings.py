"""The chat bot's settings: tokens and endpoints, read from the environment only.

Secrets never come from a file in the repository and are kept as ``SecretStr`` so that a
settings object printed by mistake shows ``**********``. ``load_settings`` is the one place
the runner reads them; tests pass their own mapping instead of the process environment.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///marketbot.sqlite3"


def _env(name: str):
    """Return a field read from exactly the environment variable ``name``."""
    return Field(default=None, validation_alias=AliasChoices(name))


class BotSettings(BaseSettings):
    """What ``marketbot run`` needs from the environment; a platform without a token is off."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = _env("TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = _env("TELEGRAM_API_BASE_URL")
    discord_bot_token: SecretStr | None = _env("DISCORD_BOT_TOKEN")
    discord_guild_id: str | None = _env("DISCORD_GUILD_ID")
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, validation_alias=AliasChoices("MARKETBOT_DATABASE_URL")
    )

    def secret(self, name: str) -> str:
        """Return a token's value stripped, or "" when it is not set."""
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value().strip() if value is not None else ""

    def secrets(self) -> list[str]:
        """Return every token that is set (for the log filter that masks them)."""
        return [s for s in (self.secret(n) for n in SECRET_FIELDS) if s]


SECRET_FIELDS = ("telegram_bot_token", "discord_bot_token")


def env_name(field: str) -> str:
    """Return the environment variable a settings field is read from."""
    alias = BotSettings.model_fields[field].validation_alias
    assert isinstance(alias, AliasChoices)
    return str(alias.choices[0])


def load_settings(env: Mapping[str, str] | None = None) -> BotSettings:
    """Return the settings from the process environment, or only from ``env`` when given."""
    if env is None:
        return BotSettings()
    return _Given(**{k: v for k, v in env.items() if v != ""})


class _Given(BotSettings):
    """Settings from a given mapping only: a test's environment is all there is."""

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, **sources):  # type: ignore[override]
        """Return only the keyword arguments as a source."""
        return (init_settings,)
