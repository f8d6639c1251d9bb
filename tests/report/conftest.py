"""The scripted season the report tests share: a small plan, real loads, real actions.

Expected figures for it are worked out by hand in test_report_weekly.py.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "report"
SMALL = FIXTURES / "small.toml"

# (today, user, command...) — ids follow the plan's expansion order:
# 1 zhenggai/fpb due 03-20, 2 qingjie/town-a 04-03, 3 qingjie/town-b 04-03,
# 4 renju/fpb (target 119) 04-30, 5 diaodu 03-27, 6 diaodu 04-10, 7 daolu/cun-1 04-08,
# 8 chanye/town-b 05-15 (summer).
SCRIPT: list[tuple[str, str, tuple[str, ...]]] = [
    ("2020-03-18", "alice", ("done", "1")),  # W12, on time
    ("2020-03-25", "bob", ("start", "2")),  # W13
    ("2020-03-26", "alice", ("progress", "4", "30")),
    ("2020-03-30", "bob", ("done", "5")),  # W14, 3 days late
    ("2020-04-02", "bob", ("done", "2")),  # on time
    ("2020-04-03", "alice", ("block", "3", "--reason", "资金未到位")),
    ("2020-04-03", "alice", ("progress", "4", "+27")),
    ("2020-04-06", "alice", ("verify", "1")),  # W15
    ("2020-04-07", "bob", ("postpone", "7", "2020-04-17", "--reason", "雨季施工受阻")),
    ("2020-04-08", "carol", ("start", "3")),
    ("2020-04-09", "alice", ("done", "6")),  # on time
    ("2020-04-14", "bob", ("done", "3")),  # W16, 11 days late
    ("2020-04-15", "alice", ("reopen", "5", "--note", "会议纪要缺失")),
]


def run_ok(cli: Callable[..., Result], *args: str) -> Result:
    result = cli(*args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


@pytest.fixture(scope="session")
def season_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The season played once per test session, into a database file the tests copy."""
    from typer.testing import CliRunner

    from tracker.cli import app

    path = tmp_path_factory.mktemp("season") / "season.db"
    runner = CliRunner()

    def cli(*args: str) -> Result:
        return runner.invoke(app, ["--db", str(path), *args], catch_exceptions=False)

    run_ok(cli, "--today", "2020-03-01", "--user", "planner", "load", str(SMALL))
    for today, user, command in SCRIPT:
        run_ok(cli, "--today", today, "--user", user, *command)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def season(cli: Callable[..., Result], season_db: Path, db_path: Path) -> Callable[..., Result]:
    """The small plan loaded on 2020-03-01 and every change of SCRIPT applied."""
    shutil.copyfile(season_db, db_path)
    return cli
