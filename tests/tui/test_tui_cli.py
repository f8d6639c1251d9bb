"""``tracker tui`` and ``tracker serve``: wiring, safe defaults, and no textual elsewhere."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def test_serve_hands_its_options_to_the_server(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.serve.run

    seen: dict[str, Any] = {}

    def fake_serve(ctx: Any, options: Any, *, replay: Any, announce: Any) -> None:
        seen.update(options=options, replay=replay, user=ctx.user)

    monkeypatch.setattr(tracker.serve.run, "serve", fake_serve)
    result = cli("--today", "2020-04-15", "serve", "--port", "9000", "--max-sessions", "5")
    assert result.exit_code == 0, result.stderr
    options = seen["options"]
    assert (options.host, options.port, options.max_sessions) == ("localhost", 9000, 5)
    assert str(seen["replay"]) == "2020-04-15"  # a replayed day stays replayed
    assert cli("serve", "--max-sessions", "0").exit_code == 2
