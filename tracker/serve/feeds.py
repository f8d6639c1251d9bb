"""Each signed-in person's calendar feed, at a secret address, when ``tracker.notify`` is there.

The calendar itself is ``tracker.notify.calendar_for_person(db, name, today, *, lang)``
(iCalendar bytes of that person's deadlines). This module only finds it
(``calendar_source``: ``None`` while that package is not installed with tracker, and then
the server has no calendar routes) and gives each person an address nobody can guess:

``/calendar/<token>.ics``, where the token is an HMAC of the person's name under a key kept
beside the database (``<db>.feed-key``, private like the database, made on first use).
Calendar apps fetch it without a cookie, so the token is the credential; deleting the key
file changes every address at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import secrets
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Protocol, cast

from tracker.fileio import read_limited, write_atomic
from tracker.store.db import Store


class CalendarSource(Protocol):
    """``tracker.notify.calendar_for_person``'s signature."""

    def __call__(self, db: Store, name: str, today: date, *, lang: str = ...) -> bytes: ...


KEY_BYTES = 32


def calendar_source() -> CalendarSource | None:
    """``tracker.notify.calendar_for_person``, if that package is installed."""
    try:
        module = importlib.import_module("tracker.notify")
    except ImportError:
        return None
    found = getattr(module, "calendar_for_person", None)
    return cast(CalendarSource, found) if callable(found) else None


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".feed-key")


def feed_key(db_path: Path) -> bytes:
    """The key of every feed address of this database (made on first use, kept private)."""
    path = key_path(db_path)
    if path.exists():
        key = read_limited(path, 1024).strip()
        if len(key) >= 32:
            return key
    key = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES))
    write_atomic(path, key, private=True)
    return key


def token_for(key: bytes, name: str) -> str:
    """The secret part of ``name``'s feed address."""
    digest = hmac.new(key, name.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def person_of(key: bytes, token: str, names: Iterable[str]) -> str | None:
    """Whose address ``token`` is, among ``names`` (compared in constant time)."""
    found = None
    for name in names:
        if hmac.compare_digest(token_for(key, name), token):
            found = name
    return found
