"""Replication lag under load (issue 18): the time from a commit to its appearance in a
Litestream replica, while eight staff processes write to the county database.

    python benchmarks/replication.py [--sync-interval 1s] [--monitor-interval 1s] [--seconds 20]

A county plan is loaded; ``litestream replicate`` replicates the database to a local directory
(as docs/deploy.md configures it, with the intervals given here); ``litestream restore -f``
follows the replica into a read-only copy. Eight writer processes
(``tests/reliability/rel_worker.py``, each a member of staff running ``note``/``progress``/
``done`` on tasks of their own) write for ``--seconds``, and a probe commits a row with its
wall-clock time into a side table every 100 ms; the follower copy is polled every 20 ms and
each probe's lag is the time it first appears there minus its commit time. Lag therefore
includes Litestream's sync to the replica and the follower's polling (``-follow-interval``,
100 ms here), i.e. what a standby would see. Work files in ``benchmarks/work/replication/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work" / "replication"
WORKER = REPO / "tests" / "reliability" / "rel_worker.py"
WRITERS = 8
sys.path.insert(0, str(REPO))

from tracker.replica import find_litestream  # noqa: E402


def env(db: Path, user: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    out.update(TRACKER_DB=str(db), TRACKER_USER=user, TRACKER_TODAY="2020-04-15",
               TRACKER_LANG="en", LANG="C.UTF-8",
               PYTHONPATH=str(REPO) + os.pathsep + out.get("PYTHONPATH", ""))  # fmt: skip
    return out


def plan() -> str:
    units = [f"u{i}" for i in range(WRITERS)]
    out = ['[plan]\nid = "lag"\ntitle = "复制延迟"\nyear = 2020\ncalendar = "none"\n']
    out += [f'[units.{u}]\nname = "单位{u}"\n' for u in units]
    out.append("[groups]\nall = [" + ", ".join(f'"{u}"' for u in units) + "]\n")
    out.append('[[campaign]]\nkey = "c"\nname = "活动"\nstart = 2020-03-01\nend = 2020-06-30\n')
    out.append('[[campaign.task]]\nkey = "a"\ntitle = "{unit}a"\neach = "all"\n'
               'target = 1000\nunit = "户"\n')  # fmt: skip
    return "\n".join(out)


def actions(w: int, n: int) -> list[list[str]]:
    task = f"lag/c/a/u{w}"
    out: list[list[str]] = [["start", task]]
    for i in range(n):
        out.append(["note", task, f"w{w} #{i}"] if i % 2 else ["progress", task, f"+{1 + i % 5}"])
    return out


def probe(db: Path, stop: threading.Event, sent: dict[int, float]) -> None:
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_probe (n INTEGER PRIMARY KEY, at REAL)")
    n = 0
    while not stop.is_set():
        n += 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_probe VALUES (?, ?)", (n, time.time()))
        conn.execute("COMMIT")
        sent[n] = time.time()  # committed (the row's own time is just before)
        time.sleep(0.1)
    conn.close()


def watch(copy: Path, stop: threading.Event, seen: dict[int, float]) -> None:
    while not stop.is_set():
        try:
            conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True, timeout=1)
            for (n,) in conn.execute("SELECT n FROM bench_probe"):
                seen.setdefault(n, time.time())
            conn.close()
        except sqlite3.Error:
            pass
        time.sleep(0.02)


def run(sync: str, monitor: str, seconds: float) -> list[float]:
    ls = find_litestream()
    assert ls is not None, "litestream not installed: pip install -e '.[replicate]'"
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    db, replica, copy = WORK / "county.db", WORK / "replica", WORK / "follower.db"
    (WORK / "plan.toml").write_text(plan(), encoding="utf-8")
    load = [sys.executable, "-m", "tracker", "load", str(WORK / "plan.toml")]
    subprocess.run(load, env=env(db, "planner"), check=True, capture_output=True)
    sqlite3.connect(db).execute("CREATE TABLE bench_probe (n INTEGER PRIMARY KEY, at REAL)")
    cfg = WORK / "litestream.yml"
    cfg.write_text(f"dbs:\n  - path: {db}\n    monitor-interval: {monitor}\n    replica:\n"
                   f"      url: {replica.as_uri()}\n      sync-interval: {sync}\n")  # fmt: skip
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    rep = subprocess.Popen([ls, "replicate", "-config", str(cfg)], **quiet)  # type: ignore[call-overload]
    time.sleep(2)
    fol = subprocess.Popen([ls, "restore", "-f", "-follow-interval", "100ms", "-o", str(copy),
                            replica.as_uri()], **quiet)  # type: ignore[call-overload]  # fmt: skip
    time.sleep(2)
    sent: dict[int, float] = {}
    seen: dict[int, float] = {}
    stop = threading.Event()
    threads = [threading.Thread(target=probe, args=(db, stop, sent)),
               threading.Thread(target=watch, args=(copy, stop, seen))]  # fmt: skip
    start_at = time.time() + 2.0
    writers = []
    for w in range(WRITERS):
        f = WORK / f"w{w}.json"
        f.write_text(json.dumps(actions(w, int(seconds * 4))), encoding="utf-8")
        cmd = [sys.executable, str(WORKER), str(start_at), str(f), str(WORK / f"w{w}.out")]
        writers.append(subprocess.Popen(cmd, env=env(db, f"w{w}"), cwd=REPO))
    time.sleep(max(0.0, start_at - time.time()))
    for t in threads:
        t.start()
    for p in writers:
        p.wait()
    busy = time.time() - start_at
    time.sleep(5)  # the last probes reach the copy
    stop.set()
    for t in threads:
        t.join()
    for p in (fol, rep):
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    commits = sum(len(json.loads((WORK / f"w{w}.out").read_text())) for w in range(WRITERS))
    print(
        f"  {commits} tracker commits by {WRITERS} writers in {busy:.1f} s "
        f"({commits / busy:.0f}/s), {len(sent)} probes, {len(seen)} seen in the copy"
    )
    return [seen[n] - sent[n] for n in sent if n in seen]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sync-interval", default="1s")
    ap.add_argument("--monitor-interval", default="1s")
    ap.add_argument("--seconds", type=float, default=20)
    a = ap.parse_args()
    print(f"sync-interval {a.sync_interval}, monitor-interval {a.monitor_interval}:")
    lags = sorted(run(a.sync_interval, a.monitor_interval, a.seconds))
    if not lags:
        print("  no probe reached the replica")
        return
    q = statistics.quantiles(lags, n=100) if len(lags) > 1 else lags * 99
    print(f"  lag: median {statistics.median(lags):.2f} s, p95 {q[94]:.2f} s, "
          f"max {lags[-1]:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
