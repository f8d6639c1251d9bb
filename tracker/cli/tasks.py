"""Commands: list, show, the status changes, progress, postpone, note, history and undo.

Only parsing and printing here; the rules live in ``tracker.store``. Nothing heavy is imported
at module level, so ``tracker list`` and ``tracker done`` start fast.
"""

from __future__ import annotations

import shutil
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from tracker import i18n
from tracker.cli import app, filters, get_context, open_store
from tracker.context import Context

if TYPE_CHECKING:
    from tracker.domain import Event, Note, Task
    from tracker.store.actions import Changed
    from tracker.store.db import Store
    from tracker.store.filters import TaskFilter

TASKS = typer.Argument(..., help="Task ids or uids.", show_default=False)
TASK = typer.Argument(..., help="A task id or uid.", show_default=False)
NOTE = typer.Option(None, "--note", help="A note recorded with the change.")


def _db(c: Context) -> Any:
    return open_store(c)


def _dump(value: Any) -> None:
    from tracker.jsontext import dumps

    typer.echo(dumps(value))


def _num(value: float | None) -> str:
    from tracker.present import number_text

    return number_text(value)


def _progress(row: Task) -> str:
    from tracker.present import progress_text

    return progress_text(row.progress, row.target, row.unit)


def _ref(row: Task) -> str:
    return f"#{row.id} {row.title}"


def _echo(line: str) -> None:
    """Print one line of output: untrusted text in it (titles, names, notes, reasons, users)
    has its control characters made visible (``present.safe.terminal``), so no ESC sequence
    reaches the terminal and no newline forges a line."""
    from tracker.present.safe import terminal

    typer.echo(terminal(line))


# ---------------------------------------------------------------------------------------- list


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    plan: str | None = filters.PLAN,
    campaign: str | None = filters.CAMPAIGN,
    owner: str | None = filters.OWNER,
    status: list[str] | None = filters.STATUS,
    due: str | None = filters.DUE,
    search: str | None = filters.SEARCH,
    all_: bool = filters.ALL,
    problem: str | None = filters.PROBLEM,
    leader: str | None = filters.LEADER,
    responsible: str | None = filters.RESPONSIBLE,
    tag: list[str] | None = filters.TAG,
    kind: str | None = filters.KIND,
    support: bool = filters.SUPPORT,
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="A JSON array."),
) -> None:
    """List task instances, soonest due first."""
    from tracker.store.query import query_tasks, task_json

    c = get_context(ctx)
    flt = filters.task_filter(
        plan=plan, campaign=campaign, owner=owner, status=status, due=due, search=search,
        all_=all_, problem=problem, leader=leader, responsible=responsible, tag=tag, kind=kind,
        support=support,
    )  # fmt: skip
    db = _db(c)
    rows = query_tasks(db, filters.checked(db, flt), c.today, limit=limit)
    if as_json:
        _dump([task_json(r, c.today) for r in rows])
        return
    typer.echo("\n".join(_table(rows, c)) if rows else c.t("store.list.empty"))
    if owner and not support:
        _support_hint(db, flt, c)


def _support_hint(db: Store, flt: TaskFilter, c: Context) -> None:
    """An ``--owner`` list leaves out the tasks the unit only supports: say how many."""
    from dataclasses import replace

    from tracker.store.query import count_tasks

    more = count_tasks(db, replace(flt, support=True), c.today) - count_tasks(db, flt, c.today)
    if more > 0:
        typer.echo(c.t("store.list.support_hint", n=more))


