"""docker-compose.yml runs Telegram, Discord or both, with PostgreSQL and Redis by profile.

Compose itself may be missing where tests run, so the file is read as YAML and its
``${VAR:-default}`` values resolved as Compose resolves them; the bot's settings are then read
from the environment the container would get.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import yaml

from bot.platforms import PLATFORMS
from bot.settings import BotSettings, env_name, load_settings
from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")
_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def _container_env(shell: dict[str, str]) -> dict[str, str]:
    """Return the bot container's environment for the variables set in ``shell``."""
    environment = COMPOSE["services"]["bot"]["environment"]
    return {
        name: _VARIABLE.sub(lambda m: shell.get(m[1]) or (m[2] or ""), str(value))
        for name, value in environment.items()
    }


def _running(shell: dict[str, str]) -> set[str]:
    env = _container_env(shell)
    return {name for name, p in PLATFORMS.items() if p.settings(env).token()}


def test_the_bot_always_runs_and_the_servers_only_by_profile() -> None:
    services = COMPOSE["services"]
    assert "profiles" not in services["bot"]
    assert services["postgres"]["profiles"] == ["postgres"]
    assert services["redis"]["profiles"] == ["redis"]


@pytest.mark.parametrize(
    "tokens", [("telegram",), ("discord",), ("telegram", "discord")], ids="+".join
)
def test_either_platform_or_both_run_as_their_tokens_are_set(tokens) -> None:
    shell = {PLATFORMS[name].token_env(): f"{name}-token-for-the-test" for name in tokens}
    assert _running(shell) == set(tokens)
    assert _running({}) == set()  # neither: the bot says so and exits non-zero


def test_every_variable_passed_is_one_the_bot_reads() -> None:
    known = {env_name(BotSettings, field) for field in BotSettings.model_fields}
    for platform in PLATFORMS.values():
        section = type(platform.settings({}))
        known |= {env_name(section, field) for field in section.model_fields}
    assert set(COMPOSE["services"]["bot"]["environment"]) <= known


def test_the_documented_urls_reach_the_compose_servers() -> None:
    postgres = COMPOSE["services"]["postgres"]["environment"]
    # The URLs naming the compose service as host, in the README and the file's own comments.
    texts = README + (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    urls = set(re.findall(r"MARKETBOT_DATABASE_URL=(postgresql\+psycopg://\S+@postgres\S+)", texts))
    assert len(urls) >= 1
    for text in urls:
        url = sa.make_url(text)
        assert (url.username, url.password, url.host, url.database) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            "postgres",
            postgres["POSTGRES_DB"],
        )
    (redis,) = set(re.findall(r"MARKETBOT_REDIS_URL=(redis://\S+)", texts))
    settings = load_settings(env=_container_env({"MARKETBOT_REDIS_URL": redis}))
    assert settings.redis() == "redis://redis:6379/0"  # the compose service's name
    assert load_settings(env=_container_env({})).redis() == ""  # no Redis unless asked
