"""Settings sections: tokens come from the environment (or a test's mapping), never print."""

from __future__ import annotations

from bot.discord.settings import DiscordSettings
from bot.settings import DEFAULT_DATABASE_URL, BotSettings, env_name, load_settings
from bot.telegram.settings import TelegramSettings


def test_a_given_mapping_is_the_whole_environment(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "from-the-process")
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", "sqlite://")
    env = {"DISCORD_BOT_TOKEN": " 123:abc ", "DISCORD_GUILD_ID": "42"}
    assert load_settings(TelegramSettings, env).token() == ""
    discord = load_settings(DiscordSettings, env)
    assert (discord.token(), discord.guild_id) == ("123:abc", "42")
    assert load_settings(env=env).database_url == DEFAULT_DATABASE_URL


def test_the_process_environment_is_read_without_a_mapping(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:secret")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", "sqlite://")
    telegram = load_settings(TelegramSettings)
    assert telegram.token() == "999:secret"
    assert telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert load_settings().database_url == "sqlite://"
    assert "999:secret" not in repr(telegram) + str(telegram)


def test_fields_name_their_variables() -> None:
    assert env_name(TelegramSettings, "bot_token") == "TELEGRAM_BOT_TOKEN"
    assert env_name(DiscordSettings, "guild_id") == "DISCORD_GUILD_ID"
    assert env_name(BotSettings, "database_url") == "MARKETBOT_DATABASE_URL"