def _table(rows: list[Task], c: Context) -> list[str]:
    from tracker.domain import OPEN
    from tracker.present import fit_table, relative_due
    from tracker.present.safe import terminal
    from tracker.store.query import is_overdue

    headers = [
        "",
        c.t("store.col.id"),
        c.t("store.col.due"),
        c.t("store.col.when"),
        c.t("store.col.status"),
        c.t("store.col.progress"),
        c.t("store.col.owner"),
        c.t("store.col.title"),
    ]
    body: list[list[str]] = []
    overdue = 0
    for r in rows:
        late = is_overdue(r, c.today)
        overdue += late
        open_task = r.status in OPEN
        due = date.fromisoformat(r.due)
        body.append(
            [
                "!" if late else "",
                str(r.id),
                r.due,
                relative_due(due, c.today, c.lang, open_task=open_task)
                if open_task or due >= c.today
                else "",
                i18n.status_label(r.status, c.lang),
                _progress(r),
                r.owner_name or r.owner,
                r.title,
            ]
        )
    body = [[terminal(cell) for cell in row] for row in body]
    width = shutil.get_terminal_size((100, 24)).columns
    lines = fit_table(headers, body, width, flexible=7, right=(1,), optional=(3, 6, 5))
    key = "store.list.total_one" if len(rows) == 1 else "store.list.total"
    lines.append(c.t(key, n=len(rows), overdue=overdue))
    return lines


# ---------------------------------------------------------------------------------------- show


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    task: str = TASK,
    as_json: bool = typer.Option(False, "--json", help="A JSON object."),
) -> None:
    """One instance with its notes and history."""
    from tracker.store.actions import history
    from tracker.store.query import get_task, task_json, task_notes

    c = get_context(ctx)
    db = _db(c)
    row = get_task(db, task)
    notes = task_notes(db, row.id)
    events = history(db, str(row.id))
    if as_json:
        obj = task_json(row, c.today)
        obj["notes"] = [
            {"at": n.at, "user": n.user, "action": n.action, "text": n.text} for n in notes
        ]
        obj["history"] = [_event_json(e) for e in events]
        _dump(obj)
        return
    from tracker.store.browse import problem_title

    title = problem_title(db, row.plan, row.problem)
    for line in _show_lines(row, notes, events, c, title):
        _echo(line)


def _show_lines(
    row: Task, notes: list[Note], events: list[Event], c: Context, problem: str | None = None
) -> list[str]:
    from tracker.domain import OPEN
    from tracker.present import relative_due
    from tracker.store.query import is_overdue

    t = c.t
    due_text = row.due
    if row.status in OPEN:
        due_text += f" ({relative_due(date.fromisoformat(row.due), c.today, c.lang)})"
    if is_overdue(row, c.today):
        due_text = "! " + due_text
    support = ", ".join(row.support)
    tags = ", ".join(row.tags)
    fields: list[tuple[str, str | None]] = [
        ("store.field.uid", row.uid),
        ("store.field.campaign", f"{row.campaign_name or row.campaign} ({row.plan})"),
        ("store.field.owner", f"{row.owner_name or row.owner} ({row.owner})"),
        ("store.field.support", support or None),
        ("store.field.leader", row.leader),
        ("store.field.responsible", row.responsible),
        ("store.field.problem", f"{row.problem} {problem}" if problem else row.problem),
        ("store.field.period", row.period),
        ("store.field.start", row.start),
        ("store.field.due", due_text),
        (
            "store.field.planned_due",
            t("store.show.postponed", due=row.planned_due, n=row.postponed)
            if row.postponed
            else None,
        ),
        ("store.field.status", i18n.status_label(row.status, c.lang)),
        ("store.field.blocked_reason", row.blocked_reason),
        ("store.field.progress", _progress(row)),
        ("store.field.expected", _expected(row, c)),
        ("store.field.done_at", row.done_at),
        ("people.field.done_by", row.done_by),
        ("people.field.verified_by", row.verified_by),
        ("people.field.request", _request_text(row, c)),
        ("store.field.priority", t(f"priority.{row.priority}")),
        ("store.field.tags", tags or None),
    ]
    lines = [_ref(row)]
    lines += [f"  {t(k)}: {v}" for k, v in fields if v]
    if row.notes:  # the plan's 说明 may run over several lines: each its own, indented
        first, *more = row.notes.split("\n")
        lines += [f"  {t('store.field.description')}: {first}", *(f"    {m}" for m in more)]
    lines.append(t("store.show.notes", n=len(notes)))
    lines += [f"  {n.at}  {n.user}: {n.text}" for n in notes]
    lines.append(t("store.show.history", n=len(events)))
    lines += ["  " + _event_line(e, c, with_task=False) for e in events]
    return lines


