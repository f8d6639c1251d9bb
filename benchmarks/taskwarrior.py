"""Taskwarrior 2.6 as the reference for the per-command benchmarks.

The same instances the tracker holds are converted to Taskwarrior JSON and loaded with
``task import`` into a private data directory; then the analogues of ``tracker list``,
``tracker done`` and the weekly report are timed as processes, like the tracker's.

Settings (in a private ``taskrc``), chosen to favour Taskwarrior where there is a choice:

- ``confirmation=off``, ``verbose=nothing``, ``color=off``, ``detection=off``, ``hooks=off``:
  no prompts, no footnotes, no terminal probing, no hook scripts;
- ``gc=off``: Taskwarrior's default (``gc=on``) rewrites ``pending.data`` and renumbers ids on
  the next report after any change, which at 100k tasks costs a full rewrite; off, reports
  only read. Tasks are addressed by uuid, so stable ids are not needed;
- ``recurrence=off``: the instances are already expanded, Taskwarrior has no templates to
  generate from.

Usable alone to try the harness: ``python benchmarks/taskwarrior.py --instances 10000``;
``python benchmarks/taskwarrior.py convert DB OUT.json`` writes the import file for a database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

NAMESPACE = uuid.UUID("6f1c2a4e-5b7d-4e0a-9c3f-2d8b1e7a9c10")
TAGS_SAFE = str.maketrans({"-": "_", " ": "_", ":": "_", "+": "_"})


def task_uuid(uid: str) -> str:
    """A deterministic Taskwarrior uuid for a tracker uid."""
    return str(uuid.uuid5(NAMESPACE, uid))


def owner_tag(key: str) -> str:
    """The tag that stands for a unit: ``o_t05_v03``."""
    return "o_" + key.translate(TAGS_SAFE)


def _tw_time(d: str) -> str:
    """An ISO date or timestamp (local, taken as UTC) in Taskwarrior's ``YYYYMMDDTHHMMSSZ``."""
    if "T" in d:
        dt = datetime.fromisoformat(d)
    else:
        dt = datetime.combine(date.fromisoformat(d), datetime.min.time())
    return dt.strftime("%Y%m%dT%H%M%SZ")


def to_taskwarrior(
    rows: Iterable[dict], parents: dict[str, str | None], *, entry: str = "2020-01-01"
) -> list[dict]:
    """Taskwarrior JSON for tracker instances.

    ``description`` = title, ``project`` = campaign key, ``due`` = due date, ``tags`` = the
    owner unit and every unit above it except the root (so that ``+o_t05`` selects a town and
    its villages, like ``tracker list --owner t05``) plus the plan's own tags, ``priority`` H/L,
    and done/verified instances as ``completed`` with their ``end``.
    """
    ancestors: dict[str, list[str]] = {}

    def chain(key: str) -> list[str]:
        if key not in ancestors:
            out = []
            k: str | None = key
            while k is not None and parents.get(k) is not None:
                out.append(owner_tag(k))
                k = parents.get(k)
            ancestors[key] = out or [owner_tag(key)]
        return ancestors[key]

    entry_ts = _tw_time(entry)
    tasks = []
    for r in rows:
        tags = chain(r["owner"]) + [str(t).translate(TAGS_SAFE) for t in r.get("tags") or []]
        t: dict = {
            "uuid": task_uuid(r["uid"]),
            "description": r["title"],
            "project": r["campaign"],
            "due": _tw_time(r["due"]),
            "entry": entry_ts,
            "tags": tags,
            "status": "pending",
        }
        if r.get("priority") == "high":
            t["priority"] = "H"
        elif r.get("priority") == "low":
            t["priority"] = "L"
        if r.get("status") in ("done", "verified"):
            t["status"] = "completed"
            t["end"] = _tw_time(r.get("done_at") or r["due"])
        tasks.append(t)
    return tasks


@dataclass
class TaskwarriorInfo:
    available: bool
    version: str = ""
    note: str = ""
    binary: str = ""


def ensure_installed(*, install: bool = True, log: Path | None = None) -> TaskwarriorInfo:
    """Find ``task``; install the Debian package if missing and allowed. Never raises."""
    exe = shutil.which("task")
    notes = []
    if exe is None and install:
        apt = shutil.which("apt-get")
        if apt is None:
            notes.append("apt-get not found")
        else:
            prefix: list[str] = []
            if os.geteuid() != 0:
                if shutil.which("sudo"):
                    prefix = ["sudo", "-n"]
                else:
                    notes.append("not root and no sudo")
            if not notes:
                env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
                cmds = [
                    [*prefix, apt, "install", "-y", "taskwarrior"],
                    [*prefix, apt, "update"],
                    [*prefix, apt, "install", "-y", "taskwarrior"],
                ]
                for i, cmd in enumerate(cmds):
                    if i == 1 and shutil.which("task"):
                        break
                    try:
                        p = subprocess.run(
                            cmd, capture_output=True, text=True, env=env, timeout=900
                        )
                    except (OSError, subprocess.TimeoutExpired) as e:
                        notes.append(f"{' '.join(cmd)}: {e}")
                        continue
                    if log:
                        with log.open("a") as f:
                            f.write(f"$ {' '.join(cmd)}\n{p.stdout}\n{p.stderr}\n")
                    if p.returncode != 0 and i != 0:
                        notes.append(f"{' '.join(cmd[-3:])} failed: {p.stderr.strip()[-200:]}")
                exe = shutil.which("task")
    if exe is None:
        return TaskwarriorInfo(False, note="; ".join(notes) or "task not installed")
    try:
        v = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        version = v.stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return TaskwarriorInfo(False, note=f"task --version failed: {e}")
    return TaskwarriorInfo(True, version=version, binary=exe, note="; ".join(notes))


