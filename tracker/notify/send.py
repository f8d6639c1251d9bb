"""Sending a run's messages: paced below the robots' limit, each recorded once it is sent.

A robot takes 20 messages a minute and drops (errcode 45009 / 130101) what comes faster, so
``Pacer`` keeps every window of ``window`` seconds under ``per_window`` posts. Every message
sent is written to the sent-log at once (``store.reminders.record_sent``): a run repeated after
a failure, a crash or a Ctrl-C sends only what had not gone out, never a message twice.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tracker.notify.robots import Message, SendFailed, body
from tracker.store import reminders
from tracker.store.db import Store

#: Posts allowed in any ``WINDOW`` seconds: below the robots' 20 a minute, with a margin for
#: the difference between our clock and theirs.
PER_WINDOW = 19
WINDOW = 61.0

SENT, SKIPPED, FAILED, DRY_RUN = "sent", "already_sent", "failed", "dry_run"


class Pacer:
    """Waits before a post when ``per_window`` posts were made in the last ``window`` seconds.
    ``clock`` and ``sleep`` are injectable (tests pass a fake clock)."""

    def __init__(
        self,
        per_window: int = PER_WINDOW,
        window: float = WINDOW,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_window = per_window
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self._stamps: deque[float] = deque()

    def wait(self) -> None:
        """Block until one more post keeps every window under the limit, then count it."""
        now = self.clock()
        while self._stamps and now - self._stamps[0] >= self.window:
            self._stamps.popleft()
        if len(self._stamps) >= self.per_window:
            self.sleep(self._stamps[0] + self.window - now)
            now = max(self.clock(), self._stamps[0] + self.window)
            self._stamps.popleft()
        self._stamps.append(now)


class Poster(Protocol):
    channel: str

    def post(self, data: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message: sent, already sent (skipped), failed or a dry run."""

    message: Message
    state: str
    data: bytes
    error: SendFailed | None = None


def digest(data: bytes) -> str:
    """The sent-log's name for a message body."""
    return hashlib.sha256(data).hexdigest()


def deliver(
    db: Store,
    robot: Poster | None,
    channel: str,
    messages: Iterable[Message],
    day: date,
    *,
    dry_run: bool,
    pacer: Pacer,
    now: Callable[[], str],
) -> list[Outcome]:
    """Post each message not yet sent for ``day``, in order; a failure does not stop the
    others. ``robot`` may be ``None`` only for a dry run."""
    out: list[Outcome] = []
    for m in messages:
        data = body(channel, m)
        name = digest(data)
        if reminders.was_sent(db, day, channel, m.key, name):
            out.append(Outcome(m, SKIPPED, data))
            continue
        if dry_run or robot is None:
            out.append(Outcome(m, DRY_RUN, data))
            continue
        pacer.wait()
        try:
            robot.post(data)
        except SendFailed as e:
            out.append(Outcome(m, FAILED, data, e))
            continue
        reminders.record_sent(db, day, channel, m.key, name, now())
        out.append(Outcome(m, SENT, data))
    return out
