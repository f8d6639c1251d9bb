"""A first load's rows made by a child process (store/stream.py): the same rows, ids and hashes
as a load that makes them itself, and every failure on the way ends in that load."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput
from tracker.plan import read_plan_lazy
from tracker.store import bulk as bulk_mod
from tracker.store import load as load_mod
from tracker.store import stream
from tracker.store.bulk import BULK_INSERT
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.store.rows import STREAM_FIELDS, TaskRow, stream_values

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="needs os.fork (Linux) and two cores",
)


REAL_SINGLE_THREADED = stream.single_threaded


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests of the session may leave a thread behind (an idle executor's): here the
    process counts as single-threaded, as the command line is; the guard has its own test."""
    monkeypatch.setattr(stream, "single_threaded", lambda: True)


N_UNITS = 200  # × 53 weeks × 2 tasks: 21,200 instances, over BULK_INSERT


def plan_file(tmp_path: Path, *, duplicate: bool = False, name: str = "big.toml") -> Path:
    units = [f"v{i:03d}" for i in range(N_UNITS)]
    out = ["[plan]", 'id = "big"', 'title = "压力测试"', "year = 2020", 'calendar = "none"']
    out += ["", "[units.county]", 'name = "县委县政府"', "", "[units]"]
    out += [f'{u} = {{ name = "第{u}村", parent = "county" }}' for u in units]
    out += ["", "[groups]", "villages = [" + ", ".join(f'"{u}"' for u in units) + "]", ""]
    out += ["[[campaign]]", 'key = "year"', 'name = "全年"', "start = 2020-01-01"]
    out += ["end = 2020-12-31", ""]
    for key, title in (("weekly", "周报"), ("check", "自查")):
        out += ["  [[campaign.task]]", f'  key = "{key}"', f'  title = "{{unit}}{title}"']
        out += ['  each = "villages"', '  every = "week"', '  notes = "按时报送，不得迟报。"', ""]
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def rows(db_path: Path) -> list[tuple[Any, ...]]:
    """Every column of every row but the two clock columns (the loads ran at other moments)."""
    conn = sqlite3.connect(db_path)
    try:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(tasks)")]
        cols = [c for c in cols if c not in ("created_at", "updated_at")]
        return conn.execute(f"SELECT {', '.join(cols)} FROM tasks ORDER BY id").fetchall()
    finally:
        conn.close()


def load(db_path: Path, plan: Path, ctx: Context) -> load_mod.LoadSummary:
    db = open_db(db_path)
    try:
        return load_expansion(db, read_plan_lazy(plan), ctx)
    finally:
        db.close()


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children the loads start."""
    pids: list[int] = []
    real = stream.RowStream.start

    def recorded(*args: Any) -> stream.RowStream:
        s = real(*args)
        pids.append(s.pid)
        return s

    monkeypatch.setattr(load_mod.RowStream, "start", recorded)
    return pids


@pytest.fixture
def made_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time a load makes its rows in this process (``diff.make_rows``)."""
    calls: list[int] = []
    real = load_mod.make_rows

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(load_mod, "make_rows", counted)
    return calls


def assert_made_here(
    summary: load_mod.LoadSummary, db_path: Path, serial_rows: list[Any],
    children: list[int], made_here: list[int],
) -> None:  # fmt: skip
    """The child was started, failed, and the load made every row itself: the same rows."""
    assert len(children) == 1
    assert made_here == [1]
    assert summary.added == len(serial_rows)
    assert rows(db_path) == serial_rows
    assert reaped(children[0])


def reaped(pid: int) -> bool:
    """Whether the child ``pid`` has ended and been waited for (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def ctx(db_path: Path) -> Context:
    from datetime import date

    return Context(db_path=db_path, today=date(2020, 1, 6), user="planner", lang="en")


@pytest.fixture
def serial_rows(tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The rows of the same first load made in this process (no child)."""
    path = tmp_path / "serial.db"
    with monkeypatch.context() as m:
        m.setattr(bulk_mod, "usable", lambda: False)
        load(path, plan_file(tmp_path), ctx)
    return rows(path)


def test_streamed_first_load_stores_the_same_rows(
    tmp_path: Path, db_path: Path, ctx: Context, serial_rows: list[Any], children: list[int],
    made_here: list[int],
) -> None:  # fmt: skip
    summary = load(db_path, plan_file(tmp_path), ctx)
    assert len(children) == 1
    assert made_here == []  # every row came from the child
    assert summary.added == summary.instances == len(serial_rows) > BULK_INSERT
    # ids, uids, every plan field, the hashes, created_at: all as the load without the child
    assert rows(db_path) == serial_rows
    assert reaped(children[0])
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(DISTINCT created_at) FROM tasks").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tasks_due", "tasks_owner_due", "tasks_status_due", "tasks_campaign"} <= names
    conn.close()
    # the templates' marks are stored: the reload of the same plan compares nothing
    again = load(db_path, plan_file(tmp_path, name="again.toml"), ctx)
    assert (again.added, again.changed, again.unchanged) == (0, 0, len(serial_rows))
    assert len(children) == 1  # a reload is no first load


