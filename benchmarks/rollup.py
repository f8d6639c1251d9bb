"""The province's roll-up at scale (issue 18): ``tracker rollup`` over 20 county databases of
100k instances each, in ≤ 5 s on a 2-core machine, with its peak memory.

    python benchmarks/rollup.py [--counties 20] [--scale 100k] [--repeats 3]

One county is generated (``generate.py``) and loaded, some staff activity is played into it
(bulk ``done`` over a few weeks, some of it late), it is checkpointed into one file and copied
``--counties`` times; then ``tracker rollup --format json`` (and ``text``) runs over the copies.
Prints wall times and the peak RSS of the roll-up process (``ru_maxrss`` of the child). Work
files stay in ``benchmarks/work/rollup/`` (ignored by git).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work" / "rollup"
TODAY = "2020-06-15"


def _env(db: Path | None, today: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_TODAY=today, TRACKER_USER="bench", TRACKER_LANG="en", LANG="C.UTF-8")
    if db is not None:
        env["TRACKER_DB"] = str(db)
    return env


def _cmd() -> list[str]:
    script = Path(sys.executable).parent / "tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def tracker(
    *args: str, db: Path | None = None, today: str = TODAY
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_cmd(), *args], env=_env(db, today), capture_output=True, text=True, check=False
    )


def county(scale: str) -> Path:
    """One county database of ``scale`` instances with some activity, as one file."""
    db = WORK / f"county-{scale}.db"
    if db.exists():
        return db
    WORK.mkdir(parents=True, exist_ok=True)
    plan = WORK / f"plan-{scale}.toml"
    gen = [sys.executable, str(HERE / "generate.py"), "--scale", scale, "-o", str(plan)]
    subprocess.run(gen, check=True, capture_output=True)
    tmp = db.with_suffix(".tmp.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    r = tracker("load", str(plan), db=tmp, today="2020-03-01")
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(tmp)
    for today in ("2020-03-20", "2020-04-10", "2020-05-08", "2020-06-05"):
        ids = [str(i) for (i,) in conn.execute(
            "SELECT id FROM tasks WHERE due <= ? AND status = 'todo' AND id % 3 != 0 LIMIT 4000",
            (today,))]  # fmt: skip
        r = tracker("done", *ids, db=tmp, today=today)
        assert r.returncode == 0, r.stderr[-500:]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(db)
    return db


def run_rollup(dbs: list[Path], fmt: str) -> tuple[float, int, int, int]:
    """(seconds, exit status, bytes of output, peak RSS in KiB) of one ``tracker rollup``."""
    out = WORK / f"rollup.{fmt}"
    began = time.perf_counter()
    with out.open("wb") as f:
        proc = subprocess.Popen([*_cmd(), "rollup", "--format", fmt, *map(str, dbs)],
                                env=_env(None, TODAY), stdout=f)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return took, proc.returncode, out.stat().st_size, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=20)
    ap.add_argument("--scale", default="100k")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    src = county(args.scale)
    dbs = []
    for i in range(args.counties):
        d = WORK / "counties" / f"c{i:02d}"
        d.mkdir(parents=True, exist_ok=True)
        if not (d / "county.db").exists():
            shutil.copyfile(src, d / "county.db")
        dbs.append(d / "county.db")
    size = src.stat().st_size
    print(f"{args.counties} county databases of {args.scale} instances, {size / 1e6:.1f} MB each")
    for fmt in ("json", "text"):
        times, peak = [], 0
        for _ in range(args.repeats):
            s, rc, out, rss = run_rollup(dbs, fmt)
            assert rc == 0, rc
            times.append(s)
            peak = max(peak, rss)
        print(f"tracker rollup --format {fmt}: min {min(times):.2f} s, "
              f"median {sorted(times)[len(times) // 2]:.2f} s, peak RSS {peak / 1024:.0f} MB "
              f"({out:,} bytes)")  # fmt: skip
    verdict = "PASS" if min(times) <= 5.0 else "FAIL"
    print(f"target ≤ 5 s: {verdict}")


if __name__ == "__main__":
    main()
