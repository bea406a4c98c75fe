"""The one registry of chat platforms: name → renderer, adapter (with its sender), token.

The store, the CLI, the runner and the report cache read ``PLATFORMS``; nothing else lists
platforms. Renderers and adapters are named as ``module:attribute`` and imported on first
use, so a chat library loads only when its platform runs. Adding a platform is one adapter
package under ``bot/`` (its ``start_platform``) and one entry here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.delivery import Sender
    from bot.report_cache import ReportCache
    from bot.settings import BotSettings
    from bot.store import AsyncStore

log = logging.getLogger(__name__)


class RunningPlatform(Protocol):
    """A started chat adapter: the sender digests go through, and how to stop it."""

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
    token_field: str  # the BotSettings field holding its token; unset disables the platform
    renderer_path: str  # "module:function" rendering a Report into the platform's parts
    adapter_path: str  # "module:function" starting the adapter: (settings, reports, store)

    def renderer(self) -> Any:
        """Return the platform's parts renderer (imported on first use)."""
        return _load(self.renderer_path)

    def token_env(self) -> str:
        """Return the environment variable of the platform's token."""
        from bot.settings import env_name

        return env_name(self.token_field)

    async def start(
        self, settings: BotSettings, reports: ReportCache, store: AsyncStore
    ) -> RunningPlatform | None:
        """Start the adapter when its token is set; None (logged) when it is not."""
        if not settings.secret(self.token_field):
            log.warning("%s is not set: %s is disabled", self.token_env(), self.title)
            return None
        return await _load(self.adapter_path)(settings, reports, store)


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "telegram",
            "Telegram",
            "telegram_bot_token",
            "renderers.telegram:render_telegram",
            "bot.telegram.app:start_platform",
        ),
        Platform(
            "discord",
            "Discord",
            "discord_bot_token",
            "renderers.discord:render_discord",
            "bot.discord.app:start_platform",
        ),
    )
}
PLATFORM_NAMES: tuple[str, ...] = tuple(PLATFORMS)


def platform_renderers(names: Sequence[str] = PLATFORM_NAMES) -> dict[str, Any]:
    """Return each platform's renderer by name."""
    return {name: PLATFORMS[name].renderer() for name in names}
