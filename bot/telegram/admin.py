"""Who may change a chat's digest: anyone in a private chat, administrators elsewhere."""

from __future__ import annotations

from telegram import Bot, Update
from telegram.constants import ChatMemberStatus, ChatType

from core.errors import BotCannotPost, NotChatManager
from core.i18n import N_

_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
# The right as Telegram names it in a channel's administrator settings.
CHANNEL_ADMIN = (N_("administrator rights with Post Messages"),)


async def require_admin(update: Update, bot: Bot) -> None:
    """Return if the sender may manage this chat's digest; raise otherwise (getChatMember)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if chat.type == ChatType.CHANNEL:
        # Only a channel's administrators can post in it, so the poster needs no check; the
        # bot itself must be allowed to post or no digest can ever arrive.
        me = await bot.get_chat_member(chat.id, bot.id)
        if me.status not in _ADMINS or not getattr(me, "can_post_messages", True):
            raise BotCannotPost(CHANNEL_ADMIN)
        return
    if message is not None and message.sender_chat is not None:
        # Anonymous group admins post as the group itself; a linked channel does not count.
        if message.sender_chat.id == chat.id:
            return
        raise NotChatManager()
    user = update.effective_user
    if user is None:
        raise NotChatManager()
    member = await bot.get_chat_member(chat.id, user.id)
    if member.status not in _ADMINS:
        raise NotChatManager()
