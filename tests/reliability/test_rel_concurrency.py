"""Concurrency: many staff on one database at once, with a reload running alongside.

Eight worker processes each run ten commands (start, note, done, progress, block …) on their
own tasks, two more race to verify the same five tasks, and a third party reloads the plan
three times meanwhile. Afterwards every change is in the tasks and in the history, nobody saw
"database is locked", and each verification race has exactly one winner.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import COUNTS, REPO, integrity, run_tracker, tracker_env

pytestmark = pytest.mark.slow

WORKERS = 8
UNITS = [f"u{i:02d}" for i in range(12)]
RACES = 5
WORKER = Path(__file__).with_name("rel_worker.py")


def plan_text(revision: int) -> str:
    """Titles change between revisions (and revision 2 adds a task); every uid survives."""
    mark = "" if revision == 1 else "（修订）"
    out = ['[plan]\nid = "conc"\ntitle = "并发"\nyear = 2020\ncalendar = "none"\n']
    out += [f'[units.{u}]\nname = "单位{u}"\n' for u in UNITS]
    out.append("[groups]\nall = [" + ", ".join(f'"{u}"' for u in UNITS) + "]\n")
    out.append('[[campaign]]\nkey = "c"\nname = "活动"\nstart = 2020-03-01\nend = 2020-06-30\n')
    tasks = [("a", ""), ("b", 'target = 100\nunit = "户"\n'), ("c", ""), ("v", "")]
    if revision == 2:
        tasks.append(("d", ""))
    for key, extra in tasks:
        head = f'[[campaign.task]]\nkey = "{key}"\ntitle = "{{unit}}{key}{mark}"\n'
        out.append(f'{head}each = "all"\n{extra}')
    return "\n".join(out)


def uid(task: str, unit: str) -> str:
    return f"conc/c/{task}/{unit}"


def worker_actions(w: int) -> list[list[str]]:
    u = UNITS[w]
    a, b, c = uid("a", u), uid("b", u), uid("c", u)
    return [
        ["start", a],
        ["note", a, f"w{w} 已部署"],
        ["done", a, "--note", f"w{w} 完成"],
        ["progress", b, "30"],
        ["progress", b, "+20", "--note", "第二批"],
        ["note", b, f"w{w} 进度说明"],
        ["block", c, "--reason", "缺资金"],
        ["start", c],
        ["note", c, f"w{w} 资金到位"],
        ["done", c],
    ]


def _spawn(db: Path, user: str, actions: list[list[str]], start_at: float, tmp: Path) -> Any:
    actions_file, out_file = tmp / f"{user}.actions.json", tmp / f"{user}.out.json"
    actions_file.write_text(json.dumps(actions, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(start_at), str(actions_file), str(out_file)],
        env=tracker_env(db, user=user),
        cwd=REPO,
    )
    return proc, out_file


def _events(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_many_writers_and_a_reload_lose_nothing(tmp_path: Path) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(plan_text(1), encoding="utf-8")
    v2.write_text(plan_text(2), encoding="utf-8")
    db = tmp_path / "shared.db"
    assert run_tracker("load", str(v1), db=db).returncode == 0
    races = [uid("v", u) for u in UNITS[:RACES]]
    assert run_tracker("done", *races, db=db, user="setup").returncode == 0

    start_at = time.time() + 2.5  # every process imports first, then all start together
    procs = [_spawn(db, f"w{w}", worker_actions(w), start_at, tmp_path) for w in range(WORKERS)]
    verifiers = [
        _spawn(db, name, [["verify", r] for r in races], start_at, tmp_path)
        for name in ("checker-1", "checker-2")
    ]
    reloads: list[subprocess.CompletedProcess[str]] = []
    spans: list[tuple[float, float]] = []

    def reload_alongside() -> None:
        """Reload (v2, v1, v2, …) from the start line until every worker has finished."""
        time.sleep(max(0.0, start_at - time.time() - 0.3))  # ~ python's start-up time
        plans = [v2, v1]
        while len(reloads) < 3 or any(p.poll() is None for p, _ in procs + verifiers):
            began = time.time()
            reloads.append(run_tracker("load", str(plans[len(reloads) % 2]), db=db))
            spans.append((began, time.time()))
        if len(reloads) % 2 == 0:  # end on v2
            reloads.append(run_tracker("load", str(v2), db=db))

    reloader = threading.Thread(target=reload_alongside)
    reloader.start()
    for proc, _ in procs + verifiers:
        assert proc.wait(timeout=180) == 0
    reloader.join(timeout=180)

    outputs: dict[str, list[dict[str, Any]]] = {}
    for name, (_, out_file) in zip(
        [f"w{w}" for w in range(WORKERS)] + ["checker-1", "checker-2"],
        procs + verifiers,
        strict=True,
    ):
        outputs[name] = json.loads(out_file.read_text(encoding="utf-8"))
    everything = [r["stdout"] + r["stderr"] for rs in outputs.values() for r in rs]
    everything += [p.stdout + p.stderr for p in reloads]
    assert not [t for t in everything if "database is locked" in t or "Traceback" in t]

    # every reload ran to the end, alongside the workers, and the last one's titles are in place
    assert all(p.returncode == 0 for p in reloads), [p.stderr for p in reloads]
    acted = [(r["began"], r["ended"]) for rs in outputs.values() for r in rs]
    assert any(b0 < a1 and a0 < b1 for a0, a1 in acted for b0, b1 in spans), "no overlap"
    assert _events(db, "SELECT title FROM tasks WHERE uid = ?", (uid("a", "u00"),)) == [
        ("单位u00a（修订）",)
    ]

    # every worker command succeeded and is in the history, under its user, in order
    for w in range(WORKERS):
        results = outputs[f"w{w}"]
        assert [r["code"] for r in results] == [0] * 10, results
        rows = _events(
            db,
            "SELECT e.action, t.uid, e.note FROM events e JOIN tasks t ON t.id = e.task_id "
            "WHERE e.user = ? ORDER BY e.id",
            (f"w{w}",),
        )
        expected = [(args[0], args[1]) for args in worker_actions(w)]
        assert [(a, u) for a, u, _ in rows] == expected
        assert rows[5][2] == f"w{w} 进度说明" and rows[6][2] == "缺资金"
        u = UNITS[w]
        state = dict(
            (r[0], r[1:])
            for r in _events(
                db,
                "SELECT uid, status, progress FROM tasks WHERE uid IN (?, ?, ?)",
                (uid("a", u), uid("b", u), uid("c", u)),
            )
        )
        assert state == {
            uid("a", u): ("done", None),
            uid("b", u): ("doing", 50.0),
            uid("c", u): ("done", None),
        }
    COUNTS["concurrent_writes"] += WORKERS * 10

    # each verification race: exactly one winner, the loser refused (not an error)
    for i, race in enumerate(races):
        codes = sorted(outputs[name][i]["code"] for name in ("checker-1", "checker-2"))
        assert codes == [0, 1], [outputs[n][i] for n in ("checker-1", "checker-2")]
        wins = _events(
            db,
            "SELECT COUNT(*) FROM events e JOIN tasks t ON t.id = e.task_id "
            "WHERE t.uid = ? AND e.action = 'verify'",
            (race,),
        )
        assert wins == [(1,)]
        assert _events(db, "SELECT status FROM tasks WHERE uid = ?", (race,)) == [("verified",)]
    COUNTS["concurrent_writes"] += RACES + len(reloads)
    print(f"writers: {WORKERS} x 10 commands, {RACES} verify races, {len(reloads)} reloads")

    # the history agrees with the tasks: each task's last event holds its current state
    for task_uid, status, after in _events(
        db,
        "SELECT t.uid, t.status, e.after FROM tasks t JOIN events e ON e.id = "
        "(SELECT MAX(id) FROM events WHERE task_id = t.id)",
    ):
        assert json.loads(after)["status"] == status, task_uid
    assert integrity(db) == "ok"
