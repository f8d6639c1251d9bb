"""The task filters of ``list`` (cli.md), shared by ``list`` and ``export``: one definition of
each option and one place that turns them into a ``TaskFilter``.

A plain helper module: it registers no command. The store is imported inside the function, so
importing this module costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from tracker.store.query import TaskFilter

PLAN = typer.Option(None, "--plan", help="Only this plan id.")
CAMPAIGN = typer.Option(None, "--campaign", help="Only this campaign key.")
OWNER = typer.Option(None, "--owner", help="This unit and the units below it.")
STATUS = typer.Option(None, "--status", help="Status (repeatable).")
DUE = typer.Option(None, "--due", help="today | week | overdue | DATE.")
SEARCH = typer.Option(None, "--search", help="Text in title or notes.")
ALL = typer.Option(False, "--all", help="Include withdrawn tasks.")


def task_filter(
    *,
    plan: str | None,
    campaign: str | None,
    owner: str | None,
    status: list[str] | None,
    due: str | None,
    search: str | None,
    all_: bool,
) -> TaskFilter:
    """The options as a store filter; a bad ``--status`` or ``--due`` is ``BadInput`` (exit 2)."""
    from tracker.store.query import TaskFilter, check_statuses, parse_due

    return TaskFilter(
        plan=plan,
        campaign=campaign,
        owner=owner,
        statuses=check_statuses(status or ()),
        due=parse_due(due),
        search=search,
        include_withdrawn=all_,
    )
