"""The password check behind ``POST /login``, run on a worker thread (scrypt takes ~50 ms).

An unknown name, a name without a password and a wrong password take the same time and give
the same answer, so the form tells a guesser nothing about who is in the roster.
"""

from __future__ import annotations

import functools
from pathlib import Path

from tracker.domain.passwords import hash_password, verify_password
from tracker.store.db import open_db
from tracker.store.people import check_password, find_person

MAX_NAME = 64
MAX_PASSWORD = 1024


@functools.cache
def _decoy() -> str:
    """A hash to check unknown names against, so that they cost what known ones do."""
    return hash_password("tracker: no such person")


def check_credentials(db_path: Path, name: str, password: str) -> str | None:
    """The roster name ``name`` signs in as with ``password``, or ``None``."""
    if not name or len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
        verify_password(password[:MAX_PASSWORD], _decoy())
        return None
    db = open_db(db_path)
    try:
        if find_person(db, name) is None:
            verify_password(password, _decoy())
            return None
        person = check_password(db, name, password)
        return person.name if person is not None else None
    finally:
        db.close()
