"""Everything the bot says in its own words, once, for every platform.

Sentences live here, as message ids of the catalog (``core/i18n.py``); a ``Style``
(``style.py``) says how one platform marks them up, what it calls a chat and, per chat, which
language it writes in.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.commands.style import Style
from bot.store import Subscription
from core.errors import (
    BadCommand,
    BotCannotPost,
    NotChatManager,
    RateLimitExceeded,
    ReportError,
    UnknownCommand,
    UserInputError,
)
from core.i18n import DEFAULT_LANGUAGE, N_, Language, translator
from core.sections import SECTIONS

PICK_SECTION = N_("Pick one section:")
INTERNAL_ERROR = N_("Something went wrong on my side; please try again later.")
STALE_BUTTON = N_("This button no longer works; send /report for fresh ones.")
INTRO = N_(
    "%(marketbot)s writes a daily cross-market report: US → Hong Kong → China A-shares → "
    "crypto %(amp)s DeFi, every figure computed from market data and labelled with its session."
)

DESCRIPTIONS: dict[str, str] = {
    "start": N_("What this bot does"),
    "help": N_("Commands and how to use them"),
    "report": N_("Today's whole report, or some sections of it"),
    "section": N_("One section of today's report"),
    "market": N_("One market: US, HK, CN or CRYPTO"),
    "divergence": N_("Spread between two instruments in bps, with a chart"),
    "subscribe": N_("Daily digest in this %(chat)s at a time and zone"),
    "unsubscribe": N_("Stop the daily digest in this %(chat)s"),
    "subscriptions": N_("This %(chat)s's daily digest"),
    "sources": N_("Where each figure came from, its session and freshness"),
    "language": N_("The language of this %(chat)s's replies and digest: zh or en"),
}


def _listed(items: Iterable[str], style: Style) -> str:
    return style.say(N_(", ")).join(items)  # 、 between a Chinese list's items


def describe(name: str, style: Style) -> str:
    """Return a command's one-line description (command menus, slash commands)."""
    return style.tr.gettext(DESCRIPTIONS[name], chat=style.word(style.chat))


def _intro(style: Style) -> str:
    return style.say(INTRO, marketbot=style.bold("marketbot"), amp=style.escape("&"))


def start(style: Style) -> str:
    """Return the /start greeting."""
    c = style.command
    return (
        _intro(style)
        + "\n\n"
        + style.say(
            N_(
                "Try %(report)s, %(market)s or %(divergence)s. %(subscribe)s delivers it "
                "here every day. %(help)s lists everything."
            ),
            report=c("/report"),
            market=c("/market HK"),
            divergence=c("/divergence HSTECH NASDAQ"),
            subscribe=c("/subscribe 08:00 Asia/Hong_Kong"),
            help=c("/help"),
        )
    )


def section_labels(
    language: Language = DEFAULT_LANGUAGE, *, disclaimer: bool = False
) -> list[tuple[str, str]]:
    """Return (key, short title) of each section one tap away: all but the disclaimer."""
    say = translator(language).gettext
    # A title up to its colon (``Global Risk Sentiment``, ``全球风险情绪``).
    return [
        (s.key, say(s.title).replace("：", ":").split(":")[0])
        for s in SECTIONS
        if disclaimer or s.key != "disclaimer"
    ]


def help_text(style: Style) -> str:
    """Return the /help list: each command's usage and what it does."""
    lines = [
        f"{style.code(style.usage_line(name))} — {style.escape(describe(name, style))}"
        for name in style.commands
    ]
    # The key is what a user types; its title says what it is in the reader's language.
    keys = _listed(
        (
            style.say(N_("%(key)s (%(title)s)"), key=style.escape(key), title=style.escape(title))
            for key, title in section_labels(style.language, disclaimer=True)
        ),
        style,
    )
    commands, sections = style.word(N_("Commands")), style.word(N_("Sections:"))
    return (
        _intro(style)
        + f"\n\n{style.bold(commands)}\n"
        + "\n".join(lines)
        + f"\n\n{style.bold(sections)} {keys}\n"
        + style.say(
            N_(
                "Times as 08:00 or 8:30pm; time zones as Asia/Hong_Kong, UTC+8 or HKT "
                "(default UTC). Put names with spaces in quotes: %(example)s. "
                "In a group or channel only %(managers)s can subscribe it."
            ),
            example=style.code('"S&P 500"'),
            managers=style.word(style.managers),
        )
    )


def _did_you_mean(suggestions: tuple[str, ...], style: Style) -> str:
    if not suggestions:
        return ""
    names = _listed((style.code(s) for s in suggestions), style)
    return "\n" + style.say(N_("Did you mean: %(names)s?"), names=names)


