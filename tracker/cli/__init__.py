"""The typer layer: global options, one-line errors, and the command modules.

Commands live in ``cli/plans.py`` (check), ``cli/load.py``, ``cli/add.py`` (add),
``cli/tasks.py`` (list … undo, waive among the status changes),
``cli/reports.py`` (report, export, import), ``cli/host.py`` (rollup, restore-check) and
``cli/ui.py`` (tui, serve). They parse
options, call ``plan``/``store``/``report`` and print; no logic of their own.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Any

import click
import typer
from click import exceptions as click_exc
from typer.core import TyperGroup

from tracker import i18n
from tracker.cli.lazy import COMMANDS, LazyCommands
from tracker.context import Context, default_user, parse_iso_date
from tracker.errors import EXIT_BAD_INPUT, TrackerError

_current: Context | None = None
_argv: list[str] = []  # this invocation's words, for the language of an early failure


def _lang_now() -> str:
    """The language for an error: the invocation's, or the environment's if parsing failed early."""
    if _current is not None:
        return _current.lang
    args = _argv
    for i, arg in enumerate(args):  # the command line failed before --lang was parsed
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in i18n.LANGS:
            return value
    env = os.environ.get("TRACKER_LANG", "")
    return env if env in i18n.LANGS else i18n.default_lang()


def _fail(message: str, code: int) -> None:
    from tracker.present.safe import terminal

    # A message may quote a plan's or a ledger's text: its control characters made visible.
    for line in message.split("\n"):
        typer.echo(terminal(line), err=True)
    sys.exit(code)


COMMAND_ORDER = list(COMMANDS)  # the order of cli.md


def _damage(e: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the database file itself is damaged."""
    text = str(e).lower()
    return "malformed" in text or "corrupt" in text


class TrackerGroup(TyperGroup):
    """Turns every failure into one readable line on stderr and the spec's exit status;
    builds each command only when it is looked up (``cli/lazy.py``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(app, self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        """Commands in the order of cli.md (a planner's, then staff's, then leaders' work)."""
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        global _current, _argv
        kwargs["standalone_mode"] = False
        _current = None
        given = kwargs.get("args", args[0] if args else None)
        _argv = [str(a) for a in (sys.argv[1:] if given is None else given)]
        english_help = _localize_help(self)
        try:
            rv = super().main(*args, **kwargs)
        except TrackerError as e:
            _fail(e.render(_lang_now()), e.exit_code)
        except click_exc.NoArgsIsHelpError as e:
            typer.echo(e.format_message())
            sys.exit(0)
        except click_exc.UsageError as e:
            msg = _usage_message(e, self)
            _fail(i18n.t("error.usage", _lang_now(), message=msg), EXIT_BAD_INPUT)
        except click_exc.ClickException as e:
            _fail(e.format_message().replace("\n", " "), e.exit_code or 1)
        except BrokenPipeError:
            # The reader went away (``tracker history | head``): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except (typer.Abort, KeyboardInterrupt):
            _fail(i18n.t("error.interrupted", _lang_now()), 130)
        except sqlite3.OperationalError as e:
            _fail(i18n.t("store.db_error", _lang_now(), reason=str(e)), 1)
        except sqlite3.DatabaseError as e:  # pages damaged past the schema: malformed image
            path = str(_current.db_path) if _current is not None else "?"
            if _current is not None and _damage(e):
                from tracker.store.db import mark_damaged

                mark_damaged(_current.db_path, str(e))
            _fail(i18n.t("store.db_damaged", _lang_now(), path=path, reason=str(e)), 2)
        except Exception as e:
            if os.environ.get("TRACKER_DEBUG"):
                raise
            params = {"kind": type(e).__name__, "message": str(e).replace("\n", " ")}
            _fail(i18n.t("error.internal", _lang_now(), **params), 70)
        finally:
            english_help()
        sys.exit(rv if isinstance(rv, int) else 0)


def _localize_help(group: click.Group) -> Any:
    """``--help`` in the invocation's language (decided as for an early error, before
    parsing): Chinese help on the command tree, and what takes it off again."""
    if _lang_now() != "zh":
        return lambda: None
    from tracker.cli.help import localize

    return localize(group)


def _usage_message(e: click_exc.UsageError, group: click.Group) -> str:
    """Click's message on one line, in the reader's language; an unknown command with the
    nearest known ones suggested once (click and typer would each add their own)."""
    lang = _lang_now()
    name = getattr(e, "command_name", None)
    if isinstance(name, str):
        import difflib

        known = list(group.commands)
        near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        text = i18n.t("error.no_command", lang, name=name)
        if near:
            text += i18n.t("error.did_you_mean", lang, names=", ".join(near))
        return text
    return translate_usage(e.format_message().replace("\n", " "), lang)


# Click's usage messages, as patterns: their Chinese wording (click itself speaks English).
_CLICK_ZH = (
    (r"^Missing option '([^']+)'\.", r"缺少选项 \1。"),
    (r"^Missing argument '([^']+)'\.", r"缺少参数 \1。"),
    (r"^No such option: ([^ ]+)", r"没有选项 \1"),
    (r"^No such option '([^']+)'\.", r"没有选项 \1。"),
    (r"^Got unexpected extra arguments? \((.*)\)", r"多余的参数（\1）"),
    (r"^Invalid value for '([^']+)': ", r"选项 \1 的值无效："),
    (r"^Option '([^']+)' requires an argument\.", r"选项 \1 需要一个值。"),
    (r" Did you mean ([^?]+)\?", r" 是否想输入 \1？"),
    (r"\(Possible options: ([^)]*)\)", r"（可选：\1）"),
)


def translate_usage(message: str, lang: str) -> str:
    """``message`` from click in ``lang`` (the common ones; anything else stays as it is)."""
    if lang != "zh":
        return message
    import re

    for pattern, zh in _CLICK_ZH:
        message = re.sub(pattern, zh, message)
    return message


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"tracker {version('tracker')}")
        except PackageNotFoundError:
            typer.echo("tracker (not installed)")
        raise typer.Exit()


