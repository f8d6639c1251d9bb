"""Commands built when they are asked for (click's "lazily loading subcommands" pattern).

typer turns every registered function into a click command before it parses a word: about
twenty milliseconds for its 36 commands, which ``tracker done 5`` paid on every tick. Here the root
group holds a ``LazyCommands`` mapping instead: a command's module is imported, and its click
command built, the first time the command is looked up. ``--help`` and the tests that walk the
tree still see every command (iterating the mapping builds them all).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping

import click
import typer
from typer.main import get_command_from_info, get_command_name, get_group_from_info

# Every command of ``tracker``, in the order of cli.md (a planner's, then staff's, then
# leaders' work), and the module that defines it.
COMMANDS: dict[str, str] = {
    "init": "tracker.cli.plans",
    "check": "tracker.cli.plans",
    "load": "tracker.cli.load",
    "add": "tracker.cli.add",
    "list": "tracker.cli.tasks",
    "show": "tracker.cli.tasks",
    "start": "tracker.cli.tasks",
    "done": "tracker.cli.tasks",
    "verify": "tracker.cli.tasks",
    "reopen": "tracker.cli.tasks",
    "block": "tracker.cli.tasks",
    "waive": "tracker.cli.tasks",
    "progress": "tracker.cli.tasks",
    "postpone": "tracker.cli.tasks",
    "approve": "tracker.cli.people",
    "reject": "tracker.cli.people",
    "note": "tracker.cli.tasks",
    "history": "tracker.cli.tasks",
    "undo": "tracker.cli.tasks",
    "report": "tracker.cli.reports",
    "rollup": "tracker.cli.host",
    "export": "tracker.cli.reports",
    "import": "tracker.cli.reports",
    "backup": "tracker.cli.admin",
    "restore-check": "tracker.cli.host",
    "tui": "tracker.cli.ui",
    "serve": "tracker.cli.ui",
    "remind": "tracker.cli.notify",
    "calendar": "tracker.cli.notify",
    "people": "tracker.cli.people",
}

# Called with a command's name and its click command when it has just been built.
Hook = Callable[[str, click.Command], None]


def import_all() -> None:
    """Every command module imported, so that ``app`` holds every registration."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module)


def build(app: typer.Typer, name: str) -> click.Command:
    """The click command ``name`` of ``app``, its module imported first (KeyError if none)."""
    module = COMMANDS.get(name)
    if module is None:
        raise KeyError(name)
    importlib.import_module(module)
    short = app.pretty_exceptions_short
    markup = app.rich_markup_mode
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or get_command_name(info.callback.__name__)) == name:
            return get_command_from_info(
                info, pretty_exceptions_short=short, rich_markup_mode=markup
            )
    for group in app.registered_groups:
        if group.name == name:
            return get_group_from_info(
                group,
                pretty_exceptions_short=short,
                rich_markup_mode=markup,
                suggest_commands=app.suggest_commands,
            )
    raise KeyError(name)


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name: the known names at once, each command on first lookup."""

    def __init__(self, app: typer.Typer, built: Mapping[str, click.Command]) -> None:
        self._app = app
        self._built = dict(built)
        self._removed: set[str] = set()
        self.hooks: list[Hook] = []

    def __getitem__(self, name: str) -> click.Command:
        command = self._built.get(name)
        if command is None:
            if name in self._removed:
                raise KeyError(name)
            command = self._built[name] = build(self._app, name)
            for hook in list(self.hooks):
                hook(name, command)
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command
        self._removed.discard(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._built.pop(name, None)
        self._removed.add(name)

    def __iter__(self) -> Iterator[str]:
        names = dict.fromkeys([*COMMANDS, *self._built])
        return iter([n for n in names if n not in self._removed])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, name: object) -> bool:
        known = name in COMMANDS or name in self._built
        return known and name not in self._removed

    def built(self) -> list[tuple[str, click.Command]]:
        """The commands made so far (what a walk can touch without building the rest)."""
        return list(self._built.items())
