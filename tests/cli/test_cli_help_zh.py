"""``--help`` in Chinese under zh (issue #19), English otherwise and unchanged.

Every command of the tree is asked for its help: under ``--lang zh`` (and ``TRACKER_LANG=zh``,
and a zh locale) its description is the Chinese of ``tracker.i18n.help`` and the headings are
用法/选项; under en it is the command's own English docstring with click's headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import click
import pytest
import typer.main
from typer.testing import Result

from tracker.cli import app
from tracker.cli.help import _option_key
from tracker.i18n.help import command_help, option_help
from tracker.present import cell_width
from tracker.present.wrap import CLOSING

Cli = Callable[..., Result]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tree() -> Iterator[tuple[list[str], click.Command]]:
    def walk(cmd: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        yield path, cmd
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


PATHS = [path for path, _ in _tree()]


def _key(path: list[str]) -> str:
    return " ".join(path) or "tracker"


def _description(out: str) -> str:
    """The help text between the usage line and the first heading, its lines joined."""
    body = out.split("\n\n", 1)[1].split("\n\n", 1)[0]
    return "".join(line.strip() for line in body.splitlines())


def test_every_command_and_option_has_its_chinese_help() -> None:
    missing = []
    for path, cmd in _tree():
        if command_help(_key(path)) is None:
            missing.append(_key(path))
        for p in cmd.params:
            if getattr(p, "help", None) and option_help(_key(path), _option_key(p)) is None:
                missing.append(f"{_key(path)} {_option_key(p)}")
    assert missing == []


@pytest.mark.parametrize("path", PATHS, ids=[_key(p) for p in PATHS])
def test_help_in_chinese_under_lang_zh(cli: Cli, path: list[str]) -> None:
    r = cli("--lang", "zh", *path, "--help")
    assert r.exit_code == 0, r.output
    zh = command_help(_key(path))
    assert zh is not None
    assert r.stdout.startswith("用法：tracker")
    assert _description(r.stdout) == zh.replace(" ", "") or _description(r.stdout) == zh
    assert "选项：" in r.stdout and "Options:" not in r.stdout
    assert "显示本帮助并退出。" in r.stdout and "Show this message" not in r.stdout
    lines = r.stdout.splitlines()
    assert all(cell_width(line) <= 80 for line in lines), r.stdout
    # a continued line of the description or of an option's help never starts with 。，）…
    assert not any(line.strip()[:1] in CLOSING for line in lines if line.strip()), r.stdout


@pytest.mark.parametrize("path", PATHS, ids=[_key(p) for p in PATHS])
def test_help_in_english_otherwise(cli: Cli, path: list[str]) -> None:
    cmd = dict((_key(p), c) for p, c in _tree())[_key(path)]
    r = cli(*path, "--help")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Usage: tracker") and "Options:" in r.stdout
    words = (cmd.help or "").split()
    assert _description(r.stdout).replace(" ", "") == "".join(words)
    assert "用法" not in r.stdout and "选项" not in r.stdout


def test_the_language_is_chosen_as_for_the_rest_of_the_cli(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = command_help("list")
    assert first is not None
    monkeypatch.setenv("TRACKER_LANG", "zh")
    assert first in cli("list", "--help").stdout
    assert "List task instances" in cli("--lang", "en", "list", "--help").stdout  # option wins
    monkeypatch.delenv("TRACKER_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert first in cli("list", "--help").stdout
    assert "用法：tracker [OPTIONS] COMMAND" in cli().stdout  # no arguments: the help, in zh
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "List task instances" in cli("list", "--help").stdout


def test_english_help_is_unchanged_after_a_chinese_one() -> None:
    group = typer.main.get_command(app)

    def run(*args: str) -> str:
        with pytest.raises(SystemExit):
            group.main(list(args))
        return ""

    before = group.get_help(click.Context(group))
    run("--lang", "zh", "--help")
    assert group.get_help(click.Context(group)) == before
    sub = group.commands["list"]  # type: ignore[attr-defined]
    assert sub.help and "List task instances" in sub.help
    assert sub.context_class is click.Context


def test_the_formatter_breaks_lines_by_cell_width_and_chinese_rules() -> None:
    from tracker.cli.help import ZhHelpFormatter

    f = ZhHelpFormatter(width=40)
    f.write_usage("tracker report weekly", "[OPTIONS] [ARGS]...")
    with f.section("Options"):
        f.write_dl(
            [
                ("--limit INTEGER", "text/md/html 中每个列表的行数（0：全部）。  [default: 50]"),
                (
                    "--trust-header HEADER",
                    "由本机的代理完成登录，并在 HEADER（如 X-Remote-User）中给出。",
                ),
            ]
        )
    f.write_text("导入修改过的台账：只取导出后改过的单元格；全部成功或全不写入。")
    out = f.getvalue()
    lines = out.splitlines()
    assert lines[0].startswith("用法：tracker report weekly")
    assert "选项：" in lines and "[默认：50]" in out.replace("\n", "").replace(" ", "")
    assert max(cell_width(line) for line in lines) <= 40, out
    assert not any(line.strip()[:1] in CLOSING for line in lines if line.strip()), out
    assert "X-Remote-User" in out  # the Latin run is whole on one line
    text = "".join(line.strip() for line in lines[-2:])
    assert text == "导入修改过的台账：只取导出后改过的单元格；全部成功或全不写入。"
