"""Commands: ``remind`` (催办 digests to a terminal or a group robot) and ``calendar`` (.ics).

Parsing and printing only; the digests, the robots, the pacing, the sent-log and the calendar
live in ``tracker.notify``. Reading is open to every person (people.md): these commands need
only a signed-in one. ``post`` also serves ``report weekly --to``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tracker.cli import app, get_context, open_store
from tracker.context import Context

if TYPE_CHECKING:
    from tracker.notify.robots import Message, Webhook
    from tracker.notify.send import Outcome

TO_CHOICES = ("stdout", "wecom", "dingtalk")


def _echo(line: str, *, err: bool = False) -> None:
    from tracker.present.safe import terminal_block

    typer.echo(terminal_block(line), err=err)


def _days(value: int, option: str) -> int:
    from tracker.errors import BadInput
    from tracker.notify.digest import MAX_WORKDAYS

    if not 0 <= value <= MAX_WORKDAYS:
        raise BadInput("notify.bad_days", option=option, max=MAX_WORKDAYS, value=value)
    return value


def check_to(value: str) -> str:
    """``--to``: stdout, wecom or dingtalk (``BadInput`` otherwise)."""
    from tracker.errors import BadInput

    to = value.strip().lower()
    if to not in TO_CHOICES:
        raise BadInput("notify.bad_to", choices=", ".join(TO_CHOICES), value=value)
    return to


def robot_hook(c: Context, channel: str, dry_run: bool) -> Webhook | None:
    """The channel's webhook from the environment, checked before any work; a dry run may
    go without one (and says that a real run would fail)."""
    from tracker.notify.robots import ENV, webhook

    hook = webhook(channel, required=not dry_run)
    if hook is None:
        _echo(c.t("notify.no_webhook_dry", var=ENV[channel]), err=True)
    return hook


def message_lang(ctx: typer.Context, c: Context, plan_lang: str | None) -> str:
    """``--lang``/``TRACKER_LANG`` when given; else the plan's ``lang``; else Chinese (the
    digests go to county staff)."""
    root = ctx.find_root()
    source = root.get_parameter_source("lang")
    if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT"):
        return c.lang
    return plan_lang if plan_lang in ("zh", "en") else "zh"


def _print_outcome(o: Outcome, channel: str, lang: str, quiet: bool) -> None:
    from tracker import i18n
    from tracker.jsontext import dumps
    from tracker.notify import send

    label = o.message.label
    if o.state == send.DRY_RUN:
        name = i18n.t(f"notify.channel.{channel}", lang)
        _echo(i18n.t("notify.result.dry_run", lang, label=label, channel=name), err=quiet)
        import json

        _echo(dumps(json.loads(o.data)), err=quiet)
    elif o.state == send.FAILED and o.error is not None:
        reason = o.error.render(lang)
        _echo(i18n.t("notify.result.failed", lang, label=label, reason=reason), err=True)
    else:
        _echo(i18n.t(f"notify.result.{o.state}", lang, label=label), err=quiet)


def post(
    c: Context, db: Any, hook: Webhook | None, channel: str, messages: list[Message], *,
    dry_run: bool, quiet: bool = False,
) -> list[Outcome]:  # fmt: skip
    """Send ``messages`` (paced, each once) and say what became of each, and the totals, in
    the terminal's language (the messages are in theirs); on stderr when ``quiet`` (stdout
    then holds JSON)."""
    from tracker import i18n
    from tracker.notify import send
    from tracker.notify.robots import Robot

    robot = Robot(hook) if hook is not None and not dry_run else None
    outcomes = send.deliver(
        db, robot, channel, messages, c.today, dry_run=dry_run, pacer=send.Pacer(),
        now=lambda: c.real_now().isoformat(),
    )  # fmt: skip
    for o in outcomes:
        _print_outcome(o, channel, c.lang, quiet)
    n = {s: sum(o.state == s for o in outcomes) for s in (send.SENT, send.SKIPPED, send.FAILED)}
    name = i18n.t(f"notify.channel.{channel}", c.lang)
    if dry_run:
        dry = sum(o.state == send.DRY_RUN for o in outcomes)
        _echo(c.t("notify.totals_dry", channel=name, count=dry, skipped=n[send.SKIPPED]), err=quiet)
        return outcomes
    _echo(
        c.t(
            "notify.totals", channel=name, sent=n[send.SENT], skipped=n[send.SKIPPED],
            failed=n[send.FAILED],
        ),
        err=quiet,
    )  # fmt: skip
    sent = [o.message.label for o in outcomes if o.state == send.SENT]
    if sent and n[send.FAILED]:  # which went out: a repeated run sends the others only
        sep = "、" if c.lang == "zh" else ", "
        _echo(c.t("notify.sent_units", units=sep.join(sent)), err=quiet)
    return outcomes


@app.command("remind")
def remind_cmd(
    ctx: typer.Context,
    within: int = typer.Option(
        3, "--within", help="Working days ahead, by the plan's calendar (调休 included)."
    ),
    to: str = typer.Option("stdout", "--to", help="stdout | wecom | dingtalk."),
    escalate: int = typer.Option(
        5, "--escalate", help="Overdue by more working days than this: mention the 责任领导."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be sent; send none."),
    as_json: bool = typer.Option(False, "--json", help="A JSON array of the digests."),
    only_workdays: bool = typer.Option(
        False, "--only-workdays", help="Send nothing on a day off (for a daily timer)."
    ),
) -> None:
    """催办: one digest per owner unit of its overdue tasks and those due within N working days."""
    from tracker.jsontext import dumps
    from tracker.notify import message
    from tracker.notify.digest import build_digests
    from tracker.notify.send import FAILED
    from tracker.store.reminders import plan_calendars, plan_langs

    c = get_context(ctx)
    channel = check_to(to)
    within, escalate = _days(within, "--within"), _days(escalate, "--escalate")
    hook = robot_hook(c, channel, dry_run) if channel != "stdout" else None
    db = open_store(c, create=False)
    if only_workdays and not any(k.is_workday(c.today) for k in plan_calendars(db).values()):
        _echo(c.t("notify.day_off", date=c.today.isoformat()), err=as_json)
        return
    digests = build_digests(db, c.today, within=within, escalate=escalate)
    langs = plan_langs(db)
    lang = message_lang(
        ctx, c, next((langs.get(d.plan) for d in digests if langs.get(d.plan)), None)
    )
    kw = {"within": within, "escalate": escalate}
    if channel == "stdout":
        if as_json:
            typer.echo(dumps([message.digest_json(d, c.today, db) for d in digests]))
            return
        for i, d in enumerate(digests):
            _echo(("\n" if i else "") + "\n".join(message.text_lines(d, c.today, lang, **kw)))
        if not digests:
            _echo(_none(lang, within))
        return
    msgs = [message.chat_message(d, channel, c.today, lang, **kw) for d in digests]
    if not msgs:
        _echo(_none(lang, within), err=as_json)
    outcomes = post(c, db, hook, channel, msgs, dry_run=dry_run, quiet=as_json)
    if as_json:
        state = {o.message.key: o.state for o in outcomes}
        objs = [{**message.digest_json(d, c.today, db), "result": state[d.unit]} for d in digests]
        typer.echo(dumps(objs))
    if any(o.state == FAILED for o in outcomes):
        raise typer.Exit(1)


def _none(lang: str, within: int) -> str:
    from tracker import i18n

    return i18n.t("notify.none", lang, within=within)


@app.command("calendar")
def calendar_cmd(
    ctx: typer.Context,
    owner: str | None = typer.Option(None, "--owner", help="This unit and the units below it."),
    person: str | None = typer.Option(
        None, "--person", help="The tasks of this person's units (and the units below)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this .ics file."),
) -> None:
    """The deadlines as an iCalendar (.ics) file: one all-day event per open task."""
    from tracker.cli.reports import _check_format, check_suffix
    from tracker.errors import BadInput
    from tracker.fileio import write_atomic
    from tracker.notify.ics import calendar_for_owner, calendar_for_person

    c = get_context(ctx)
    if owner is not None and person is not None:
        raise BadInput("notify.owner_and_person")
    _check_format(None, ("ics",), output, "ics")
    db = open_store(c, create=False)
    check_suffix(None, ("ics",), output)
    lang = message_lang(ctx, c, None)
    if person is not None:
        data = calendar_for_person(db, person, c.today, lang=lang)
    else:
        data = calendar_for_owner(db, owner, c.today, lang=lang)
    if output is None or str(output) == "-":
        typer.echo(data, nl=False)
        return
    write_atomic(output, data)
    typer.echo(c.t("report.written", path=str(output)), err=True)
