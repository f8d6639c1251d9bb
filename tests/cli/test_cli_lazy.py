"""Commands built on first lookup (cli/lazy.py): the same tree, one command's cost per run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_command_name

from tracker.cli import COMMAND_ORDER, app
from tracker.cli.lazy import COMMANDS, LazyCommands, import_all

FIXTURE = Path(__file__).parent.parent / "fixtures" / "plans" / "spec-example.toml"


def _registered() -> dict[str, str]:
    """Every command ``app`` holds once all modules are imported, and its defining module."""
    import_all()
    found: dict[str, str] = {}
    for info in app.registered_commands:
        assert info.callback is not None
        found[info.name or get_command_name(info.callback.__name__)] = info.callback.__module__
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        callbacks = [c.callback for c in group.typer_instance.registered_commands]
        modules = {c.__module__ for c in callbacks if c is not None}
        assert len(modules) == 1, (group.name, modules)
        found[group.name] = modules.pop()
    return found


def test_the_table_names_every_command_and_its_module() -> None:
    assert _registered() == COMMANDS
    assert list(COMMANDS) == COMMAND_ORDER


def test_the_tree_lists_every_command_in_order() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert isinstance(group.commands, LazyCommands)
    assert group.list_commands(typer.Context(group)) == COMMAND_ORDER
    assert sorted(group.commands["report"].commands) == ["monthly", "quarterly", "weekly"]  # type: ignore[attr-defined]
    assert "nope" not in group.commands
    assert group.get_command(typer.Context(group), "nope") is None


def _fresh(code: str, tmp: Path) -> dict[str, object]:
    """``code``'s JSON output, run in a new interpreter (nothing imported beforehand)."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp, check=True
    )
    return dict(json.loads(out.stdout.splitlines()[-1]))


def test_one_lookup_builds_and_imports_one_command(isolated: Path) -> None:
    code = (
        "import json, sys, typer\n"
        "from tracker.cli import app\n"
        "group = typer.main.get_command(app)\n"
        "group.get_command(None, 'done')\n"
        "mods = sorted(m for m in sys.modules if m.startswith('tracker.cli.'))\n"
        "print(json.dumps({'built': [n for n, _ in group.commands.built()], 'mods': mods}))\n"
    )
    seen = _fresh(code, isolated)
    assert seen["built"] == ["done"]
    assert "tracker.cli.tasks" in seen["mods"]  # type: ignore[operator]
    assert not {"tracker.cli.reports", "tracker.cli.ui", "tracker.cli.notify"} & set(
        seen["mods"]  # type: ignore[call-overload]
    )


def test_a_command_built_late_still_gets_chinese_help(isolated: Path) -> None:
    """Under zh the help is put on at the start of a run, before ``done`` exists: the hook
    gives it its Chinese text when it is built, and the English comes back afterwards."""
    code = (
        "import json, sys, typer\n"
        "from tracker.cli import app\n"
        "from tracker.cli.help import localize\n"
        "group = typer.main.get_command(app)\n"
        "restore = localize(group)\n"
        "zh = group.get_command(None, 'done').help\n"
        "restore()\n"
        "en = group.get_command(None, 'done').help\n"
        "print(json.dumps({'zh': zh, 'en': en, 'hooks': len(group.commands.hooks)}))\n"
    )
    seen = _fresh(code, isolated)
    assert "已完成" in str(seen["zh"])
    assert str(seen["en"]).startswith("Status → done")
    assert seen["hooks"] == 0


def test_the_console_script_runs_a_command_from_a_fresh_process(isolated: Path) -> None:
    env = {"TRACKER_DB": str(isolated / "t.db"), "TRACKER_LANG": "zh", "PATH": "/usr/bin:/bin"}
    env["TRACKER_TODAY"] = "2020-04-15"
    run = [sys.executable, "-m", "tracker"]
    load = subprocess.run([*run, "load", str(FIXTURE)], capture_output=True, text=True, env=env)
    assert load.returncode == 0, load.stderr
    done = subprocess.run([*run, "done", "1"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "#1" in done.stdout
    helped = subprocess.run([*run, "done", "--help"], capture_output=True, text=True, env=env)
    assert helped.stdout.startswith("用法：python -m tracker done")
    assert "状态 → 已完成。" in helped.stdout and "随本次变更记录的备注" in helped.stdout
    typo = subprocess.run([*run, "dne", "1"], capture_output=True, text=True, env=env)
    assert typo.returncode == 2
    assert "done" in typo.stderr and "Traceback" not in typo.stderr
