"""A database written by version 1, opened by this version (people.md: open until someone is
added). Version 1 is the code of commit 3be2c79 (the last before people), taken out of this
checkout's git history with ``git archive`` and run as ``python -m tracker``."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from people_helpers import Act, dump, ok, refused, rows, show

REPO = Path(__file__).resolve().parents[2]
V1 = "3be2c79"
COUNTY = REPO / "campaigns" / "county-2020.toml"

# (person, --today, command…): version 1 has no roles, so anyone does anything.
V1_SESSION: list[tuple[str, str, list[str]]] = [
    ("规划员", "2020-04-10", ["load", str(COUNTY)]),
    ("张三", "2020-04-10", ["done", "4", "5", "--note", "已报送"]),
    ("李四", "2020-04-11", ["verify", "4"]),
    ("王五", "2020-04-12", ["note", "6", "入户核查"]),
    ("王五", "2020-04-12", ["postpone", "7", "2020-05-30", "--reason", "汛期"]),
    ("张三", "2020-04-13", ["start", "8"]),
    ("张三", "2020-04-13", ["undo"]),
    ("张三", "2020-04-13", ["done", "9"]),
    ("李四", "2020-04-14", ["reopen", "9", "--note", "材料不全"]),
    ("王五", "2020-04-15", ["done", "9"]),
    ("赵六", "2020-04-15", ["progress", "1", "+1"]),
    ("赵六", "2020-04-16", ["done", "10"]),
    ("赵六", "2020-04-16", ["undo"]),
    ("钱七", "2020-04-16", ["done", "11"]),
    ("钱七", "2020-04-16", ["verify", "11"]),  # self-verified, as version 1 allowed
    ("钱七", "2020-04-16", ["block", "12", "--reason", "资金未到位"]),
]
# task id → (status, done_by, verified_by) expected from the version 1 log
WHO = {
    1: ("doing", None, None),
    4: ("verified", "张三", "李四"),
    5: ("done", "张三", None),
    6: ("todo", None, None),
    8: ("todo", None, None),
    9: ("done", "王五", None),
    10: ("todo", None, None),
    11: ("verified", "钱七", "钱七"),
    12: ("blocked", None, None),
}


@dataclass(frozen=True)
class V1Db:
    path: Path
    history: str  # `tracker history` as version 1 printed it
    history_json: list[dict[str, object]]
    events: int


def _v1_code(root: Path) -> Path:
    code = root / "code"
    code.mkdir()
    try:
        tar = subprocess.run(
            ["git", "-C", str(REPO), "archive", V1, "tracker"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"version 1 ({V1}) is not in this checkout's git history")
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(code, filter="data")
    return code


@pytest.fixture(scope="module")
def v1_db(tmp_path_factory: pytest.TempPathFactory) -> V1Db:
    root = tmp_path_factory.mktemp("v1")
    code = _v1_code(root)
    db = root / "v1.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env |= {"PYTHONPATH": str(code), "TRACKER_DB": str(db), "TRACKER_LANG": "en"}
    env |= {"LANG": "C.UTF-8", "COLUMNS": "120"}

    def run(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import tracker.store.migrations as m; print(m.__file__)"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(where.strip()).is_relative_to(code), where  # the version 1 code runs
    for user, today, args in V1_SESSION:
        run("--user", user, "--today", today, *args)
    conn = sqlite3.connect(db)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations")]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert names[-1] == "m007_noted_events_index" and "people" not in tables
    history = run("history")
    history_json = json.loads(run("history", "--json"))
    return V1Db(db, history, history_json, events)


@pytest.fixture
def migrated(v1_db: V1Db, db_path: Path) -> Path:
    """A copy of the version 1 database as the test's database (opened: migrated)."""
    src, dst = sqlite3.connect(v1_db.path), sqlite3.connect(db_path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return db_path


def test_v1_database_migrates_with_its_history(v1_db: V1Db, migrated: Path, act: Act) -> None:
    assert ok(act("随便谁", "history")).stdout == v1_db.history
    names = [n for (n,) in rows(migrated, "SELECT name FROM _sqlite_migrations")]
    assert "m008_people" in names
    assert rows(migrated, "SELECT count(*) FROM events") == [(v1_db.events,)]
    now = json.loads(ok(act("随便谁", "history", "--json")).stdout)
    keys = ("id", "batch", "task_id", "at", "user", "action", "before", "after", "note", "undone")
    assert [{k: e[k] for k in keys} for e in now] == [
        {k: e[k] for k in keys} for e in v1_db.history_json
    ]


def test_v1_done_by_and_verified_by_come_from_the_log(migrated: Path, act: Act) -> None:
    found = {i: show(act, str(i), "随便谁") for i in WHO}
    assert {i: (t["status"], t["done_by"], t["verified_by"]) for i, t in found.items()} == WHO


def test_v1_postponement_and_notes_kept(migrated: Path, act: Act) -> None:
    t = show(act, "7", "随便谁")
    assert (t["due"], t["planned_due"], t["postponed"]) == ("2020-05-30", "2020-02-28", 1)
    assert t["postpone_request"] is None
    assert [(n["user"], n["text"]) for n in show(act, "6", "随便谁")["notes"]] == [
        ("王五", "入户核查")
    ]
    assert show(act, "12", "随便谁")["blocked_reason"] == "资金未到位"


def test_v1_database_stays_open_until_someone_is_added(migrated: Path, act: Act) -> None:
    assert json.loads(ok(act("随便谁", "people", "list", "--json")).stdout) == []
    ok(act("孙八", "done", "13"))
    ok(act("孙八", "verify", "13"))  # open: version 1 rules
    ok(act("孙八", "postpone", "14", "2020-06-30", "--reason", "汛期"))
    assert show(act, "14", "孙八")["due"] == "2020-06-30"
    ok(act("孙八", "people", "add", "局长", "--role", "admin"))
    refused(act("孙八", "list"), "孙八", "not in the roster")
    ok(act("局长", "people", "add", "张三", "--role", "verifier"))
    before = dump(migrated)
    # 张三 marked task 5 done under version 1: the log says so, no self-销号 now
    refused(act("张三", "verify", "5"), "no self-verification", "张三")
    assert dump(migrated) == before
    ok(act("局长", "verify", "5"))
    assert show(act, "5", "局长")["verified_by"] == "局长"
