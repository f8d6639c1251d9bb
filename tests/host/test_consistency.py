"""tracker's own consistency checks (store/consistency.py), the restore drill's second half."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from tracker.store.consistency import check_all
from tracker.store.readonly import open_readonly

SMALL = Path(__file__).parent.parent / "fixtures" / "report" / "small.toml"


def _db(cli: Callable[..., Result], db_path: Path, tmp_path: Path) -> Path:
    assert cli("--today", "2020-03-01", "load", str(SMALL)).exit_code == 0
    assert cli("--today", "2020-03-18", "done", "1").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    copy = tmp_path / "copy" / "c.db"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    return copy


def _checks(path: Path) -> dict[str, tuple[bool, str]]:
    ro = open_readonly(path)
    try:
        return {c.name: (c.ok, c.detail) for c in check_all(ro.store)}
    finally:
        ro.store.close()


def test_a_sound_database_passes(cli: Callable[..., Result], db_path: Path, tmp_path: Path) -> None:
    found = _checks(_db(cli, db_path, tmp_path))
    assert list(found) == ["integrity_check", "schema", "events_have_tasks", "task_rev",
                           "statuses"]  # fmt: skip
    assert all(ok for ok, _ in found.values()), found


def test_each_inconsistency_is_found(
    cli: Callable[..., Result], db_path: Path, tmp_path: Path
) -> None:
    path = _db(cli, db_path, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE tasks SET rev = rev + 1 WHERE id = 2")
    conn.execute("UPDATE tasks SET status = 'lost' WHERE id = 3")
    conn.execute(
        "INSERT INTO events (batch, task_id, at, user, action) VALUES (99, 999, 'x', 'y', 'note')"
    )
    conn.commit()
    conn.close()
    found = _checks(path)
    assert found["integrity_check"][0]
    assert found["events_have_tasks"] == (False, "1")
    assert found["statuses"] == (False, "1")
    assert not found["task_rev"][0]
