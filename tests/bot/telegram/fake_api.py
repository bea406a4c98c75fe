"""A fake Telegram Bot API on 127.0.0.1 for driving the real PTB Application in tests.

It queues injected updates for getUpdates (or builds them for a test to POST to the bot's
webhook, recording setWebhook), records every message sent, checks texts as Telegram would
(length, HTML), enforces its own messages-per-second limit with 429s, and can be told to
fail a chat with 429, 403 or a migration.

A send whose request reached the fake whole is carried out even when its client dies before
the answer, as at Telegram: a request written to the socket still reaches the server after a
kill -9 (the kernel sends it and closes the connection after it), and the Bot API does not
cancel a request whose connection closed. Such sends are also listed in ``unanswered``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.clock import SYSTEM_CLOCK, Clock
from renderers.parts import MediaGroupPart, MessagePart, PhotoPart, TextPart, utf16_len
from tests.renderers.telegram_checker import TelegramHtmlError, check_telegram_html

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz0123"
BOT_ID = 123456
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
SEND_METHODS = {"sendMessage", "sendPhoto", "sendMediaGroup"}
ADMIN_FIELDS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


@dataclass(frozen=True)
class Sent:
    """One accepted send: method, chat, text or captions, photo file ids, uploads made."""

    method: str
    chat_id: int
    text: str | None = None
    captions: tuple[str, ...] = ()
    file_ids: tuple[str, ...] = ()
    uploads: int = 0
    reply_markup: dict | None = None
    at: float = 0.0  # the fake's clock (monotonic) when it accepted the send

    @property
    def part_key(self) -> str:
        """Return what ``part_key`` gives for the part this send carried."""
        return self.text if self.text is not None else "\n".join(self.captions)


def part_key(part: MessagePart) -> str:
    """Return what the fake records of a part: its text, or its captions joined by newlines."""
    if isinstance(part, TextPart):
        return part.text
    if isinstance(part, PhotoPart):
        return part.caption
    assert isinstance(part, MediaGroupPart)
    return "\n".join(p.caption for p in part.photos)


@dataclass(frozen=True)
class Failure:
    """An error to answer one send with."""

    code: int
    description: str
    parameters: dict | None = None


def too_many(retry_after: int = 1) -> Failure:
    """Return a 429 with retry_after."""
    return Failure(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def server_error() -> Failure:
    """Return a 500: a failure that may pass."""
    return Failure(500, "Internal Server Error")


def no_photo_rights() -> Failure:
    """Return Telegram's answer to a photo in a chat where the bot may not send photos."""
    return Failure(400, "Bad Request: not enough rights to send photos to the chat")


def blocked() -> Failure:
    """Return Telegram's answer once a user blocked the bot."""
    return Failure(403, "Forbidden: bot was blocked by the user")


class _Reject(Exception):
    def __init__(self, failure: Failure) -> None:
        self.failure = failure


def _client_gone(request: web.Request) -> bool:
    return request.transport is None or request.transport.is_closing()


def _bad(description: str) -> _Reject:
    return _Reject(Failure(400, f"Bad Request: {description}"))


