"""Backups: ``tracker backup FILE`` copies consistently while others write; loads that withdraw
or remove anything, and migrations of a database holding data, take a backup first.

Consistency is checked on an invariant that only whole transactions keep: a writer moves ten
tasks together between blocked and doing (one command, one transaction each time), so in any
consistent copy the ten share one status and the writer's history is a multiple of ten rows.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from rel_helpers import COUNTS, REPO, SPEC_PLAN, dump, integrity, run_tracker, tracker_env
from typer.testing import Result

WORKER = Path(__file__).with_name("rel_worker.py")


def plan_text(units: list[str], extra_task: bool = False) -> str:
    out = ['[plan]\nid = "bk"\ntitle = "备份"\nyear = 2020\ncalendar = "none"\n']
    out += [f'[units.{u}]\nname = "单位{u}"\n' for u in units]
    out.append('[[campaign]]\nkey = "c"\nname = "活动"\nstart = 2020-03-01\nend = 2020-06-30\n')
    out.append('[[campaign.task]]\nkey = "a"\ntitle = "{unit}任务"\neach = [')
    out.append(", ".join(f'"{u}"' for u in units) + "]\n")
    if extra_task:
        out.append('[[campaign.task]]\nkey = "extra"\ntitle = "新增"\nowner = "u0"\n')
    return "".join(out)


def test_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    units = [f"u{i}" for i in range(10)]
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text(units), encoding="utf-8")
    assert run_tracker("load", str(plan), db=db).returncode == 0
    uids = [f"bk/c/a/{u}" for u in units]
    assert run_tracker("start", *uids, db=db).returncode == 0
    commands = []
    for _ in range(25):
        commands += [["block", *uids, "--reason", "等待"], ["start", *uids]]
    (tmp_path / "w.json").write_text(json.dumps(commands), encoding="utf-8")
    start_at = time.time() + 1.5
    writer = subprocess.Popen(
        [sys.executable, str(WORKER), str(start_at), str(tmp_path / "w.json"), str(tmp_path / "o")],
        env=tracker_env(db, user="writer"),
        cwd=REPO,
    )
    time.sleep(max(0.0, start_at - time.time()))
    copies = []
    while writer.poll() is None or len(copies) < 3:
        copy = tmp_path / f"copy{len(copies)}.db"
        proc = run_tracker("backup", str(copy), db=db)
        assert proc.returncode == 0, proc.stderr
        assert str(copy) in proc.stdout
        copies.append(copy)
    assert writer.wait(timeout=120) == 0
    results = json.loads((tmp_path / "o").read_text(encoding="utf-8"))
    assert all(r["code"] == 0 for r in results), [r["stderr"] for r in results if r["code"]]
    seen = set()
    for copy in copies:
        assert integrity(copy) == "ok"
        conn = sqlite3.connect(copy)
        statuses = {r[0] for r in conn.execute("SELECT status FROM tasks WHERE plan = 'bk'")}
        writes = conn.execute("SELECT COUNT(*) FROM events WHERE user = 'writer'").fetchone()[0]
        conn.close()
        assert len(statuses) == 1, f"{copy.name} caught a command half done: {statuses}"
        assert writes % 10 == 0
        seen.add(writes)
        COUNTS["backups"] += 1
    assert len(seen) > 1, "the backups did not run while the writer wrote"


def _load(cli: Callable[..., Result], plan: Path) -> dict[str, object]:
    result = cli("load", "--json", str(plan))
    assert result.exit_code == 0, result.stderr
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def _backups(db: Path) -> list[Path]:
    folder = db.with_name(db.name + ".backups")
    return sorted(folder.glob("*.db")) if folder.exists() else []


def test_load_that_withdraws_or_removes_backs_up_first_and_says_where(
    cli: Callable[..., Result], db_path: Path, isolated: Path
) -> None:
    plan = isolated / "plan.toml"
    plan.write_text(plan_text(["u0", "u1", "u2"]), encoding="utf-8")
    assert _load(cli, plan)["backup"] is None  # a first load: nothing to lose
    assert cli("done", "bk/c/a/u1").exit_code == 0
    before = dump(db_path)

    plan.write_text(plan_text(["u0", "u1", "u2"], extra_task=True), encoding="utf-8")
    assert _load(cli, plan)["backup"] is None  # only adds: no backup
    assert _backups(db_path) == []
    before = dump(db_path)

    plan.write_text(plan_text(["u0"]), encoding="utf-8")  # u1 withdrawn (done), u2 removed
    dry = cli("load", "--dry-run", str(plan))
    assert dry.exit_code == 0 and _backups(db_path) == []  # a dry run writes nothing at all
    summary = _load(cli, plan)
    assert summary["withdrawn"] == 1 and summary["removed"] == 2  # u2 and the extra task
    (backup,) = _backups(db_path)
    assert summary["backup"] == str(backup)
    assert dump(backup) == before  # exactly the state before the load
    assert integrity(backup) == "ok"
    COUNTS["backups"] += 1

    # the human summary names it too
    plan.write_text(plan_text(["u0", "u1", "u2"]), encoding="utf-8")
    assert cli("load", str(plan)).exit_code == 0  # restores u1, adds u2: no backup
    assert len(_backups(db_path)) == 1
    plan.write_text(plan_text(["u0", "u1"]), encoding="utf-8")
    text = cli("load", str(plan))
    assert text.exit_code == 0
    newest = _backups(db_path)
    assert len(newest) == 2
    assert any(str(p) in text.stdout for p in newest), text.stdout


@pytest.fixture
def pending_migration() -> Iterator[list[str]]:
    """A migration m999 registered for this test only; yields the names it ran on."""
    from sqlite_utils import Database

    from tracker.store.migrations import MIGRATIONS

    ran: list[str] = []

    def m999_test(db: Database) -> None:
        ran.append(str(db.conn.execute("PRAGMA database_list").fetchone()[2]))
        db.execute("CREATE TABLE m999_marker (x INTEGER)")

    MIGRATIONS.append(m999_test)
    try:
        yield ran
    finally:
        MIGRATIONS.remove(m999_test)


def test_migration_of_a_database_with_data_backs_up_first(
    cli: Callable[..., Result], db_path: Path, isolated: Path, pending_migration: list[str]
) -> None:
    from tracker.store.migrations import MIGRATIONS

    # an empty database is created and migrated without a backup
    fresh = isolated / "fresh.db"
    assert cli("--db", str(fresh), "list").exit_code == 0
    assert pending_migration and _backups(fresh) == []
    # a database written by the current release, holding a plan and progress
    pending = MIGRATIONS.pop()
    try:
        assert cli("load", str(SPEC_PLAN)).exit_code == 0
        assert cli("done", "1").exit_code == 0
    finally:
        MIGRATIONS.append(pending)
    before = dump(db_path)
    assert cli("list").exit_code == 0  # the new release opens it: m999 runs
    (backup,) = _backups(db_path)
    assert "migrat" in backup.name
    assert dump(backup) == before
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM m999_marker").fetchone() == (0,)
    conn.close()
    assert cli("list").exit_code == 0  # once migrated, no more backups
    assert len(_backups(db_path)) == 1
    COUNTS["backups"] += 1


def test_backup_refuses_to_overwrite_the_live_database(
    cli: Callable[..., Result], db_path: Path
) -> None:
    assert cli("load", str(SPEC_PLAN)).exit_code == 0
    before = dump(db_path)
    result = cli("backup", str(db_path))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_backup_of_a_missing_database_creates_nothing(
    cli: Callable[..., Result], db_path: Path, isolated: Path
) -> None:
    result = cli("backup", str(isolated / "copy.db"))
    assert result.exit_code == 2
    assert not db_path.exists() and not (isolated / "copy.db").exists()


def test_automatic_backups_are_pruned(tmp_path: Path) -> None:
    from tracker.store import backup
    from tracker.store.db import open_db

    db = open_db(tmp_path / "t.db")
    for i in range(backup.KEEP_AUTOMATIC + 3):
        backup.automatic_backup(db, tmp_path / "t.db", "load", datetime(2020, 4, 15, 9, 0, i))
    assert len(_backups(tmp_path / "t.db")) == backup.KEEP_AUTOMATIC


def test_staff_opening_a_database_to_migrate_together_all_succeed(
    cli: Callable[..., Result], db_path: Path
) -> None:
    """After an upgrade, six staff tick tasks at the same moment on a database with a pending
    migration: one process backs up and migrates under the write lock, the others wait for it
    and find nothing left to do. Every command succeeds; exactly one backup is taken."""
    assert cli("load", str(SPEC_PLAN)).exit_code == 0
    conn = sqlite3.connect(db_path)
    # m005 only creates an index IF NOT EXISTS, so it can run again: pending once more.
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_report_targets_index'")
    conn.execute("DROP INDEX tasks_targets")
    conn.commit()
    conn.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "done", str(i)],
            env=tracker_env(db_path, user=f"clerk{i}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(1, 7)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "→ done" in out and err == ""
    assert len(_backups(db_path)) == 1
    conn = sqlite3.connect(db_path)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    done = conn.execute("SELECT count(*) FROM tasks WHERE status = 'done'").fetchone()[0]
    conn.close()
    assert names.count("m005_report_targets_index") == 1 and "tasks_targets" in indexes
    assert done == 6
