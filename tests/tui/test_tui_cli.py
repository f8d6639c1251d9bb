"""``tracker tui`` and ``tracker serve``: wiring, safe defaults, and no textual elsewhere."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import Result


def test_help_and_list_never_import_textual() -> None:
    code = (
        "import sys\n"
        "from tracker.cli import app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "CliRunner().invoke(app, ['list'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'tracker.tui'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tui_runs_the_app_on_the_global_options(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    from tracker.tui.app import TrackerApp

    seen: dict[str, Any] = {}

    def fake_run(self: TrackerApp) -> None:
        seen.update(ctx=self.ctx)

    monkeypatch.setattr(TrackerApp, "run", fake_run)
    result = cli("--today", "2020-04-15", "--lang", "zh", "tui")
    assert result.exit_code == 0, result.stderr
    ctx = seen["ctx"]
    assert (str(ctx.today), ctx.lang, ctx.user, Path(ctx.db_path)) == (
        "2020-04-15",
        "zh",
        "tester",
        db_path,
    )


def test_tui_on_a_bad_database_is_one_line(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path), "tui")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


class FakeServer:
    """Stands in for textual_serve.server.Server; records how it was built."""

    made: ClassVar[dict[str, Any]] = {}

    def __init__(self, command: str, **kwargs: Any) -> None:
        FakeServer.made = {"command": command, **kwargs}

    def serve(self) -> None:
        FakeServer.made["served"] = True


def test_serve_binds_localhost_and_runs_the_tui(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    result = cli("--lang", "zh", "serve")
    assert result.exit_code == 0, result.stderr
    made = FakeServer.made
    assert made["host"] == "localhost" and made["port"] == 8000 and made["served"]
    command = made["command"]
    assert command.endswith(" tui") and str(db_path.resolve()) in command
    assert "--lang zh" in command and "--user tester" in command
    assert "--today" not in command  # each visit uses the real date


def test_serve_host_and_replayed_day_are_passed_on(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    result = cli("--today", "2020-04-15", "serve", "--host", "0.0.0.0", "--port", "9000")
    assert result.exit_code == 0, result.stderr
    assert (FakeServer.made["host"], FakeServer.made["port"]) == ("0.0.0.0", 9000)
    assert "--today 2020-04-15" in FakeServer.made["command"]
