"""Several staff on one database at once: real processes, real locks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Each worker waits for the go file, then writes many small transactions as fast as it can.
WORKER = """
import os, sys, time
from datetime import date
from pathlib import Path
from tracker.context import Context
from tracker.store.db import open_db
from tracker.store import actions
db_path, go, user, task = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
n = int(sys.argv[5])
while not go.exists():
    time.sleep(0.001)
ctx = Context(Path(db_path), date(2020, 4, 20), user, "en")
for i in range(n):
    db = open_db(db_path)
    actions.note(db, ctx, task, f"{user} {i}")
    actions.progress(db, ctx, task, "+1")
    db.conn.close()
"""


REPO = Path(__file__).parents[2]


def _env(db: Path) -> dict[str, str]:
    """The processes run this checkout's tracker, whichever one the interpreter has installed."""
    env = dict(os.environ)
    env.update(TRACKER_DB=str(db), TRACKER_TODAY="2020-04-20", TRACKER_LANG="en")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _tracker(db: Path, user: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--user", user, *args],
        env=_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _show(db: Path, ref: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "show", ref, "--json"],
        env=_env(db),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def test_two_processes_hammering_different_tasks(loaded: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    n = 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(loaded), str(go), user, task, str(n)],
            env=_env(loaded),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user, task in (("amy", "1"), ("bob", "2"), ("cai", "3"))
    ]
    time.sleep(0.5)  # let every worker import and wait at the line
    go.touch()
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    for ref in ("1", "2", "3"):
        t = _show(loaded, ref)
        assert t["progress"] == n  # no lost update
        assert len(t["notes"]) == n  # type: ignore[arg-type]
        assert len(t["history"]) == 2 * n  # type: ignore[arg-type]


def test_cli_processes_ticking_different_tasks_all_succeed(loaded: Path) -> None:
    procs = [_tracker(loaded, f"user{i}", "done", str(i)) for i in range(1, 7)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert "→ done" in out and err == ""
    for i in range(1, 7):
        assert _show(loaded, str(i))["status"] == "done"


@pytest.mark.parametrize("n", [4])
def test_only_one_of_several_verifiers_wins(loaded: Path, n: int) -> None:
    first = _tracker(loaded, "planner", "done", "1")
    assert first.wait(timeout=60) == 0
    procs = [_tracker(loaded, f"checker{i}", "verify", "1") for i in range(n)]
    codes = []
    for p in procs:
        _out, err = p.communicate(timeout=60)
        codes.append(p.returncode)
        if p.returncode:
            assert "verified" in err and "locked" not in err
    assert sorted(codes) == [0] + [1] * (n - 1)
    verifies = [h for h in _show(loaded, "1")["history"] if h["action"] == "verify"]  # type: ignore[attr-defined]
    assert len(verifies) == 1
