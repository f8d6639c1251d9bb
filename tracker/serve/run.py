"""Starting and stopping ``tracker serve``: bind first, then announce; a one-line log.

textual-serve's ``Server.serve`` prints "Serving … on …" before it binds, so a busy port
showed that line and then an internal error. Here the socket is bound first; a port that is
taken (or any address that cannot be listened on) is ``BadInput``: one line, exit 2. SIGINT
and SIGTERM stop the server gracefully: every visitor's app is ended before it returns.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from aiohttp import web

from tracker.context import Context
from tracker.errors import BadInput
from tracker.serve import rules
from tracker.serve.rules import ServeOptions
from tracker.serve.server import TrackerServer
from tracker.store.db import open_db
from tracker.store.people import is_managed

ACCESS_FORMAT = '%a "%r" %s %b %Tfs "%{User-Agent}i"'
LOGGERS = (
    "tracker.serve", "aiohttp.access", "aiohttp.server", "aiohttp.web", "aiohttp.websocket",
    "textual-serve", "asyncio",
)  # fmt: skip


class OneLine(logging.Formatter):
    """Every record on one line; an exception as its type and message, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message} ({type(error).__name__}: {error})"
        stamp = self.formatTime(record, "%Y-%m-%d %H:%M:%S")
        text = f"{stamp} {record.levelname.lower()} {message}"
        return text.replace("\r", " ").replace("\n", " ⏎ ")


def setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger().handlers[:] = [handler]  # anything else: one line too


def serve(
    ctx: Context,
    options: ServeOptions,
    *,
    replay: date | None,
    announce: Callable[[str], None],
) -> None:
    """Serve until SIGINT or SIGTERM; ``announce(url)`` once the port is ours. ``BadInput``
    (exit 2) when the rules forbid serving this database there, or the port is taken."""
    db = open_db(Path(ctx.db_path))
    try:
        managed = is_managed(db)
    finally:
        db.close()
    rules.check(options, managed=managed)
    setup_logging()
    server = TrackerServer(ctx, options, replay=replay)
    asyncio.run(_serve(server, announce))


async def _serve(server: TrackerServer, announce: Callable[[str], None]) -> None:
    app = await server._make_app()
    runner = web.AppRunner(
        app, handle_signals=False, shutdown_timeout=10, access_log_format=ACCESS_FORMAT
    )
    await runner.setup()
    options = server.options
    try:
        site = web.TCPSite(runner, options.host, options.port)
        await site.start()
    except (OSError, socket.gaierror) as e:
        await runner.cleanup()
        reason = os.strerror(e.errno) if e.errno else str(e)
        where = {"host": options.host, "port": options.port}
        raise BadInput("serve.cannot_listen", **where, reason=reason) from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        announce(_url(server, runner))
        await stop.wait()
    finally:
        await runner.cleanup()


def _url(server: TrackerServer, runner: web.AppRunner) -> str:
    """Where browsers reach the server: ``--public-url``, else the address really bound."""
    if server.options.public_url:
        return server.options.public_url
    port = server.options.port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            port = int(address[1])
            break
    host = server.options.host
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"
