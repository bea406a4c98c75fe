"""A fake Discord on 127.0.0.1: the REST API calls the bot makes and a minimal gateway.

discord.py is pointed at it by patching ``discord.http.Route.BASE`` (REST and webhooks) and
``DiscordWebSocket.DEFAULT_GATEWAY`` (the gateway); both are class attributes in discord.py
2.4-2.7, which is why pyproject pins ``discord.py>=2.4,<3``. The gateway speaks plain JSON
text frames (discord.py only decompresses binary ones): HELLO, READY on IDENTIFY, heartbeat
ACKs, and INTERACTION_CREATE dispatches (slash commands, autocomplete, select choices)
that tests push with ``interact``; message bodies keep their ``components``.

Recorded: every request, channel messages with their embeds and files, interaction callbacks
and follow-ups. Injectable: 429s (with the ``Via`` header and ``retry_after`` body Discord
sends), deleted channels (404, code 10003), channels closed to the bot (403, code 50001)
and a gateway refusing connections (503) for a while. A message with ``enforce_nonce`` whose
nonce the bot used in the past few minutes is answered with that earlier message, as Discord
does, and not posted again. ``hold_answers`` posts messages but holds their answers (a
request that arrived while its sender died).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 1_100_000_000_000_000_001
BOT_ID = APP_ID
GUILD_ID = 1_200_000_000_000_000_001
TOKEN = "MTEwMDAw.fake-discord.token-for-tests-only-0123456789"
TIMESTAMP = "2026-03-20T23:00:00.000000+00:00"
_ids = itertools.count(1_300_000_000_000_000_001)

# Discord's message limits: content characters, embeds, their characters together, fields.
CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBEDS_CHARS_LIMIT = 6000
FIELDS_LIMIT = 25
NONCE_WINDOW_S = 180.0  # Discord: "in the past few minutes"


def _json(data: object, *, status: int = 200, headers: dict[str, str] | None = None):
    # discord.py parses a body as JSON only for this exact Content-Type (no charset).
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def snowflake() -> str:
    """Return a new unique id."""
    return str(next(_ids))


def user(user_id: int | str, name: str, *, bot: bool = False) -> dict[str, Any]:
    """Return a user object."""
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


@dataclass
class Sent:
    """One message the bot created: where, its JSON body and its uploaded files."""

    channel_id: str
    body: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    message: dict[str, Any] = field(default_factory=dict)  # as the API answered it

    @property
    def selects(self) -> list[dict[str, Any]]:
        """Return the message's select menus (components of type 3 in its action rows)."""
        rows = self.body.get("components") or []
        return [c for row in rows for c in row.get("components", ()) if c.get("type") == 3]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Return the message's embeds."""
        return self.body.get("embeds") or []

    @property
    def ephemeral(self) -> bool:
        """Return whether only the user who asked sees it."""
        return bool(self.body.get("flags", 0) & 64)


