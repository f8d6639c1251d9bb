"""The task filters of ``list`` (cli.md), shared by ``list`` and ``export``: one definition of
each option and one place that turns them into a ``TaskFilter``.

A plain helper module: it registers no command. The store is imported inside the function, so
importing this module costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from tracker.store.query import TaskFilter

PLAN = typer.Option(None, "--plan", help="Only this plan id.")
CAMPAIGN = typer.Option(None, "--campaign", help="Only this campaign key.")
OWNER = typer.Option(None, "--owner", help="This unit and the units below it.")
STATUS = typer.Option(None, "--status", help="Status (repeatable).")
DUE = typer.Option(None, "--due", help="today | week | overdue | DATE.")
SEARCH = typer.Option(
    None, "--search", help="Words in title, notes, leader or responsible (every word must match)."
)
ALL = typer.Option(False, "--all", help="Include withdrawn tasks.")
PROBLEM = typer.Option(None, "--problem", help="Only the measures of this problem (整改问题) key.")
LEADER = typer.Option(None, "--leader", help="Only tasks with this leader (责任领导).")
RESPONSIBLE = typer.Option(None, "--responsible", help="Only tasks with this responsible person.")
TAG = typer.Option(None, "--tag", help="Only tasks with this tag (repeatable: all must match).")
KIND = typer.Option(None, "--kind", help="Only tasks whose owner is of this peer group (kind).")
SUPPORT = typer.Option(
    False, "--support", help="With --owner: also the tasks the unit supports (配合单位)."
)


def task_filter(
    *,
    plan: str | None,
    campaign: str | None,
    owner: str | None,
    status: list[str] | None,
    due: str | None,
    search: str | None,
    all_: bool,
    problem: str | None = None,
    leader: str | None = None,
    responsible: str | None = None,
    tag: list[str] | None = None,
    kind: str | None = None,
    support: bool = False,
) -> TaskFilter:
    """The options as a store filter; a bad ``--status`` or ``--due`` is ``BadInput`` (exit 2).
    Keys that name something in the database are checked against it by ``checked``."""
    from tracker.store.query import TaskFilter, check_statuses, parse_due

    if support and not owner:
        from tracker.errors import BadInput

        raise BadInput("store.support_needs_owner")
    return TaskFilter(
        plan=plan,
        campaign=campaign,
        owner=owner,
        statuses=check_statuses(status or ()),
        due=parse_due(due),
        search=search,
        include_withdrawn=all_,
        problem=problem,
        leader=leader,
        responsible=responsible,
        tags=tuple(tag or ()),
        kind=kind,
        support=support,
    )


def checked(db: Any, flt: TaskFilter) -> TaskFilter:
    """``flt`` once its ``--plan``, ``--campaign``, ``--owner`` and ``--problem`` are known to
    the database (else ``BadInput``, exit 2, with the nearest known key suggested)."""
    from tracker.store.filters import check_keys

    check_keys(db, flt)
    return flt