def test_an_error_in_the_child_falls_back_to_this_process(
    tmp_path: Path, db_path: Path, ctx: Context, serial_rows: list[Any],
    monkeypatch: pytest.MonkeyPatch, children: list[int], made_here: list[int],
) -> None:  # fmt: skip
    made = [0]
    real = stream.task_values

    def failing(inst: Any, now: str) -> tuple[Any, ...]:  # in the child only: forked with it
        made[0] += 1
        if made[0] == 15_000:
            raise RuntimeError("the child's plan code failed")
        return real(inst, now)

    monkeypatch.setattr(stream, "task_values", failing)
    summary = load(db_path, plan_file(tmp_path), ctx)
    assert made == [0]  # this process made its rows with rows.task_row, never the child's
    assert_made_here(summary, db_path, serial_rows, children, made_here)


def test_a_child_that_dies_falls_back(
    tmp_path: Path, db_path: Path, ctx: Context, serial_rows: list[Any],
    monkeypatch: pytest.MonkeyPatch, children: list[int], made_here: list[int],
) -> None:  # fmt: skip
    def dying(inst: Any, now: str) -> tuple[Any, ...]:
        os._exit(3)

    monkeypatch.setattr(stream, "task_values", dying)
    summary = load(db_path, plan_file(tmp_path), ctx)
    assert_made_here(summary, db_path, serial_rows, children, made_here)


def test_a_duplicate_uid_is_named_as_without_the_child(
    tmp_path: Path, db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch,
    children: list[int],
) -> None:  # fmt: skip
    """The plan engine gives the last instance the first one's uid (on both sides)."""
    plan = plan_file(tmp_path)
    expansion = read_plan_lazy(plan)
    assert expansion.blocks is not None
    first = next(iter(expansion.blocks[0].instances())).uid
    last = expansion.count - 1
    real_values = stream.task_values

    def child_values(inst: Any, now: str) -> tuple[Any, ...]:
        values = real_values(inst, now)
        return (first, *values[1:]) if inst.position == last else values

    from tracker.store import rows as rows_mod

    real_row = rows_mod.task_row

    def own_row(inst: Any, now: str) -> Any:
        row = real_row(inst, now)
        return row._replace(uid=first) if inst.position == last else row

    monkeypatch.setattr(stream, "task_values", child_values)
    monkeypatch.setattr("tracker.store.diff.task_row", own_row)
    with pytest.raises(BadInput) as e:
        load(db_path, plan, ctx)
    assert e.value.key == "store.duplicate_uid"
    assert e.value.params["uid"] == first
    assert rows(db_path) == []  # nothing written
    assert len(children) == 1
    assert reaped(children[0])


def test_another_load_first_makes_this_one_a_reload(
    tmp_path: Path, db_path: Path, ctx: Context,
    serial_rows: list[Any], monkeypatch: pytest.MonkeyPatch, children: list[int],
) -> None:  # fmt: skip
    """The plan is loaded by someone else between the decision to stream and the write
    lock: the child's rows are not used and the load compares, as any reload does."""
    real = load_mod._apply
    plan = plan_file(tmp_path)

    def raced(*args: Any) -> None:
        if args[-1] is not None:  # the streamed try: another process loads first
            with monkeypatch.context() as m:
                m.setattr(bulk_mod, "usable", lambda: False)
                load(db_path, plan, ctx)
        real(*args)

    monkeypatch.setattr(load_mod, "_apply", raced)
    summary = load(db_path, plan, ctx)
    assert (summary.added, summary.unchanged) == (0, len(serial_rows))
    assert rows(db_path) == serial_rows
    assert len(children) == 1
    assert reaped(children[0])


def test_the_child_reads_nothing_else(tmp_path: Path) -> None:
    """What the child sends: plain tuples, in the loader's column order."""
    expansion = read_plan_lazy(plan_file(tmp_path))
    assert expansion.blocks is not None
    s = stream.RowStream.start(expansion.blocks, "big", "2020-01-06T09:00:00")
    try:
        got = [r for chunk in s.chunks() for r in chunk]
    finally:
        s.close()
    first = next(iter(expansion.blocks[0].instances()))
    assert got[0] == stream_values(stream.task_values(first, "2020-01-06T09:00:00"))
    assert len(got[0]) == len(STREAM_FIELDS) == len(TaskRow._fields) - 4
    assert len(got) == expansion.count
    assert all(type(r) is tuple for r in got)
    assert reaped(s.pid)


def test_the_streamed_insert_writes_the_constants_as_text(tmp_path: Path) -> None:
    """The plan and the timestamp are part of the statement, quoted; ``due`` is planned_due."""
    from tracker.store.rows import stream_insert

    expansion = read_plan_lazy(plan_file(tmp_path))
    assert expansion.blocks is not None
    inst = next(iter(expansion.blocks[0].instances()))
    db = open_db(tmp_path / "q.db")
    sql = stream_insert("o'plan", "2020-01-06T09:00:00")
    db.conn.execute(sql, stream_values(stream.task_values(inst, "ignored")))
    got = db.conn.execute("SELECT plan, due, planned_due, created_at, updated_at FROM tasks")
    assert got.fetchall() == [
        ("o'plan", inst.due.isoformat(), inst.due.isoformat(), "2020-01-06T09:00:00",
         "2020-01-06T09:00:00")
    ]  # fmt: skip
    db.close()


def test_no_child_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread that held a lock at the fork would leave the child waiting for it forever."""
    monkeypatch.setattr(stream, "single_threaded", REAL_SINGLE_THREADED)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert stream.single_threaded() is False
        assert stream.usable() is False
    finally:
        release.set()
        other.join()