def _expected(row: Task, c: Context) -> str | None:
    """序时进度 at today, beside the progress: "12.5 (by today)"."""
    from tracker.present import number_text

    value = row.expected(c.today)
    if value is None:
        return None
    return c.t("store.show.expected", value=number_text(round(value, 1)), unit=row.unit or "")


def _request_text(row: Task, c: Context) -> str | None:
    req = row.postpone_request
    if req is None:
        return None
    at = req.at.replace("T", " ")
    return c.t("people.request_line", due=req.due, by=req.by, at=at, reason=req.reason)


# ------------------------------------------------------------------------------- transitions


def _print_changes(rows: list[Changed], c: Context) -> None:
    for r in rows:
        old = i18n.status_label(r.before.status, c.lang)
        new = i18n.status_label(r.status, c.lang)
        _echo(f"{_ref(r)}: {old} → {new}")


@app.command("start")
def start_cmd(ctx: typer.Context, tasks: list[str] = TASKS) -> None:
    """Status → doing (from todo, or back from blocked)."""
    from tracker.store.actions import start

    c = get_context(ctx)
    _print_changes(start(_db(c), c, tasks), c)


@app.command("done")
def done_cmd(ctx: typer.Context, tasks: list[str] = TASKS, note: str | None = NOTE) -> None:
    """Status → done."""
    from tracker.store.actions import done

    c = get_context(ctx)
    _print_changes(done(_db(c), c, tasks, note), c)


@app.command("verify")
def verify_cmd(ctx: typer.Context, tasks: list[str] = TASKS, note: str | None = NOTE) -> None:
    """Status done → verified (销号)."""
    from tracker.store.actions import verify

    c = get_context(ctx)
    _print_changes(verify(_db(c), c, tasks, note), c)


@app.command("reopen")
def reopen_cmd(ctx: typer.Context, tasks: list[str] = TASKS, note: str | None = NOTE) -> None:
    """Status done/verified/waived → doing."""
    from tracker.store.actions import reopen

    c = get_context(ctx)
    _print_changes(reopen(_db(c), c, tasks, note), c)


@app.command("block")
def block_cmd(
    ctx: typer.Context,
    tasks: list[str] = TASKS,
    reason: str = typer.Option(..., "--reason", help="Why the task is blocked."),
) -> None:
    """Status → blocked (from todo or doing)."""
    from tracker.store.actions import block

    c = get_context(ctx)
    _print_changes(block(_db(c), c, tasks, reason), c)


@app.command("waive")
def waive_cmd(
    ctx: typer.Context,
    tasks: list[str] = TASKS,
    reason: str = typer.Option(..., "--reason", help="Why the task no longer applies."),
) -> None:
    """Status → waived (已免除: no longer applies; from todo, doing or blocked)."""
    from tracker.store.actions import waive

    c = get_context(ctx)
    _print_changes(waive(_db(c), c, tasks, reason), c)


@app.command("progress", context_settings={"ignore_unknown_options": True})
def progress_cmd(
    ctx: typer.Context,
    task: str = TASK,
    value: str = typer.Argument(
        ..., help="A number, +N to add or -N to take back.", show_default=False
    ),
    note: str | None = NOTE,
) -> None:
    """Record progress toward the target; reaching it makes the task done."""
    from tracker.store.actions import parse_progress, progress

    c = get_context(ctx)
    parse_progress(value)  # a bad value is exit 2 before the database is even opened
    r = progress(_db(c), c, task, value, note)
    old = _num(r.before.progress) or "0"
    line = f"{_ref(r)}: {c.t('store.field.progress')} {old} → {_progress(r)}"
    if r.status != r.before.status:
        old_s = i18n.status_label(r.before.status, c.lang)
        line += f"  ({old_s} → {i18n.status_label(r.status, c.lang)})"
    _echo(line)
    if r.target is not None and (r.progress or 0) > r.target:
        typer.echo(
            c.t("store.progress_over", progress=_num(r.progress), target=_num(r.target)), err=True
        )


