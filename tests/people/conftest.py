"""People fixtures: a managed database (plan.toml loaded, a person of every role) per test.

The managed database is built once per session (through the CLI, at the real date) and copied
into each test's own database file, so that every test starts from the same state:

- ``in-*`` tasks are owned by the village dongcun, below 城关镇 (chengguan): in the scope of the
  roster's chengguan people; ``out-*`` by 石桥镇 (shiqiao), outside it; ``sup-*`` by shiqiao
  with dongcun as a supporting unit (配合单位).
- ``*-todo`` are todo; ``*-done`` were marked done by ``doer``; ``*-req`` have an open
  postponement request to 2020-05-20 (``in-req`` filed by ``staff``, the others by ``doer``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from people_helpers import PLAN, REQUESTED, ROSTER, uid
from typer.testing import CliRunner, Result

Act = Callable[..., Result]


def _build(path: Path) -> None:
    from tracker.cli import app

    runner = CliRunner()
    env = {"TRACKER_DB": str(path), "TRACKER_LANG": "en", "TRACKER_TODAY": None}

    def run(user: str, *args: str) -> None:
        r = runner.invoke(app, ["--user", user, *args], env=env, catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)

    run("planner", "load", str(PLAN))
    for name, role, units in ROSTER:
        run(
            "admin",
            "people",
            "add",
            name,
            "--role",
            role,
            *(a for u in units for a in ("--unit", u)),
        )
    run("doer", "done", uid("in-done"), uid("out-done"), uid("sup-done"))
    run("staff", "postpone", uid("in-req"), REQUESTED, "--reason", "雨季施工")
    for key in ("out-req", "sup-req"):
        run("doer", "postpone", uid(key), REQUESTED, "--reason", "材料未到")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("people") / "managed.db"
    _build(path)
    return path


@pytest.fixture
def managed(template: Path, db_path: Path) -> Path:
    """The test's database: a copy of the managed template."""
    src, dst = sqlite3.connect(template), sqlite3.connect(db_path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return db_path


@pytest.fixture
def act(cli: Callable[..., Result]) -> Act:
    """``act(person, *args, input=None, today=None)``: the CLI run as ``person``."""

    def run(person: str, *args: str, input: str | None = None, today: str | None = None) -> Result:
        head = ["--user", person] + (["--today", today] if today else [])
        return cli(*head, *args, input=input)

    return run
