"""The orders a task list can be read in: soonest due first (``list``'s), or grouped by the
owner unit, the status or the priority (the TUI's sort key), each then by due date and id.

Every order ends in ``t.due, t.id``, so it is total and stable: a page boundary never splits
equal keys differently between two reads, and ``before`` can count a task's position.
"""

from __future__ import annotations

from tracker.domain import OPEN, STATUSES
from tracker.domain.task import PRIORITIES


def _rank(column: str, values: tuple[str, ...]) -> str:
    """A CASE giving each of ``values`` its position (unknown values last)."""
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
    return f"(CASE {column} {whens} ELSE {len(values)} END)"


#: The sort keys before ``t.due, t.id``. "unit" reads the owner's name in a subquery, so a
#: COUNT (``before``) needs no join.
ORDERS: dict[str, tuple[str, ...]] = {
    "due": (),
    "unit": (
        "COALESCE((SELECT u2.name FROM units u2 WHERE u2.plan = t.plan AND u2.key = t.owner),"
        " t.owner)",
    ),
    # open first (what needs doing), then closed, in the vocabulary's order
    "status": (
        _rank("t.status", tuple(str(s) for s in sorted(STATUSES, key=lambda s: s not in OPEN))),
    ),
    "priority": (_rank("t.priority", PRIORITIES),),
}


def check_order(order: str) -> str:
    """``order`` if it is one of ``ORDERS`` (a programming error otherwise)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    return order


def keys(order: str) -> tuple[str, ...]:
    """The ORDER BY expressions of ``order``, most significant first."""
    return (*ORDERS[check_order(order)], "t.due", "t.id")


def order_by(order: str, *, reverse: bool = False) -> str:
    """`` ORDER BY …`` for ``order`` (every key descending when ``reverse``)."""
    direction = " DESC" if reverse else ""
    return " ORDER BY " + ", ".join(k + direction for k in keys(order))


def before(order: str) -> str:
    """A condition true for the rows sorted before one whose keys are the ``?`` parameters
    (one per key, in ``keys`` order, each given twice but the last)."""
    parts = keys(order)
    clause = f"{parts[-1]} < ?"
    for key in reversed(parts[:-1]):
        clause = f"({key} < ? OR ({key} = ? AND {clause}))"
    return clause