@app.command("postpone")
def postpone_cmd(
    ctx: typer.Context,
    task: str = TASK,
    new_due: str = typer.Argument(
        ..., metavar="DATE", help="The new deadline: 2020-05-15, or 05-15 (the next such day)."
    ),
    reason: str = typer.Option(..., "--reason", help="Why the deadline moves."),
) -> None:
    """Move this instance's deadline (延期); it survives reloads."""
    from tracker.context import parse_day
    from tracker.store.actions import postpone

    c = get_context(ctx)
    when = parse_day(new_due, c.today)
    r = postpone(_db(c), c, task, when, reason)
    if r.requested:
        _echo(c.t("people.requested", ref=_ref(r), due=when.isoformat()))
        return
    _echo(c.t("store.postponed", ref=_ref(r), old=r.before.due, new=r.due, n=r.postponed))


@app.command("note")
def note_cmd(
    ctx: typer.Context,
    task: str = TASK,
    text: str = typer.Argument(..., help="The note.", show_default=False),
) -> None:
    """Add a note to a task."""
    from tracker.store.actions import note

    c = get_context(ctx)
    r = note(_db(c), c, task, text)
    _echo(c.t("store.noted", ref=_ref(r)))


# ----------------------------------------------------------------------------- history, undo


def _event_json(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "batch": e.batch,
        "task_id": e.task_id,
        "uid": e.uid,
        "at": e.at,
        "user": e.user,
        "action": e.action,
        "before": e.before,
        "after": e.after,
        "note": e.note,
        "undone": e.undone_by is not None,
    }


def describe_change(before: dict[str, Any], after: dict[str, Any], lang: str) -> str:
    """``未开始 → 已完成; 进度 30 → 50``: the state fields a change touched."""
    from tracker.present import state_changes

    parts = [
        f"{label} {old} → {new}".lstrip() for label, old, new in state_changes(before, after, lang)
    ]
    return "; ".join(parts)


def _event_line(e: Event, c: Context, *, with_task: bool = True) -> str:
    parts = [e.at.replace("T", " "), e.user, c.t(f"store.action.{e.action}")]
    if with_task:
        parts.append(f"#{e.task_id} {e.title or ''}".rstrip())
    change = describe_change(e.before, e.after, c.lang)
    if change:
        parts.append(change)
    if e.note:
        parts.append(f"“{e.note}”")
    if e.undone_by is not None:
        parts.append(c.t("store.history.undone"))
    return "  ".join(parts)


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    task: str | None = typer.Argument(None, help="A task id or uid; all tasks if omitted."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many entries."),
    as_json: bool = typer.Option(False, "--json", help="A JSON array."),
) -> None:
    """The change log, newest first."""
    from tracker.store.actions import history

    c = get_context(ctx)
    events = history(_db(c), task, limit=limit)
    if as_json:
        _dump([_event_json(e) for e in events])
        return
    if not events:
        typer.echo(c.t("store.history.empty"))
        return
    for e in events:
        _echo(_event_line(e, c))


@app.command("undo")
def undo_cmd(ctx: typer.Context) -> None:
    """Undo the acting user's last change."""
    from tracker.store.actions import undo

    c = get_context(ctx)
    for r in undo(_db(c), c):
        action = c.t(f"store.action.{r.undone_action}")
        change = describe_change(r.before.to_json(), r.state.to_json(), c.lang)
        if r.undone_action == "note":
            change = f"“{r.undone_note}”"
        _echo(c.t("store.undone", action=action, ref=_ref(r), change=change).rstrip())