def unknown_command(exc: UnknownCommand, style: Style) -> str:
    """Return the answer to a command the bot does not have: the same on every platform."""
    names = _listed((style.command(f"/{name}") for name in style.commands), style)
    return (
        "⚠️ "
        + style.say(
            N_("unknown command %(command)s; try %(help)s"),
            command=style.escape(repr("/" + exc.command)),
            help=style.command("/help"),
        )
        + _did_you_mean(exc.suggestions, style)
        + "\n"
        + style.say(N_("Commands: %(names)s"), names=names)
    )


def user_error(exc: UserInputError, style: Style) -> str:
    """Return the reply to input the bot cannot use: what was wrong, usage, suggestions."""
    if isinstance(exc, BadCommand):
        did_you_mean = _did_you_mean(exc.suggestions, style)
        usage = style.code(style.usage_line(exc.command))
        usage_line = style.say(N_("Usage: %(usage)s"), usage=usage)
        return f"⚠️ {style.message(exc.reason)}{did_you_mean}\n{usage_line}"
    if isinstance(exc, UnknownCommand):
        return unknown_command(exc, style)
    if isinstance(exc, NotChatManager):
        return style.say(
            N_("Only %(managers)s can change this %(chat)s's daily digest."),
            managers=style.word(style.managers),
            chat=style.word(style.chat),
        )
    if isinstance(exc, BotCannotPost):
        names = _listed((style.bold(style.word(name)) for name in exc.missing), style)
        return style.say(
            N_(
                "I cannot post the daily digest here: I am missing %(names)s in this "
                "%(chat)s. %(grant)s, then run %(subscribe)s again."
            ),
            names=names,
            chat=style.word(style.chat),
            grant=style.word(style.grant),
            subscribe=style.command("/subscribe"),
        )
    if isinstance(exc, RateLimitExceeded):
        return "⏳ " + style.message(exc.message)
    return f"⚠️ {style.message(exc.message)}{_did_you_mean(exc.suggestions, style)}"


def report_failed(exc: ReportError, style: Style) -> str:
    """Return the reply when today's report cannot be built (data or configuration failed)."""
    return "⚠️ " + style.say(
        N_("Today's report is not available right now: %(reason)s"),
        reason=style.escape(str(exc)),
    )


def _sections_text(sub: Subscription, style: Style) -> str:
    if sub.sections:
        return _listed((style.escape(key) for key in sub.sections), style)
    return style.say(N_("the whole report"))


def subscribed(sub: Subscription, style: Style) -> str:
    """Return the confirmation of a (re)subscription."""
    return "✅ " + style.say(
        N_("Daily digest%(here)s: %(time)s %(zone)s, %(sections)s. Stop it with %(stop)s."),
        here=style.where(sub.chat_id),
        time=f"{sub.delivery_time:%H:%M}",
        zone=style.value(sub.timezone),
        sections=_sections_text(sub, style),
        stop=style.command("/unsubscribe"),
    )


def not_subscribed(style: Style) -> str:
    """Return the answer for a chat without a digest."""
    return style.say(
        N_("This %(chat)s has no daily digest. Start one with %(subscribe)s."),
        chat=style.word(style.chat),
        subscribe=style.command("/subscribe"),
    )


def unsubscribed(was_active: bool, style: Style) -> str:
    """Return the reply to /unsubscribe."""
    if was_active:
        return style.say(
            N_("Daily digest stopped for this %(chat)s. %(subscribe)s starts it again."),
            chat=style.word(style.chat),
            subscribe=style.command("/subscribe"),
        )
    return not_subscribed(style)


def subscription_status(sub: Subscription | None, style: Style) -> str:
    """Return the reply to /subscriptions."""
    if sub is None or not sub.active:
        return not_subscribed(style)
    return style.say(
        N_("Daily digest%(here)s at %(time)s %(zone)s: %(sections)s."),
        here=style.where(sub.chat_id),
        time=f"{sub.delivery_time:%H:%M}",
        zone=style.value(sub.timezone),
        sections=_sections_text(sub, style),
    )


def language_set(style: Style) -> str:
    """Return the confirmation of a chat's new language, in that language."""
    return "✅ " + style.say(
        N_("This %(chat)s now reads %(language)s: replies, reports and the daily digest."),
        chat=style.word(style.chat),
        language=style.language.native_name,
    )


def language_status(style: Style) -> str:
    """Return the reply to /language without a language: which one, and how to change it."""
    codes = " | ".join(style.code(f"/language {language}") for language in Language)
    return style.say(
        N_("This %(chat)s reads %(language)s. Change it with %(codes)s."),
        chat=style.word(style.chat),
        language=style.language.native_name,
        codes=codes,
    )
