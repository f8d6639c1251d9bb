"""The list's other orders (the TUI's sort key) and the "today and overdue" filter."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tracker.context import Context
from tracker.domain import OPEN
from tracker.store import actions
from tracker.store.order import ORDERS
from tracker.store.query import TaskFilter, count_tasks, query_tasks, task_index

TODAY = date(2020, 4, 20)
RANK = {"high": 0, "normal": 1, "low": 2}


def key(order: str, t: Any) -> tuple[Any, ...]:
    """What each order sorts by, computed in Python from the rows."""
    open_first = 0 if t.status in OPEN else 1
    first = {
        "due": (),
        "unit": (t.owner_name or t.owner,),
        "status": (open_first,),
        "priority": (RANK[t.priority],),
    }[order]
    return (*first, t.due, t.id)


@pytest.mark.parametrize("order", list(ORDERS))
def test_each_order_sorts_reverses_and_indexes(loaded: Any, ctx: Context, order: str) -> None:
    actions.done(loaded, ctx, ["6"])
    actions.block(loaded, ctx, ["2"], "资金")
    flt = TaskFilter()
    rows = query_tasks(loaded, flt, TODAY, order=order)
    if order == "status":  # within open and within closed, the vocabulary's order: by rank
        assert [t.status in OPEN for t in rows] == sorted(
            (t.status in OPEN for t in rows), reverse=True
        )
    else:
        assert rows == sorted(rows, key=lambda t: key(order, t))
    back = query_tasks(loaded, flt, TODAY, order=order, reverse=True)
    assert [t.id for t in back] == [t.id for t in reversed(rows)]
    page = query_tasks(loaded, flt, TODAY, order=order, limit=3, offset=2)
    assert [t.id for t in page] == [t.id for t in rows[2:5]]
    for i, t in enumerate(rows):
        assert task_index(loaded, flt, TODAY, t.id, order) == i


def test_an_unknown_order_is_a_programming_error(loaded: Any) -> None:
    with pytest.raises(ValueError):
        query_tasks(loaded, TaskFilter(), TODAY, order="colour")


def test_now_is_due_today_or_overdue(loaded: Any, ctx: Context) -> None:
    every = query_tasks(loaded, TaskFilter(), TODAY)
    day = date.fromisoformat(every[3].due)  # a day with earlier deadlines before it
    late = {t.id for t in every if t.status in OPEN and date.fromisoformat(t.due) < day}
    today = {t.id for t in every if t.due == day.isoformat()}
    assert late and today
    now = {t.id for t in query_tasks(loaded, TaskFilter(due="now"), day)}
    assert now == late | today
    assert count_tasks(loaded, TaskFilter(due="now"), day) == len(now)
    actions.done(loaded, ctx, [str(min(late))])  # done: no longer overdue, so not "now"
    assert min(late) not in {t.id for t in query_tasks(loaded, TaskFilter(due="now"), day)}
