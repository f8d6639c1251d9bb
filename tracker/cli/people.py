"""Commands: the roster (``people``) and the decisions on postponement requests.

Only parsing and printing here; the rules are ``tracker.domain.people``'s, applied by the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tracker.cli import app, get_context, open_store
from tracker.cli.tasks import TASK, _ref

people_app = typer.Typer(
    help="The roster: who may act, in which role, over which units.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(people_app, name="people")


@people_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name.", show_default=False),
    role: str = typer.Option(
        ..., "--role", help="admin, planner, verifier (督办员), leader (领导) or staff (工作人员)."
    ),
    unit: list[str] | None = typer.Option(
        None, "--unit", help="A unit key of the person's scope (repeatable; none: every unit)."
    ),
    phone: str | None = typer.Option(None, "--phone", help="Mobile number (DingTalk mentions)."),
    wecom: str | None = typer.Option(None, "--wecom", help="WeCom user id (mentions)."),
    dingtalk: str | None = typer.Option(None, "--dingtalk", help="DingTalk user id."),
) -> None:
    """Add a person to the roster (the first one, an admin, makes the database managed)."""
    from tracker.store.people import NewPerson, add_person, may_change_roster, parse_role

    c = get_context(ctx)
    db = open_store(c)
    may_change_roster(db, c)  # who may, before what was typed
    new = NewPerson(name, parse_role(role), tuple(unit or ()), phone, wecom, dingtalk)
    person = add_person(db, c, new)
    typer.echo(c.t("people.added", name=person.name, role=c.t(f"people.role.{person.role}")))


@people_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="A JSON array."),
) -> None:
    """The roster."""
    from tracker.jsontext import dumps
    from tracker.present import fit_table
    from tracker.store.people import list_people

    c = get_context(ctx)
    found = list_people(open_store(c))
    if as_json:
        typer.echo(dumps([p.to_json() for p in found]))
        return
    if not found:
        typer.echo(c.t("people.empty"))
        return
    heads = [c.t(f"people.col.{k}") for k in ("name", "role", "units", "phone", "password")]
    rows = [
        [
            p.name,
            c.t(f"people.role.{p.role}"),
            "、".join(p.units) or c.t("people.all_units"),
            p.phone or "",
            "✓" if p.has_password else "",
        ]
        for p in found
    ]
    for line in fit_table(heads, rows, 100, flexible=2):
        typer.echo(line)


@people_app.command("remove")
def remove_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name.", show_default=False),
) -> None:
    """Remove a person from the roster; their history stays."""
    from tracker.store.people import remove_person

    c = get_context(ctx)
    remove_person(open_store(c), c, name)
    typer.echo(c.t("people.removed", name=name.strip()))


@people_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A roster .csv or .xlsx.", show_default=False),
) -> None:
    """Add or update people from a roster file (姓名, 角色, 单位, 手机); all or nothing."""
    from tracker.report.roster import read_roster
    from tracker.store.people import import_people, may_change_roster

    c = get_context(ctx)
    db = open_store(c)
    may_change_roster(db, c)  # who may, before the file is read
    found = read_roster(db, file)
    typer.echo(c.t("people.imported", n=import_people(db, c, found)))


@people_app.command("passwd")
def passwd_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name.", show_default=False),
) -> None:
    """Set the password for signing in to `tracker serve`, read from standard input."""
    from tracker.store.people import set_password

    c = get_context(ctx)
    line = sys.stdin.readline() if not sys.stdin.isatty() else typer.prompt("", hide_input=True)
    set_password(open_store(c), c, name, line.rstrip("\r\n"))
    typer.echo(c.t("people.passwd_set", name=name.strip()))


@app.command("approve")
def approve_cmd(
    ctx: typer.Context,
    task: str = TASK,
    note: str | None = typer.Option(None, "--note", help="A note recorded with the decision."),
) -> None:
    """Approve a task's postponement request: the deadline moves."""
    from tracker.store.actions import approve

    c = get_context(ctx)
    r = approve(open_store(c), c, task, note)
    typer.echo(c.t("people.approved", ref=_ref(r), old=r.before.due, new=r.due, n=r.postponed))


@app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    task: str = TASK,
    reason: str = typer.Option(..., "--reason", help="Why the request is turned down."),
) -> None:
    """Reject a task's postponement request: the deadline stays."""
    from tracker.store.actions import reject

    c = get_context(ctx)
    r = reject(open_store(c), c, task, reason)
    typer.echo(c.t("people.rejected", ref=_ref(r)))