TASKRC = """\
data.location={data}
confirmation=off
verbose=nothing
color=off
detection=off
hooks=off
gc=off
recurrence=off
defaultwidth=160
"""


@dataclass
class Run:
    """One timed process: wall seconds, or None when it did not finish in time."""

    wall: float | None
    rc: int | None
    stdout: str = ""
    stderr: str = ""
    maxrss_kb: int = 0
    stdout_bytes: int = 0  # the whole output's size; ``stdout`` keeps at most its tail


@dataclass
class Taskwarrior:
    """A private Taskwarrior: its own taskrc and data directory under ``root``."""

    root: Path
    binary: str = "task"
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = self.root / "data"
        self.rc = self.root / "taskrc"
        self.env = dict(os.environ, TASKRC=str(self.rc), TASKDATA=str(self.data), TZ="UTC")

    def reset(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.data.mkdir(parents=True)
        self.rc.write_text(TASKRC.format(data=self.data))

    def run(self, args: Sequence[str], *, timeout: float = 600, stdin: str | None = None) -> Run:
        return timed([self.binary, *args], env=self.env, timeout=timeout, stdin=stdin)

    def import_file(self, path: Path, timeout: float = 600) -> Run:
        return self.run(["import", str(path)], timeout=timeout)


def timed(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    stdin: str | None = None,
    cwd: Path | None = None,
    keep: int = 4 << 20,
) -> Run:
    """Run ``cmd`` to completion; wall time around the whole process, and its peak RSS.

    Output goes to temporary files (of which the last ``keep`` bytes are read back, so that a
    15 MB report does not sit in the runner's memory) and the child is reaped with
    ``os.wait4``. On timeout a timer kills its process group and ``wall`` is None.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryFile() as inp,
    ):
        inp.write((stdin or "").encode())
        inp.seek(0)
        t0 = time.perf_counter()
        p = subprocess.Popen(
            list(cmd),
            stdin=inp if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        size = out.seek(0, os.SEEK_END)
        out.seek(max(0, size - keep))
        err.seek(max(0, err.seek(0, os.SEEK_END) - keep))
        o = out.read().decode("utf-8", "replace")
        e = err.read().decode("utf-8", "replace")
    if killed.is_set():
        return Run(None, None, o, f"timeout after {timeout:.0f} s", usage.ru_maxrss, size)
    return Run(wall, p.returncode, o, e, usage.ru_maxrss, size)


def _demo(argv: list[str]) -> int:
    """Import a nominal expansion of a generated plan and time the three operations once."""
    import argparse

    sys.path.insert(0, str(Path(__file__).parent))
    import generate as gen

    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path(__file__).parent / "work" / "tw-demo")
    args = ap.parse_args(argv)
    info = ensure_installed()
    print(info)
    if not info.available:
        return 1
    units, groups, templates = gen.build(args.instances)
    rows = gen.nominal_instances(templates, groups)
    parents = {u.key: u.parent for u in units}
    tw = Taskwarrior(args.work, info.binary)
    tw.reset()
    f = args.work / "import.json"
    f.write_text(json.dumps(to_taskwarrior(rows, parents), ensure_ascii=False))
    r = tw.import_file(f)
    print(f"import {len(rows)}: {r.wall} s rc={r.rc} {r.stderr[-300:]}")
    lst = ["+o_t05", "due.after:2020-04-14", "due.before:2020-04-20", "list"]
    r = tw.run(lst)
    print(f"list: {r.wall} s rc={r.rc} lines={len(r.stdout.splitlines())}")
    target = next(x for x in rows if x["owner"].startswith("t05") and x["due"] >= "2020-04-15")
    r = tw.run([task_uuid(target["uid"]), "done"])
    print(f"done: {r.wall} s rc={r.rc} {r.stdout.strip()[:200]} {r.stderr.strip()[:200]}")
    r = tw.run(["summary"])
    print(f"summary: {r.wall} s rc={r.rc}\n{r.stdout[:600]}")
    return 0


def convert_db(db: Path, out: Path) -> int:
    """Write Taskwarrior JSON for every non-withdrawn instance of a tracker database.

    Run as its own process by ``run.py``: holding 100k instances in memory would raise the
    runner's peak RSS, which Linux hands on to every process it starts afterwards (``exec``
    keeps the larger of the old and new peaks in ``ru_maxrss``), and so would falsify the
    TUI's peak-RSS figure.
    """
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as c:
        c.row_factory = sqlite3.Row
        rows = [
            dict(r)
            for r in c.execute(
                "SELECT uid, plan, campaign, title, owner, due, tags, priority, status, done_at "
                "FROM tasks WHERE status != 'withdrawn' ORDER BY id"
            )
        ]
        parents = {k: p for k, p in c.execute("SELECT key, parent FROM units")}
    for r in rows:
        r["tags"] = json.loads(r["tags"] or "[]")
    data = to_taskwarrior(rows, parents)
    out.write_text(json.dumps(data, ensure_ascii=False))
    return len(data)


if __name__ == "__main__":
    if sys.argv[1:2] == ["convert"]:
        print(convert_db(Path(sys.argv[2]), Path(sys.argv[3])))
        sys.exit(0)
    sys.exit(_demo(sys.argv[1:]))
