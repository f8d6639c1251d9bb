"""The units' peer groups (``kind``) and ranking flags, for the report's rankings by group."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.store.db import Store


@dataclass(frozen=True, slots=True)
class Peer:
    """A unit's peer group (resolved at load: its own, its parent's, else ``""``) and whether
    it takes part in rankings (``rank = false`` for the leadership and outside helpers)."""

    key: str
    kind: str
    ranked: bool


def peers(db: Store, plan: str) -> dict[str, Peer]:
    """Per unit key of ``plan``, its peer group and ranking flag, in plan order."""
    rows = db.conn.execute(
        "SELECT key, kind, rank FROM units WHERE plan = ? ORDER BY position, key", (plan,)
    ).fetchall()
    return {k: Peer(k, str(kind or ""), bool(rank)) for k, kind, rank in rows}