@dataclass
class FakeBotApi:
    """The server; ``base_url`` is what PTB's ``Application.builder().base_url`` wants."""

    max_per_second: float | None = None
    token: str = TOKEN
    clock: Clock = SYSTEM_CLOCK  # times the one-second window of max_per_second
    sent: list[Sent] = field(default_factory=list)
    # Sends carried out whose client had died before the answer (also in ``sent``).
    unanswered: list[Sent] = field(default_factory=list)
    # Sends refused (429, 400 …) whose client had died before the answer: never delivered.
    refused_unanswered: list[Sent] = field(default_factory=list)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    commands: list[dict] = field(default_factory=list)
    menus: dict[str, list[dict]] = field(default_factory=dict)  # by language_code, "" = default
    member_queries: list[tuple[int, int]] = field(default_factory=list)
    callback_answers: list[str] = field(default_factory=list)
    toasts: list[str] = field(default_factory=list)  # each answer's text ("" = none shown)
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)
    chat_types: dict[int, str] = field(default_factory=dict)
    failures: dict[int, deque[Failure]] = field(default_factory=dict)
    blocked_chats: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    no_photos: set[int] = field(default_factory=set)
    scheduled: dict[tuple[int, int], Failure] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)
    conflicts: int = 0
    polls: int = 0  # getUpdates requests
    webhooks: list[dict] = field(default_factory=list)  # setWebhook calls, their parameters
    latency_s: float = 0.0
    hold_at: int | None = None  # hold every send once this many are accepted (see release)
    requests: int = 0
    too_many_answers: int = 0

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._known_files: set[str] = set()
        self._new_update = asyncio.Event()
        self._accepted_at: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self._poll: tuple[web.Request, asyncio.Event] | None = None
        self._held: dict[int, web.Request] = {}  # by id(): aiohttp requests are unhashable
        self._open = asyncio.Event()
        self._open.set()
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1; return the base_url for PTB."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    @property
    def base_url(self) -> str:
        """Return the Bot API base URL (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests inject -----------------------------------------------------------------
    def chat(self, chat_id: int, kind: str) -> dict:
        """Register a chat's type (private, group, supergroup, channel); return its JSON."""
        self.chat_types[chat_id] = kind
        return self._chat(chat_id)

    def _chat(self, chat_id: int) -> dict:
        kind = self.chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
        body: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            body["first_name"] = f"user{chat_id}"
        else:
            body["title"] = f"chat {chat_id}"
        return body

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember answers: creator, administrator, member, left …"""
        self.statuses[(chat_id, user_id)] = status

    def fail(self, chat_id: int, *failures: Failure) -> None:
        """Answer the chat's next sends with these errors, in order."""
        self.failures.setdefault(chat_id, deque()).extend(failures)

    def fail_at(self, chat_id: int, attempt: int, failure: Failure) -> None:
        """Answer the chat's ``attempt``-th send (1 = its first) with ``failure``."""
        self.scheduled[(chat_id, attempt)] = failure

    def refuse_photos(self, chat_id: int) -> None:
        """Answer every photo or album sent to the chat with 400 "not enough rights"."""
        self.no_photos.add(chat_id)

    def block(self, chat_id: int) -> None:
        """Answer every send to the chat with 403."""
        self.blocked_chats.add(chat_id)

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """Answer sends to the old id with migrate_to_chat_id from now on."""
        self.migrated[old_chat_id] = new_chat_id
        self.chat_types[new_chat_id] = "supergroup"

    def command(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> None:
        """Queue a command message as a user (or, in a channel, as a channel post) sends it."""
        self._push(self.command_update(chat_id, text, user_id=user_id, language_code=language_code))

    def command_update(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> dict:
        """Return the update body (no ``update_id``) of a command, as ``command`` queues it."""
        kind = self.chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
        word = text.split()[0]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(self.clock.now_utc().timestamp()),
            "chat": self._chat(chat_id),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(word)}],
        }
        if kind == "channel":
            message["sender_chat"] = self._chat(chat_id)
            return {"channel_post": message}
        uid = user_id if user_id is not None else chat_id
        message["from"] = {"id": uid, "is_bot": False, "first_name": f"user{uid}"}
        if language_code is not None:
            message["from"]["language_code"] = language_code
        return {"message": message}

    def webhook_update(self, chat_id: int, text: str) -> dict:
        """Return a command's update as Telegram POSTs it to a webhook (with its update_id)."""
        return {"update_id": next(self._update_ids), **self.command_update(chat_id, text)}

    def press(self, chat_id: int, user_id: int, data: str) -> None:
        """Queue an inline button press on a bot message in the chat."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(self.clock.now_utc().timestamp()),
            "chat": self._chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "marketbot"},
            "text": "Pick one section:",
        }
        self._push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids)),
                    "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    def _push(self, body: dict) -> None:
        self._updates.append({"update_id": next(self._update_ids), **body})
        self._new_update.set()

    def held_alive(self) -> int:
        """Return how many held sends still have a connected client."""
        return sum(1 for r in self._held.values() if not _client_gone(r))

    def hold(self) -> None:
        """Hold every send from now on, unanswered, until ``release``."""
        self._open.clear()

    def release(self) -> None:
        """Let held sends through and stop holding."""
        self.hold_at = None
        self._open.set()

    # -- what tests read -------------------------------------------------------------------
    def sent_to(self, chat_id: int) -> list[Sent]:
        """Return the accepted sends to one chat, in order."""
        return [s for s in self.sent if s.chat_id == chat_id]

    def texts_to(self, chat_id: int) -> list[str]:
        """Return the texts and captions sent to one chat, in order."""
        out: list[str] = []
        for s in self.sent_to(chat_id):
            out.extend([s.text] if s.text is not None else s.captions)
        return out

    async def wait_for(self, predicate, timeout: float = 30.0) -> None:
        """Wait until ``predicate()`` is true; ``timeout`` only bounds a hang."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise AssertionError(f"timed out; sent so far: {self.sent!r}") from None

    # -- the API ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        if request.match_info["token"] != self.token:
            return self._error(Failure(401, "Unauthorized"))
        method = request.match_info["method"]
        form = await request.post()
        params = {k: v for k, v in form.items() if not isinstance(v, web.FileField)}
        files = {k: v for k, v in form.items() if isinstance(v, web.FileField)}
        handler = getattr(self, f"_api_{method}", None)
        if handler is None and method != "getUpdates":
            return self._error(Failure(404, "Not Found: method not found"))
        if method in SEND_METHODS and not self._open.is_set():
            self._held[id(request)] = request
            await self._open.wait()
            del self._held[id(request)]
        if self.latency_s and method != "getUpdates":
            await asyncio.sleep(self.latency_s)
        try:
            if method in SEND_METHODS:
                self._gate(int(params["chat_id"]), method)
            if method == "getUpdates":
                self.polls += 1
                result = await self._get_updates(params, request)
            else:
                result = await handler(params, files)
        except _Reject as exc:
            if method in SEND_METHODS:
                self.rejected.append((method, int(params["chat_id"]), exc.failure.description))
                if _client_gone(request):
                    self.refused_unanswered.append(self._sent_of(method, params))
            return self._error(exc.failure)
        if method in SEND_METHODS and _client_gone(request):
            self.unanswered.append(self._sent_of(method, params))
        if self.hold_at is not None and len(self.sent) >= self.hold_at:
            self._open.clear()
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _sent_of(method: str, params: dict) -> Sent:
        chat_id = int(params["chat_id"])
        if method == "sendMessage":
            return Sent(method, chat_id, text=str(params["text"]))
        media = json.loads(params["media"]) if "media" in params else [params]
        return Sent(method, chat_id, captions=tuple(str(m.get("caption", "")) for m in media))

    def _error(self, failure: Failure) -> web.Response:
        if failure.code == 429:
            self.too_many_answers += 1
        body: dict[str, Any] = {
            "ok": False,
            "error_code": failure.code,
            "description": failure.description,
        }
        if failure.parameters:
            body["parameters"] = failure.parameters
        return web.json_response(body, status=failure.code)

    def _gate(self, chat_id: int, method: str) -> None:
        attempt = self.attempts[chat_id] = self.attempts.get(chat_id, 0) + 1
        if (chat_id, attempt) in self.scheduled:
            raise _Reject(self.scheduled.pop((chat_id, attempt)))
        if chat_id in self.no_photos and method != "sendMessage":
            raise _Reject(no_photo_rights())
        queued = self.failures.get(chat_id)
        if queued:
            raise _Reject(queued.popleft())
        if chat_id in self.blocked_chats:
            raise _Reject(blocked())
        if chat_id in self.migrated:
            raise _Reject(
                Failure(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self.migrated[chat_id]},
                )
            )
        if self.max_per_second is not None:
            # Telegram's documented limit read literally: no more than max_per_second accepted
            # messages in any one-second interval (a bucket holding a second's worth would let
            # up to twice that through in one second).
            now = self.clock.monotonic()
            while self._accepted_at and now - self._accepted_at[0] >= 1.0:
                self._accepted_at.popleft()
            if len(self._accepted_at) + 1 > self.max_per_second:
                raise _Reject(too_many(1))
            self._accepted_at.append(now)

    def _message(self, chat_id: int, **extra: Any) -> dict:
        return {
            "message_id": next(self._message_ids),
            "date": int(self.clock.now_utc().timestamp()),
            "chat": self._chat(chat_id),
            **extra,
        }

    @staticmethod
    def _check_text(text: str, limit: int, what: str) -> None:
        try:
            visible = check_telegram_html(text)
        except TelegramHtmlError as exc:
            raise _bad(f"can't parse entities: {exc}") from exc
        if utf16_len(visible) > limit:
            raise _bad(f"{what} is too long")
        if not visible.strip() and what == "message":
            raise _bad("message text is empty")

    def _photo(self, media: str, files: dict[str, web.FileField]) -> tuple[str, int]:
        if media.startswith("attach://"):
            media = media.removeprefix("attach://")
        if media in files:
            file_id = f"photo-{next(self._file_ids)}"
            self._known_files.add(file_id)
            return file_id, 1
        if media not in self._known_files:
            raise _bad("wrong file identifier/HTTP URL specified")
        return media, 0

    async def _api_getMe(self, params, files) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "marketbot",
            "username": "marketbot_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_deleteWebhook(self, params, files) -> bool:
        return True

    async def _api_setWebhook(self, params, files) -> bool:
        self.webhooks.append(dict(params))
        return True

    async def _api_setMyCommands(self, params, files) -> bool:
        menu = json.loads(params["commands"])
        self.menus[params.get("language_code", "")] = menu
        if not params.get("language_code"):
            self.commands = menu  # the default menu, for users of any other language
        return True

    async def _api_answerCallbackQuery(self, params, files) -> bool:
        self.callback_answers.append(params["callback_query_id"])
        self.toasts.append(params.get("text", ""))
        return True

    async def _get_updates(self, params, request: web.Request) -> list[dict]:
        # Like Telegram, a new getUpdates ends the one in flight with 409 Conflict; it counts
        # as a conflict when that one's client is still there (two pollers at once).
        previous = self._poll
        if previous is not None:
            transport = previous[0].transport
            if transport is not None and not transport.is_closing():
                self.conflicts += 1
            previous[1].set()
        ended = asyncio.Event()
        self._poll = (request, ended)
        try:
            updates = await self._updates_after(params, ended)
        finally:
            if self._poll is not None and self._poll[1] is ended:
                self._poll = None
        if ended.is_set():
            raise _Reject(Failure(409, "Conflict: terminated by other getUpdates request"))
        return updates

    async def _updates_after(self, params, ended: asyncio.Event) -> list[dict]:
        offset = int(params.get("offset", 0) or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            timeout = min(float(params.get("timeout", 0) or 0), 0.2)
            waits = [asyncio.ensure_future(e.wait()) for e in (self._new_update, ended)]
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()
        return list(self._updates)

    async def _api_getChatMember(self, params, files) -> dict:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        self.member_queries.append((chat_id, user_id))
        status = self.statuses.get((chat_id, user_id), "member")
        user = {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": f"user{user_id}"}
        body: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            body["is_anonymous"] = False
        elif status == "administrator":
            body.update(dict.fromkeys(ADMIN_FIELDS, False))
            body.update(can_post_messages=True, can_manage_chat=True)
        return body

    async def _api_sendMessage(self, params, files) -> dict:
        chat_id, text = int(params["chat_id"]), str(params["text"])
        if params.get("parse_mode") == "HTML":
            self._check_text(text, MESSAGE_LIMIT, "message")
        elif utf16_len(text) > MESSAGE_LIMIT:
            raise _bad("message is too long")
        markup = json.loads(params["reply_markup"]) if "reply_markup" in params else None
        self.sent.append(
            Sent("sendMessage", chat_id, text=text, reply_markup=markup, at=self.clock.monotonic())
        )
        return self._message(chat_id, text=text)

    async def _api_sendPhoto(self, params, files) -> dict:
        chat_id, caption = int(params["chat_id"]), str(params.get("caption", ""))
        self._check_text(caption, CAPTION_LIMIT, "caption")
        file_id, uploads = self._photo(str(params.get("photo", "photo")), files)
        self.sent.append(
            Sent(
                "sendPhoto",
                chat_id,
                None,
                (caption,),
                (file_id,),
                uploads,
                at=self.clock.monotonic(),
            )
        )
        photo = [{"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600}]
        return self._message(chat_id, photo=photo, caption=caption)

    async def _api_sendMediaGroup(self, params, files) -> list[dict]:
        chat_id = int(params["chat_id"])
        media = json.loads(params["media"])
        if not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the group")
        captions, file_ids, uploads = [], [], 0
        for item in media:
            caption = item.get("caption", "")
            self._check_text(caption, CAPTION_LIMIT, "caption")
            file_id, uploaded = self._photo(item["media"], files)
            captions.append(caption)
            file_ids.append(file_id)
            uploads += uploaded
        self.sent.append(
            Sent(
                "sendMediaGroup",
                chat_id,
                None,
                tuple(captions),
                tuple(file_ids),
                uploads,
                at=self.clock.monotonic(),
            )
        )
        return [
            self._message(
                chat_id,
                photo=[{"file_id": f, "file_unique_id": f, "width": 800, "height": 600}],
                caption=c,
            )
            for f, c in zip(file_ids, captions, strict=True)
        ]
