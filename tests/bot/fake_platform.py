"""A chat platform made for tests: what a new adapter package provides, and nothing more."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pydantic_settings import SettingsConfigDict

from bot.settings import PlatformSettings
from renderers.parts import MessagePart


class FakeChatSettings(PlatformSettings):
    """``FAKECHAT_BOT_TOKEN``."""

    model_config = SettingsConfigDict(env_prefix="FAKECHAT_", extra="ignore", frozen=True)


@dataclass
class RecordingSender:
    """Keep every delivery instead of sending it."""

    parts: list[tuple[str, MessagePart]] = field(default_factory=list)

    async def send_part(self, chat_id: str, part: MessagePart, *, menu: object = None) -> None:
        """Record the chat and the part (the fake chat has no section menu to show)."""
        self.parts.append((chat_id, part))

    @property
    def sent(self) -> list[tuple[str, int]]:
        """Return each chat that got parts and how many, in first-part order."""
        counts = Counter(chat for chat, _ in self.parts)
        return [(chat, counts[chat]) for chat in dict.fromkeys(c for c, _ in self.parts)]


@dataclass
class RunningFakeChat:
    """The started adapter."""

    sender: RecordingSender = field(default_factory=RecordingSender)
    stopped: bool = False

    async def stop(self) -> None:
        """Mark the adapter stopped."""
        self.stopped = True


STARTED: list[RunningFakeChat] = []


async def start_platform(settings: FakeChatSettings, reports, store, budgets) -> RunningFakeChat:
    """Start the fake adapter (the registry's entry point) and remember it for the test."""
    assert settings.token() == "fake-token"
    STARTED.append(RunningFakeChat())
    return STARTED[-1]
