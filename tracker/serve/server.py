"""``tracker serve``: textual-serve's aiohttp server with sign-in (people.md, "Signing in").

``TrackerServer`` subclasses textual-serve's ``Server``: its routes, its download manager and
its static files stay; the index, the WebSocket and the app processes (``VisitorService``) are
replaced, and every request passes ``_guard`` first:

- ``Host`` and ``Origin`` must be the server's own (``rules.Origins``), else 403;
- with ``--trust-header``, the header must name a person (in the roster, when there is one),
  else 403; the built-in sign-in is off;
- otherwise, in a managed database, the session cookie says who it is; ``/`` without one is
  sent to ``/login`` (303) and the WebSocket is refused (403). An open database has no sign-in:
  every visitor is the ``--user`` who started the server, on a loopback address.

``--max-sessions`` caps the visitor apps running at once: ``/`` answers the one over the cap
with a page saying so (503), and a WebSocket over it is told so in the terminal and closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from tracker import i18n
from tracker.context import Context
from tracker.domain.people import clean_name
from tracker.errors import BadInput
from tracker.present.safe import terminal
from tracker.serve import feeds, pages
from tracker.serve.auth import Session, Sessions, Throttle
from tracker.serve.rules import Origins, ServeOptions, is_loopback_name
from tracker.serve.signin import check_credentials
from tracker.serve.visitor import VisitorService
from tracker.store.db import Store, open_db
from tracker.store.people import find_person, is_managed, list_people

log = logging.getLogger("tracker.serve")

COOKIE = "tracker_session"
#: The largest request body accepted (the sign-in form is a few dozen bytes): else 413.
BODY_LIMIT = 16 * 1024
WS_MESSAGE_LIMIT = 64 * 1024
RETRY_SECONDS = 30
MANAGED_RECHECK = 2.0  # seconds: an open database may get its roster while being served

PERSON = web.RequestKey("person", str)  # named by the trusted header
SESSION = web.RequestKey("session", Session)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class TrackerServer(Server):
    """Serve ``tracker tui`` to signed-in browsers, one app process per visitor."""

    def __init__(self, ctx: Context, options: ServeOptions, *, replay: date | None) -> None:
        super().__init__(
            "tracker tui",
            host=options.host,
            port=options.port,
            title="tracker",
            public_url=options.public_url,
        )
        self.ctx = ctx
        self.options = options
        self.db_path = Path(ctx.db_path).resolve()
        self.replay = replay
        self.origins = Origins(options)
        self.sessions = Sessions()
        self.throttle = Throttle()
        self.visitors: dict[VisitorService, web.WebSocketResponse] = {}
        self.calendar = feeds.calendar_source()
        self._db: Store | None = None
        self._managed_at = (False, -MANAGED_RECHECK)
        self._turns: dict[str, asyncio.Lock] = {}
        self._turn_users: Counter[str] = Counter()

    # -- the application -----------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=BODY_LIMIT, middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/login", self.handle_login_form),
                web.post("/login", self.handle_login),
                web.get("/logout", self.handle_logout),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.ico", _no_icon),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        if self.calendar is not None:
            app.add_routes(
                [
                    web.get("/calendar", self.handle_calendar_page),
                    web.get("/calendar/{token}.ics", self.handle_calendar),
                ]
            )
        app.on_response_prepare.append(self._harden)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @property
    def db(self) -> Store:
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db

    def managed(self) -> bool:
        """Whether the database has a roster (looked at again every few seconds while not)."""
        known, at = self._managed_at
        now = asyncio.get_running_loop().time()
        if not known and now - at >= MANAGED_RECHECK:
            self.db.cache.pop("managed", None)
            known = is_managed(self.db)
            self._managed_at = (known, now)
        return known

    def t(self, key: str, **params: object) -> str:
        return i18n.t(key, self.ctx.lang, **params)

    # -- every request -------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            refusal = self._refusal(request)
            if refusal is not None:
                log.warning(self.t("serve.log.refused", client=_client(request), why=refusal))
                return self._message(403, "serve.refused.title", refusal)
            return await handler(request)
        except web.HTTPException:
            raise
        except (asyncio.CancelledError, ConnectionError):
            raise
        except BadInput as e:
            return self._message(400, "serve.refused.title", e.render(self.ctx.lang))
        except Exception as e:  # one line in the log, never a traceback; the visitor sees 500
            log.error(self.t("serve.log.internal", kind=type(e).__name__, message=str(e)))
            return self._message(500, "serve.error.title", self.t("serve.error.text"))

    def _refusal(self, request: web.Request) -> str | None:
        """Why ``request`` is refused (403), or ``None``."""
        host = request.headers.get("Host")
        if not self.origins.host_allowed(host):
            return self.t("serve.refused.host", host=terminal(host or "")[:100])
        if not self.origins.origin_allowed(request.headers.get("Origin"), host):
            return self.t("serve.refused.origin")
        header = self.options.trust_header
        if header is None or self._is_feed(request):
            return None
        raw = request.headers.get(header)
        if raw is None:
            return self.t("serve.refused.no_header", header=header)
        try:
            name = clean_name(raw)
        except BadInput as e:
            return e.render(self.ctx.lang)
        if self.managed() and find_person(self.db, name) is None:
            return self.t("serve.refused.unknown", name=terminal(name))
        request[PERSON] = name
        return None

    def _is_feed(self, request: web.Request) -> bool:
        return self.calendar is not None and request.path.startswith("/calendar/")

    async def _harden(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # not "no-referrer": browsers then send "Origin: null" with the sign-in form
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if not request.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")

    def person(self, request: web.Request) -> str | None:
        """Who ``request`` acts as, or ``None`` when it must sign in first."""
        if self.options.trust_header is not None:
            return request.get(PERSON)
        if not self.managed():
            return self.ctx.user
        session = self.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            return None
        if find_person(self.db, session.name) is None:  # removed from the roster meanwhile
            self.sessions.close(session.token)
            return None
        request[SESSION] = session
        return session.name

    def builtin_signin(self) -> bool:
        return self.options.trust_header is None and self.managed()

    # -- pages ---------------------------------------------------------------------------

    def _html(self, status: int, html: str, *, nonce: str = "") -> web.Response:
        response = web.Response(status=status, text=html, content_type="text/html")
        response.headers["Content-Security-Policy"] = pages.csp(nonce or secrets.token_hex(8))
        return response

    def _message(self, status: int, title_key: str, text: str) -> web.Response:
        return self._html(status, pages.message_page(self.ctx.lang, self.t(title_key), text))

    def _busy(self) -> web.Response:
        limit = self.options.max_sessions
        response = self._html(503, pages.busy_page(self.ctx.lang, limit, RETRY_SECONDS))
        response.headers["Retry-After"] = str(RETRY_SECONDS)
        return response

    def full(self) -> bool:
        return len(self.visitors) >= self.options.max_sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.person(request) is None:
            return _redirect("/login")
        if self.full():
            return self._busy()
        nonce = secrets.token_urlsafe(16)
        scheme = "wss" if (self.public_url or "").startswith("https") else "ws"
        html = pages.app_page(
            self.ctx.lang,
            nonce=nonce,
            title=self.t("serve.app.title"),
            ws_url=f"{scheme}://{request.host}/ws",
            font_size=max(8, min(40, _int(request.query.get("fontsize"), 16))),
        )
        return self._html(200, html, nonce=nonce)

    # -- signing in ----------------------------------------------------------------------

    async def handle_login_form(self, request: web.Request) -> web.StreamResponse:
        if not self.builtin_signin() or self.person(request) is not None:
            return _redirect("/")
        nonce = secrets.token_urlsafe(16)
        return self._html(200, pages.login_page(self.ctx.lang, nonce=nonce), nonce=nonce)

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        if not self.builtin_signin():
            return _redirect("/")
        if (request.content_length or 0) > BODY_LIMIT:
            raise web.HTTPRequestEntityTooLarge(BODY_LIMIT, request.content_length or 0)
        form = await request.post()
        name, password = _field(form.get("name")).strip(), _field(form.get("password"))
        client = _client(request)
        async with self._turn("addr:" + client, "name:" + name):
            wait = self.throttle.delay(name, client)
            if wait:
                await asyncio.sleep(wait)
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(
                None, check_credentials, self.db_path, name, password
            )
            if found is None:
                self.throttle.failed(name, client)
            else:
                self.throttle.succeeded(found)
        if found is None:
            log.warning(self.t("serve.log.signin_failed", name=terminal(name)[:64], client=client))
            error, nonce = self.t("serve.login.wrong"), secrets.token_urlsafe(16)
            page = pages.login_page(self.ctx.lang, nonce=nonce, name=name[:64], error=error)
            return self._html(401, page, nonce=nonce)
        await self._end_session(request.cookies.get(COOKIE))  # never reuse a token
        session = self.sessions.open(found, client)
        log.info(self.t("serve.log.signed_in", name=terminal(found), client=client))
        response = _redirect("/")
        secure = (self.public_url or "").startswith("https://")
        response.set_cookie(
            COOKIE, session.token, httponly=True, samesite="Strict", secure=secure, path="/"
        )
        return response

    @contextlib.asynccontextmanager
    async def _turn(self, *keys: str) -> AsyncIterator[None]:
        """Attempts for one name, and from one address, one at a time (a flood queues)."""
        held: list[asyncio.Lock] = []
        for key in keys:
            self._turn_users[key] += 1
        try:
            for key in keys:
                lock = self._turns.setdefault(key, asyncio.Lock())
                await lock.acquire()
                held.append(lock)
            yield
        finally:
            for lock in reversed(held):
                lock.release()
            for key in keys:
                self._turn_users[key] -= 1
                if self._turn_users[key] <= 0:
                    del self._turn_users[key]
                    self._turns.pop(key, None)

    async def handle_logout(self, request: web.Request) -> web.StreamResponse:
        await self._end_session(request.cookies.get(COOKIE))
        response = _redirect("/login" if self.builtin_signin() else "/")
        response.del_cookie(COOKIE, path="/")
        return response

    async def _end_session(self, token: str | None) -> None:
        session = self.sessions.close(token)
        if session is None:
            return
        for service in list(session.apps):
            ws = self.visitors.get(service) if isinstance(service, VisitorService) else None
            if ws is not None:
                await ws.close(code=WSCloseCode.GOING_AWAY)

    # -- the app ---------------------------------------------------------------------------

    def visitor_argv(self) -> list[str]:
        """The visitor's app: fixed words only (who it is goes in the environment)."""
        argv = [sys.executable, "-m", "tracker", "--db", str(self.db_path)]
        argv += ["--lang", self.ctx.lang]
        if self.replay is not None:  # a replayed day stays replayed; else each visit is today
            argv += ["--today", self.replay.isoformat()]
        return [*argv, "tui"]

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        name = self.person(request)
        if name is None:
            raise web.HTTPForbidden(text=self.t("serve.refused.no_session"))
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=WS_MESSAGE_LIMIT)
        await ws.prepare(request)
        if self.full():
            limit = self.options.max_sessions
            await ws.send_bytes(_screen(self.t("serve.busy.terminal", limit=limit)))
            await ws.close()
            return ws
        session = request.get(SESSION)
        service = self._service(ws, name)
        self.visitors[service] = ws
        if session is not None:
            session.apps.add(service)
        try:
            width = max(20, min(1000, _int(request.query.get("width"), 80)))
            height = max(5, min(500, _int(request.query.get("height"), 24)))
            await service.start(width, height)
            await self._relay_browser(ws, service)
        finally:
            # aiohttp may cancel this handler once the socket is gone: the stopping runs on
            # as a task of its own, and forgets the visitor when the app has ended.
            def forget(_: object) -> None:
                self.visitors.pop(service, None)
                if session is not None:
                    session.apps.discard(service)

            stopping = service.stop_soon()
            stopping.add_done_callback(forget)
            await asyncio.shield(stopping)
        return ws

    def _service(self, ws: web.WebSocketResponse, name: str) -> VisitorService:
        env = {"TRACKER_USER": name, "TRACKER_LANG": self.ctx.lang}

        async def close() -> None:
            await ws.close()

        return VisitorService(
            self.visitor_argv(),
            env,
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=close,
            download_manager=self.download_manager,
            label=terminal(name),
            lang=self.ctx.lang,
        )

    async def _relay_browser(self, ws: web.WebSocketResponse, service: VisitorService) -> None:
        """The browser's messages to the app; anything malformed is ignored."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str) and data:  # an empty packet desyncs
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = max(20, min(1000, _int(data.get("width"), 80)))
                height = max(5, min(500, _int(data.get("height"), 24)))
                await service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str):
                await ws.send_json(["pong", data[:64]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if self.person(request) is None:
            raise web.HTTPForbidden(text=self.t("serve.refused.no_session"))
        response: web.StreamResponse = await super().handle_download(request)
        return response

    async def on_shutdown(self, app: web.Application) -> None:
        """Every visitor's app ends with the server: sockets closed, processes stopped."""
        for ws in list(self.visitors.values()):
            with contextlib.suppress(Exception):
                await ws.close(code=WSCloseCode.GOING_AWAY)
        await asyncio.gather(*(s.stop() for s in list(self.visitors)), return_exceptions=True)
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- calendar feeds (only when tracker.notify is installed) ----------------------------

    async def handle_calendar_page(self, request: web.Request) -> web.StreamResponse:
        name = self.person(request)
        if name is None:
            return _redirect("/login")
        if not self.managed():
            raise web.HTTPNotFound()
        token = feeds.token_for(feeds.feed_key(self.db_path), name)
        base = self.public_url if self.options.public_url else f"http://{request.host}"
        url = f"{base.rstrip('/')}/calendar/{token}.ics"
        return self._html(200, pages.calendar_page(self.ctx.lang, url))

    async def handle_calendar(self, request: web.Request) -> web.StreamResponse:
        source = self.calendar
        if source is None or not self.managed():
            raise web.HTTPNotFound()
        names = [p.name for p in list_people(self.db)]
        token = request.match_info["token"]
        name = feeds.person_of(feeds.feed_key(self.db_path), token, names)
        if name is None:
            raise web.HTTPNotFound()
        today = self.replay or date.today()
        loop = asyncio.get_running_loop()
        args = (source, self.db_path, name, today, self.ctx.lang)
        try:
            body = await loop.run_in_executor(None, _calendar, *args)
        except BadInput as e:  # not (or no longer) in the roster
            raise web.HTTPNotFound() from e
        return web.Response(body=body, content_type="text/calendar", charset="utf-8")


def _calendar(source: feeds.CalendarSource, path: Path, name: str, today: date, lang: str) -> bytes:
    db = open_db(path)
    try:
        return source(db, name, today, lang=lang)
    finally:
        db.close()


async def _no_icon(request: web.Request) -> web.Response:
    return web.Response(status=204)


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _client(request: web.Request) -> str:
    """The client's address: the peer's, or the one a proxy on this machine forwarded."""
    peer = request.remote or "?"
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and is_loopback_name(peer):
        return forwarded.rsplit(",", 1)[-1].strip()[:64] or peer
    return peer


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


def _screen(text: str) -> bytes:
    """``text`` drawn on a cleared terminal."""
    lines = text.split("\n")
    return ("\x1b[2J\x1b[H\r\n  " + "\r\n  ".join(lines) + "\r\n").encode("utf-8")