class FakeDiscord:
    """The fake server; ``base_url`` is what Route.BASE and the gateway URL are built on."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.messages: list[Sent] = []  # channel messages (POST /channels/{id}/messages)
        self.callbacks: list[dict[str, Any]] = []  # interaction callbacks (type 4, 5, 8 …)
        self.followups: list[Sent] = []  # webhook follow-ups, channel_id = interaction token
        self.deleted_originals: list[str] = []
        self.synced: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id → commands
        self.deleted_channels: set[str] = set()
        self.forbidden_channels: set[str] = set()
        self.rate_limits: Counter[str] = Counter()  # channel id → 429s still to answer
        self.rate_limited: Counter[str] = Counter()
        self.retry_after_s = 0.05
        self.reject_token = False  # answer GET /users/@me with 401, as for a revoked token
        self.gateway_refusals = 0  # answer this many gateway connections with 503
        self.identified = asyncio.Event()
        self.nonce_repeats = 0  # messages answered with the earlier one of the same nonce
        self._nonces: dict[str, tuple[float, dict[str, Any]]] = {}
        self._answers = asyncio.Event()
        self._answers.set()
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """Return the server's root URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Return what ``discord.http.Route.BASE`` must be set to."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Return the gateway's websocket URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        api = "/api/v10"
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get(f"{api}/gateway", self._gateway_url)
        app.router.add_get(f"{api}/users/@me", self._me)
        app.router.add_get(f"{api}/oauth2/applications/@me", self._application)
        app.router.add_put(f"{api}/applications/{{app}}/commands", self._sync)
        app.router.add_put(f"{api}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        app.router.add_post(f"{api}/channels/{{channel}}/messages", self._create_message)
        app.router.add_post(f"{api}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        app.router.add_delete(
            f"{api}/webhooks/{{app}}/{{token}}/messages/@original", self._delete_original
        )
        app.middlewares.append(self._record)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close the gateway sockets and the server."""
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests look at -------------------------------------------------------------

    def sent_to(self, channel_id: int | str) -> list[Sent]:
        """Return the messages created in a channel, in order."""
        return [m for m in self.messages if m.channel_id == str(channel_id)]

    def answers(self, token: str) -> list[Sent]:
        """Return an interaction's follow-ups, in order."""
        return [m for m in self.followups if m.channel_id == token]

    def callback(self, interaction_id: str) -> dict[str, Any] | None:
        """Return the interaction's initial response, if it got one."""
        return next((c for c in self.callbacks if c["interaction_id"] == interaction_id), None)

    async def wait_for(self, condition: Callable[[], object], timeout: float = 30.0) -> None:
        """Wait until ``condition()`` is truthy; ``timeout`` only bounds a hang."""
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.01)

    # --- gateway ------------------------------------------------------------------------

    async def interact(self, payload: dict[str, Any]) -> None:
        """Dispatch INTERACTION_CREATE to every connected client."""
        await self.dispatch("INTERACTION_CREATE", payload)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway event."""
        frame = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for ws in self._sockets:
            await ws.send_str(json.dumps(frame))

    def hold_answers(self) -> None:
        """Post messages from now on but hold their answers until ``release_answers``."""
        self._answers.clear()

    def release_answers(self) -> None:
        """Answer the held messages (to whoever is still connected) and stop holding."""
        self._answers.set()

    async def close_gateway(self, code: int) -> None:
        """Close every gateway connection with a close code (4014: intents not allowed)."""
        for ws in list(self._sockets):
            await ws.close(code=code)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_refusals > 0:
            self.gateway_refusals -= 1
            return web.Response(status=503, text="upstream connect error")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                ready = {
                    "v": 10,
                    "user": user(BOT_ID, "marketbot", bot=True),
                    "guilds": [],
                    "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                }
                await self.dispatch("READY", ready)
                self.identified.set()
        self._sockets.remove(ws)
        return ws

    # --- REST ---------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        return await handler(request)

    async def _gateway_url(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _me(self, request: web.Request) -> web.Response:
        if self.reject_token:
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _json(user(BOT_ID, "marketbot", bot=True))

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "marketbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user(1, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _sync(self, request: web.Request) -> web.Response:
        commands = await request.json()
        scope = request.match_info.get("guild", "global")
        stored = [
            {**c, "id": snowflake(), "application_id": str(APP_ID), "version": snowflake()}
            for c in commands
        ]
        self.synced[scope] = stored
        return _json(stored)

    @staticmethod
    async def _body(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        if not request.content_type.startswith("multipart/"):
            return await request.json(), {}
        body: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                files[part.filename or part.name or ""] = bytes(await part.read())
        return body, files

    def _message(self, channel_id: str, body: dict[str, Any], files: dict[str, bytes]):
        return {
            "id": snowflake(),
            "channel_id": channel_id,
            "type": 0,
            "content": body.get("content", ""),
            "author": user(BOT_ID, "marketbot", bot=True),
            "embeds": body.get("embeds", []),
            "attachments": [
                {
                    "id": snowflake(),
                    "filename": name,
                    "size": len(data),
                    "url": f"{self.base_url}/files/{name}",
                    "proxy_url": f"{self.base_url}/files/{name}",
                }
                for name, data in files.items()
            ],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "flags": body.get("flags", 0),
            "components": body.get("components", []),
        }

    def _rate_limited(self, key: str) -> web.Response | None:
        if self.rate_limits[key] <= 0:
            return None
        self.rate_limits[key] -= 1
        self.rate_limited[key] += 1
        return _json(
            {
                "message": "You are being rate limited.",
                "retry_after": self.retry_after_s,
                "global": False,
                "code": 20028,
            },
            status=429,
            headers={
                "Via": "1.1 google",
                "Retry-After": "1",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(self.retry_after_s),
                "X-RateLimit-Bucket": f"bucket-{key}",
                "X-RateLimit-Scope": "user",
            },
        )

    @staticmethod
    def _breaks_limits(body: dict[str, Any]) -> web.Response | None:
        """Answer 400 as Discord does for a message over its limits, else None."""
        embeds = body.get("embeds") or []
        embed_chars = sum(
            len(e.get("title", ""))
            + len(e.get("description", ""))
            + len((e.get("footer") or {}).get("text", ""))
            + len((e.get("author") or {}).get("name", ""))
            + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in e.get("fields", []))
            for e in embeds
        )
        too_many_fields = any(len(e.get("fields", [])) > FIELDS_LIMIT for e in embeds)
        if (
            len(body.get("content") or "") > CONTENT_LIMIT
            or embed_chars > EMBEDS_CHARS_LIMIT
            or len(embeds) > EMBEDS_LIMIT
            or too_many_fields
        ):
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        return None

    async def _create_message(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        if channel in self.deleted_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if channel in self.forbidden_channels:
            return _json({"message": "Missing Access", "code": 50001}, status=403)
        limited = self._rate_limited(channel)
        if limited is not None:
            return limited
        body, files = await self._body(request)
        refused = self._breaks_limits(body)
        if refused is not None:
            return refused
        nonce = str(body["nonce"]) if body.get("enforce_nonce") and "nonce" in body else None
        earlier = self._nonces.get(nonce) if nonce is not None else None
        if earlier is not None and time.monotonic() - earlier[0] <= NONCE_WINDOW_S:
            self.nonce_repeats += 1
            return _json(earlier[1])
        message = self._message(channel, body, files)
        self.messages.append(Sent(channel, body, files, message))
        if nonce is not None:
            self._nonces[nonce] = (time.monotonic(), message)
        await self._answers.wait()
        return _json(message)

    async def _callback(self, request: web.Request) -> web.Response:
        body, files = await self._body(request)
        interaction_id = request.match_info["id"]
        self.callbacks.append({"interaction_id": interaction_id, **body, "files": files})
        kind = body["type"]
        data = body.get("data") or {}
        response: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            }
        }
        if kind in (4, 5):
            message = self._message("0", data, files)
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        return _json(response)

    async def _followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        limited = self._rate_limited(f"webhook-{token}")
        if limited is not None:
            return limited
        body, files = await self._body(request)
        refused = self._breaks_limits(body)
        if refused is not None:
            return refused
        message = self._message("0", body, files)
        self.followups.append(Sent(token, body, files, message))
        return _json(message)

    async def _delete_original(self, request: web.Request) -> web.Response:
        self.deleted_originals.append(request.match_info["token"])
        return web.Response(status=204)
