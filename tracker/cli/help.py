"""``--help`` in Chinese when the language is zh (``--lang zh``, ``TRACKER_LANG``, a zh locale).

click builds help from the commands' English docstrings and ``help=`` strings, with English
headings, and wraps it by character count at spaces. Under zh, ``localize`` puts the Chinese
help of ``tracker.i18n.help`` on this invocation's command tree (and takes it off again
afterwards), and ``ZhHelpFormatter`` writes the headings in Chinese and breaks lines by cell
width and Chinese rules (``present.wrap``). The English help, and so ``docs/cli.md``, is
untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import click

from tracker.cli.lazy import Hook, LazyCommands
from tracker.i18n.help import HEADINGS, command_help, option_help
from tracker.present import cell_width, wrap

_NOTE = re.compile(r"\[([^\[\]]*)\]\s*$")  # typer's "[env var: X; default: Y]" at the end
_HELP_OPTION = "Show this message and exit."


def _note(text: str) -> str:
    """The words of an option's trailing ``[...]`` note in Chinese."""

    def zh(m: re.Match[str]) -> str:
        inner = m.group(1)
        for en in ("env var", "default"):
            inner = inner.replace(f"{en}: ", f"{HEADINGS[en]}：")
        return "[" + re.sub(r"\brequired\b", HEADINGS["required"], inner) + "]"

    return _NOTE.sub(zh, text)


class ZhHelpFormatter(click.HelpFormatter):
    """click's help layout with Chinese headings, measured in cells, broken by Chinese rules."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{'':>{self.current_indent}}{HEADINGS['Usage']}：{prog} "
        indent = cell_width(head)
        if self.width - indent < 20:  # as click does: the arguments under a long command
            self.write(head.rstrip() + "\n")
            indent = self.current_indent + 4
            head = " " * indent
        lines = wrap(args, max(self.width - indent, 10)) if args else [""]
        self.write(head + lines[0] + "\n")
        for line in lines[1:]:
            self.write(" " * indent + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        room = max(self.width - self.current_indent, 11)
        paragraphs = [p.strip() for p in text.split("\n\n")]
        for k, para in enumerate(paragraphs):
            if k:
                self.write("\n")
            for line in wrap(para, room):
                self.write(indent + line + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cell_width(r[0]) for r in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        room = max(self.width - first_col - 2, 10)
        for first, second in rows:
            if first.startswith("--help") and second == _HELP_OPTION:
                second = option_help("", "--help") or second
            self.write(indent + first)
            if not second:
                self.write("\n")
                continue
            if cell_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_width(first)))
            else:
                self.write("\n" + indent + " " * first_col)
            lines = wrap(_note(second), room)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(indent + " " * first_col + line + "\n")


class ZhContext(click.Context):
    formatter_class = ZhHelpFormatter


def _option_key(param: click.Parameter) -> str:
    """The name a table entry uses: the long option (``--format``), else the parameter's."""
    longs = [o for o in param.opts if o.startswith("--")]
    return longs[0] if longs else (param.name or "")


def under(path: str, name: str) -> str:
    """A command's path in ``tracker.i18n.help``: ``done``, ``report weekly``."""
    return name if path == "tracker" else f"{path} {name}"


def localize(group: click.Group) -> Callable[[], None]:
    """Chinese help on every command under ``group``, including those built later in this
    invocation; returns what puts the English back."""
    saved: list[tuple[Any, str, Any]] = []
    hooks: list[tuple[LazyCommands, Hook]] = []

    def put(obj: Any, attr: str, value: Any) -> None:
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)

    def walk(cmd: click.Command, path: str) -> None:
        put(cmd, "context_class", ZhContext)
        zh = command_help(path)
        if zh is not None:
            put(cmd, "help", zh)
            put(cmd, "short_help", zh.split("\n")[0])
        for p in cmd.params:
            text = option_help(path, _option_key(p))
            if text is not None and getattr(p, "help", None):
                put(p, "help", text)
        if not isinstance(cmd, click.Group):
            return
        commands = cmd.commands
        if isinstance(commands, LazyCommands):  # the rest as they are built, if they are
            hooks.append((commands, lambda name, sub: walk(sub, under(path, name))))
            commands.hooks.append(hooks[-1][1])
            items = commands.built()
        else:
            items = list(commands.items())
        for name, sub in items:
            walk(sub, under(path, name))

    walk(group, "tracker")

    def restore() -> None:
        for commands, hook in hooks:
            commands.hooks.remove(hook)
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)

    return restore
