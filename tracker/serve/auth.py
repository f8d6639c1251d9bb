"""Sessions and the slowing down of wrong passwords, in the server's memory.

A session is a random token in an HttpOnly, SameSite=Strict cookie, mapped here to the person
who signed in; sessions end at ``/logout``, after ``IDLE_SECONDS`` without a request, or when
the server stops (signing in again is the remedy, nothing is lost).

Wrong passwords: after ``FREE_FAILURES`` recent failures for a name *or* from a client
address, every further attempt for that name or from that address waits first, doubling from
``BASE_DELAY`` up to ``MAX_DELAY`` seconds, right or wrong (a right one answered at once would
tell the guesser when to stop). The server also makes attempts for one name and from one
address wait their turn, so a flood sent all at once is slowed down as much as one sent in
sequence. Failures are forgotten ``WINDOW_SECONDS`` after the last one, and a right password
clears its name's count.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

IDLE_SECONDS = 12 * 3600
MAX_SESSIONS_KEPT = 10_000
FREE_FAILURES = 3
BASE_DELAY = 0.2
MAX_DELAY = 2.0
WINDOW_SECONDS = 15 * 60
MAX_TRACKED = 10_000


@dataclass(slots=True)
class Session:
    """One signed-in browser."""

    token: str
    name: str
    client: str
    last_seen: float
    apps: set[object] = field(default_factory=set)  # the visitor apps it runs


class Sessions:
    """Token → session, oldest dropped first beyond ``MAX_SESSIONS_KEPT``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._by_token: OrderedDict[str, Session] = OrderedDict()
        self._clock = clock

    def open(self, name: str, client: str) -> Session:
        session = Session(secrets.token_urlsafe(32), name, client, self._clock())
        self._by_token[session.token] = session
        while len(self._by_token) > MAX_SESSIONS_KEPT:
            self._by_token.popitem(last=False)
        return session

    def get(self, token: str | None) -> Session | None:
        """The live session of ``token`` (touched), or ``None``."""
        if not token:
            return None
        session = self._by_token.get(token)
        if session is None:
            return None
        now = self._clock()
        if now - session.last_seen > IDLE_SECONDS and not session.apps:
            del self._by_token[token]
            return None
        session.last_seen = now
        self._by_token.move_to_end(token)
        return session

    def close(self, token: str | None) -> Session | None:
        """End the session of ``token``; the ended session, if there was one."""
        return self._by_token.pop(token, None) if token else None

    def __len__(self) -> int:
        return len(self._by_token)


@dataclass(slots=True)
class _Failures:
    count: int
    last: float


class Throttle:
    """Recent sign-in failures per name and per client address."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._seen: OrderedDict[str, _Failures] = OrderedDict()
        self._clock = clock

    def _count(self, key: str) -> int:
        found = self._seen.get(key)
        if found is None:
            return 0
        if self._clock() - found.last > WINDOW_SECONDS:
            del self._seen[key]
            return 0
        return found.count

    def delay(self, name: str, client: str) -> float:
        """Seconds an attempt for ``name`` from ``client`` waits before it is checked."""
        over = max(self._count("name:" + name), self._count("addr:" + client)) - FREE_FAILURES
        if over < 0:
            return 0.0
        return min(MAX_DELAY, BASE_DELAY * 2.0 ** min(over, 16))

    def failed(self, name: str, client: str) -> None:
        now = self._clock()
        for key in ("name:" + name, "addr:" + client):
            found = self._seen.get(key)
            if found is None or now - found.last > WINDOW_SECONDS:
                self._seen[key] = _Failures(1, now)
            else:
                found.count, found.last = found.count + 1, now
            self._seen.move_to_end(key)
        while len(self._seen) > MAX_TRACKED:
            self._seen.popitem(last=False)

    def succeeded(self, name: str) -> None:
        self._seen.pop("name:" + name, None)
