"""Search as you type: every instance's title, plan notes and people, held in memory.

A search that few of 500k instances match makes SQLite test ``LIKE`` on every row (~0.2 s per
keystroke). Here ``bytes.find`` runs over the titles and notes (UTF-8, lower-cased the way
``LIKE`` folds case: ASCII only, SQLite's ``lower``) in ~15 ms. UTF-8 matches only at
character boundaries, and takes less memory than a str of CJK text (26 MB against 35 at 500k).
The ids found only narrow the SQL filter (``TaskFilter.search_ids``), which still applies
``LIKE`` itself, so the result is exactly ``tracker list --search``'s. A dense match (more than
``MAX_IDS`` rows) is left to SQL, which fills a page from the first rows it scans.

Titles and notes change only when a plan is loaded: an index is used only while the plans'
load times, source digests and the highest task id are those it was built from.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from tracker.store.db import Store
from tracker.store.filters import search_words

FIELD = b"\x1f"  # unit separator: between an id, its title, notes, leader and responsible
ROW = b"\x1e"  # record separator: between instances
MAX_IDS = 5_000
CHUNK = 50_000
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True, slots=True)
class TextIndex:
    """``ROW id FIELD title FIELD notes ROW id …``, and what it was built from."""

    key: str
    text: bytes | bytearray

    def is_current(self, db: Store) -> bool:
        """Whether ``db`` still holds the titles and notes this index was built from."""
        return self.key == index_key(db)

    def ids_matching(self, needle: str) -> tuple[int, ...] | None:
        """Ids of the instances whose text may contain every word of ``needle``, in id order.

        A superset of the search's matches by their own text (the caller filters with
        ``LIKE`` too, and adds the tasks whose notes match); ``None`` when the match is dense
        or cannot be looked up here. Several words: the ids that every word's lookup allows.
        """
        found: set[int] | None = None
        for word in search_words(needle):
            ids = self._ids_of(word)
            if ids is not None:
                found = set(ids) if found is None else found & set(ids)
        return None if found is None else tuple(sorted(found))

    def _ids_of(self, needle: str) -> tuple[int, ...] | None:
        """``ids_matching`` for one word."""
        try:
            pattern = needle.translate(_LOWER).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: nothing to look up here
            return None
        if not pattern or FIELD in pattern or ROW in pattern:
            return None
        text, found = self.text, []
        pos = text.find(pattern)
        while pos != -1:
            start = text.rfind(ROW, 0, pos) + 1
            id_end = text.find(FIELD, start)
            if pos > id_end:  # in the title or the notes, not in the id
                found.append(int(text[start:id_end]))
                if len(found) > MAX_IDS:
                    return None
                pos = text.find(pattern, text.find(ROW, pos))  # one hit per instance
            else:
                pos = text.find(pattern, id_end)
        return tuple(found)


def index_key(db: Store) -> str:
    """What titles and notes depend on: each plan's load time (to the second) and source
    digest (``tracker.plan.digest``), and the highest task id. Changes with every load that
    can change a title."""
    row = db.conn.execute(
        "SELECT (SELECT group_concat(id || '@' || loaded_at || '#' || coalesce(source_digest, ''),"
        " ',') FROM plans), (SELECT max(id) FROM tasks)"
    ).fetchone()
    return f"{row[0]}|{row[1]}"


def build_index(db: Store) -> TextIndex:
    """Read every instance's id, title and notes (in one read transaction) into an index.

    In chunks of ``CHUNK`` rows appended in place: the whole text never exists twice, so
    building it at 500k takes ~30 MB of memory instead of ~80 MB.
    """
    conn = db.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        key = index_key(db)
        text, last = bytearray(ROW), 0
        while True:
            chunk, last = conn.execute(
                "SELECT CAST(group_concat(id || char(31) || lower(title) || char(31)"
                " || coalesce(lower(notes), '') || char(31) || coalesce(lower(leader), '')"
                " || char(31) || coalesce(lower(responsible), ''), char(30)) AS BLOB), max(id)"
                " FROM (SELECT id, title, notes, leader, responsible FROM tasks"
                " WHERE id > ? ORDER BY id LIMIT ?)",
                (last, CHUNK),
            ).fetchone()
            if chunk is None:
                break
            text += chunk
            text += ROW
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")
    return TextIndex(key, text)
