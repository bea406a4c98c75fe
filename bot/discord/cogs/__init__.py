"""One cog per feature; ``COGS`` is what the bot loads, in order."""

from bot.discord.cogs.divergence import DivergenceCog
from bot.discord.cogs.info import InfoCog
from bot.discord.cogs.reports import ReportsCog
from bot.discord.cogs.subscriptions import SubscriptionsCog

COGS = (ReportsCog, DivergenceCog, SubscriptionsCog, InfoCog)

__all__ = ["COGS", "DivergenceCog", "InfoCog", "ReportsCog", "SubscriptionsCog"]
