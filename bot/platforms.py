"""The one registry of chat platforms: name → renderer, adapter (with its sender), settings.

The store, the CLI, the runner and the report cache read ``PLATFORMS``; nothing else lists
platforms. Renderers, adapters and settings sections are named as ``module:attribute`` and
imported on first use, so a chat library loads only when its platform runs. Adding a
platform is one adapter package under ``bot/`` (its ``start_platform`` and settings
section) and one entry here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.budgets import SlotStore
    from bot.delivery import Sender
    from bot.report_cache import ReportCache
    from bot.settings import PlatformSettings
    from bot.store import AsyncStore

log = logging.getLogger(__name__)


class RunningPlatform(Protocol):
    """A started chat adapter: the sender digests go through, and how to stop it.

    An adapter may also have ``failed`` (an asyncio.Event set when the platform stopped
    accepting its token) and ``keepalive()`` (called every few seconds while it runs).
    """

    @property
    def sender(self) -> Sender: ...

    async def stop(self) -> None: ...


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Platform:
    """One chat platform: how reports render for it and how its adapter starts."""

    name: str
    title: str
    renderer_path: str  # "module:function" rendering a Report into the platform's parts
    # "module:function" starting the adapter: (settings, reports, store, budgets)
    adapter_path: str
    settings_path: str  # "module:class", a PlatformSettings section; no token = disabled

    def renderer(self) -> Any:
        """Return the platform's parts renderer (imported on first use)."""
        return _load(self.renderer_path)

    def settings(self, env: Mapping[str, str] | None = None) -> PlatformSettings:
        """Return the platform's settings section (from ``env`` only, when given)."""
        from bot.settings import load_settings

        return load_settings(_load(self.settings_path), env)

    def token_env(self) -> str:
        """Return the environment variable of the platform's token."""
        from bot.settings import env_name

        return env_name(_load(self.settings_path), "bot_token")

    async def start(
        self,
        settings: PlatformSettings,
        reports: ReportCache,
        store: AsyncStore,
        budgets: SlotStore | None = None,
    ) -> RunningPlatform | None:
        """Start the adapter when its token is set; None (logged) when it is not.

        ``budgets`` is where send budgets shared with other instances live (default: the store).
        """
        if not settings.token():
            log.warning("%s is not set: %s is disabled", self.token_env(), self.title)
            return None
        return await _load(self.adapter_path)(settings, reports, store, budgets or store)


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "telegram",
            "Telegram",
            "renderers.telegram:render_telegram",
            "bot.telegram.running:start_platform",
            "bot.telegram.settings:TelegramSettings",
        ),
        Platform(
            "discord",
            "Discord",
            "renderers.discord:render_discord",
            "bot.discord.app:start_platform",
            "bot.discord.settings:DiscordSettings",
        ),
    )
}


def platform_renderers() -> dict[str, Any]:
    """Return each platform's renderer by name."""
    return {name: platform.renderer() for name, platform in PLATFORMS.items()}