app = typer.Typer(
    cls=TrackerGroup,
    name="tracker",
    help="Run a year of seasonal work campaigns: plan, tick off, report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _check_lang(value: str | None) -> str:
    if value is None or value == "":
        return i18n.default_lang()
    if value not in i18n.LANGS:
        raise typer.BadParameter(i18n.t("error.bad_lang", i18n.default_lang(), value=value))
    return value


@app.callback()
def _global(
    ctx: typer.Context,
    db: str = typer.Option("tracker.db", "--db", envvar="TRACKER_DB", help="SQLite database."),
    today: str | None = typer.Option(
        None, "--today", envvar="TRACKER_TODAY", help="Date taken as today (2020-04-15)."
    ),
    user: str | None = typer.Option(
        None, "--user", envvar="TRACKER_USER", help="Who is acting (recorded in history)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", envvar="TRACKER_LANG", help="Language of output: zh or en."
    ),
    _show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Run a year of seasonal work campaigns: plan, tick off, report."""
    resolved_lang = _check_lang(lang)
    from pathlib import Path

    context = Context(
        db_path=Path(db),
        user=(user or default_user()).strip(),
        lang=resolved_lang,
    )
    ctx.obj = context
    global _current
    _current = context
    if today:
        context.today = parse_iso_date(today)


def get_context(ctx: typer.Context) -> Context:
    """The resolved global options of this invocation."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj


def open_store(c: Context, *, create: bool = True) -> Any:
    """Open the database and check who is acting (people.md): in a managed database every
    command needs a person in the roster. Every command that opens the database comes here."""
    from tracker.store.db import open_db
    from tracker.store.people import sign_in

    db = open_db(c.db_path, create=create)
    sign_in(db, c)
    return db


def main() -> None:
    """Console-script entry point."""
    app()
