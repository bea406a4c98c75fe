"""Bot settings: tokens come from the environment (or a test's mapping) and never print."""

from __future__ import annotations

from bot.settings import DEFAULT_DATABASE_URL, env_name, load_settings


def test_a_given_mapping_is_the_whole_environment(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "from-the-process")
    settings = load_settings({"DISCORD_BOT_TOKEN": " 123:abc ", "DISCORD_GUILD_ID": "42"})
    assert settings.secret("telegram_bot_token") == ""
    assert settings.secret("discord_bot_token") == "123:abc"
    assert (settings.discord_guild_id, settings.database_url) == ("42", DEFAULT_DATABASE_URL)
    assert settings.secrets() == ["123:abc"]


def test_the_process_environment_is_read_without_a_mapping(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:secret")
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", "sqlite://")
    settings = load_settings()
    assert settings.secret("telegram_bot_token") == "999:secret"
    assert settings.database_url == "sqlite://"
    assert "999:secret" not in repr(settings) + str(settings)


def test_fields_name_their_variables() -> None:
    assert env_name("telegram_bot_token") == "TELEGRAM_BOT_TOKEN"
    assert env_name("database_url") == "MARKETBOT_DATABASE_URL"
