"""Discord's settings section: ``DISCORD_BOT_TOKEN`` and an optional test server."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from bot.settings import PlatformSettings, env_name


class DiscordSettings(PlatformSettings):
    """``DISCORD_BOT_TOKEN``; ``DISCORD_GUILD_ID`` syncs the commands to a test server too."""

    model_config = SettingsConfigDict(env_prefix="DISCORD_", extra="ignore", frozen=True)

    guild_id: str | None = None

    def endpoint(self) -> str:
        """Return the API the client talks to (for the startup line)."""
        return "https://discord.com/api, gateway"


TOKEN_ENV = env_name(DiscordSettings, "bot_token")
GUILD_ENV = env_name(DiscordSettings, "guild_id")
