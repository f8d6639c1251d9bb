"""Run every benchmark in one go and write ``benchmarks/RESULTS.md``.

    python benchmarks/run.py            # 10k, 100k and 500k instances (about 30-60 minutes)
    python benchmarks/run.py --quick    # 10k only, fewer repeats: a smoke test of the harness

Plans are generated into ``benchmarks/work/`` (ignored by git). Every figure is measured in
this run, next to its reference from the same run: the raw and bare ``executemany`` insert
rates for the loads (``raw_insert.py``), Taskwarrior 2.6 for the per-command figures. See
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402
import profiling  # noqa: E402
import taskwarrior as tw  # noqa: E402
from taskwarrior import Run, timed  # noqa: E402

TODAY = date(2020, 4, 15)
SUNDAY = TODAY + timedelta(days=6 - TODAY.weekday())
LIST_UNIT = "t05"  # a town: --owner includes its villages
SCALE_ORDER = ["10k", "100k", "500k"]
TW_SCALES = {"10k", "100k"}
REFERENCES = ("raw", "bare")  # the insert references, listed last in each scale's table

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured quantity at one scale: its samples and how to read them."""

    label: str
    samples: list[float] = field(default_factory=list)
    unit: str = "s"  # "s" | "MB" | "ms" | "count"
    status: str = "ok"  # ok | not yet measurable | did not finish | failed | not available
    note: str = ""
    per: int = 0  # instances, to show a throughput beside a time
    ref: Figure | None = None  # the reference measured in the same run
    ref_kind: str = ""  # "rate" (ours/ref as throughput) | "speedup" (ref/ours)
    ref_name: str = "raw"  # how a rate ratio names its reference ("… of raw")
    also: dict[str, Figure] = field(default_factory=dict)  # more rate references, by key
    last_output: str = ""  # stdout + stderr of the last timed run

    @property
    def min(self) -> float | None:
        return min(self.samples) if self.samples else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    def ratio(self, ref: Figure | None = None) -> float | None:
        """Throughput share of the reference (rate), or how many times faster (speedup).

        ``ref``: one of ``also`` (a rate reference) instead of ``self.ref``.
        """
        kind = "rate" if ref is not None else self.ref_kind
        ref = ref if ref is not None else self.ref
        if ref is None or not self.samples or not ref.samples:
            return None
        ours, theirs = self.median, ref.median
        if not ours or not theirs:
            return None
        return theirs / ours if kind in ("rate", "speedup") else None


@dataclass
class Results:
    figures: dict[str, dict[str, Figure]] = field(default_factory=dict)
    facts: dict[str, dict[str, str]] = field(default_factory=dict)
    profiles: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    serve: list[str] = field(default_factory=list)  # serve_load.py's section (--serve)
    load_start: str = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    def fig(self, scale: str, key: str, label: str, **kw: object) -> Figure:
        f = Figure(label, **kw)  # type: ignore[arg-type]
        self.figures.setdefault(scale, {})[key] = f
        return f

    def get(self, scale: str, key: str) -> Figure | None:
        return self.figures.get(scale, {}).get(key)

    def fact(self, scale: str, key: str, value: object) -> None:
        self.facts.setdefault(scale, {})[key] = str(value)


# ---------------------------------------------------------------------------------------------
# Running the tracker
# ---------------------------------------------------------------------------------------------


def tracker_cmd() -> tuple[list[str], str]:
    """The installed console script next to this interpreter, else ``python -m tracker``."""
    script = Path(sys.executable).parent / "tracker"
    if script.exists():
        return [str(script)], f"`{script}` (the installed console script)"
    return [sys.executable, "-m", "tracker"], "`python -m tracker` (no console script found)"


TRACKER, TRACKER_HOW = tracker_cmd()


def tracker_env(db: Path, today: date | None = TODAY, user: str = "bench") -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE (set in some sandboxes) would make every run recompile the
    # tracker's own modules, which no installed copy does: bytecode caching stays on.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TRACKER_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env |= {
        "TRACKER_DB": str(db),
        "TRACKER_USER": user,
        "TRACKER_LANG": "en",
        "LANG": "C.UTF-8",
        "COLUMNS": "120",
        "NO_COLOR": "1",
    }
    if today is not None:  # None: the real date (a managed database refuses backdating)
        env["TRACKER_TODAY"] = today.isoformat()
    return env


def run_tracker(
    args: list[str],
    db: Path,
    *,
    today: date | None = TODAY,
    timeout: float = 3600,
    user: str = "bench",
) -> Run:
    env = tracker_env(db, today, user)
    return timed([*TRACKER, *args], env=env, timeout=timeout, cwd=db.parent)


def has_command(*words: str) -> bool:
    r = run_tracker([*words, "--help"], Path("/tmp/tracker-bench-probe.db"), timeout=60)
    return r.rc == 0


def rm_db(db: Path) -> None:
    """Remove a database with its WAL files and the backups the tracker made beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".backups"), ignore_errors=True)


def checkpoint_copy(src: Path, dst: Path) -> None:
    """Copy a WAL database as one file (checkpointed first)."""
    conn = sqlite3.connect(src)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    rm_db(dst)
    shutil.copyfile(src, dst)


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def measure(
    fig: Figure,
    fn: Callable[[int], Run],
    n: int,
    *,
    warmup: bool = True,
    budget_s: float | None = None,
) -> Figure:
    """Run ``fn(i)`` ``n`` times into ``fig``; a failed or timed-out run stops the series.

    With ``budget_s``, stops early (keeping at least one sample) once the samples so far add
    up to more than the budget; the sample count is always shown in RESULTS.md.
    """
    if warmup:
        r = fn(-1)
        if r.wall is None or r.rc != 0:
            return _failed(fig, r)
    for i in range(n):
        r = fn(i)
        if r.wall is None or r.rc != 0:
            if not fig.samples:
                return _failed(fig, r)
            fig.note += f" (run {i + 1} failed: {_why(r)})"
            break
        fig.samples.append(r.wall)
        fig.last_output = (r.stdout + r.stderr)[-2000:]
        if budget_s is not None and sum(fig.samples) > budget_s and i + 1 < n:
            fig.note += f" (stopped after {i + 1} of {n} runs: {sum(fig.samples):.0f} s)"
            break
    log(f"  {fig.label}: {_fmt_samples(fig)}")
    return fig


def measure_together(
    series: list[tuple[Figure, Callable[[int], Run]]], n: int, *, warmup: bool = True
) -> None:
    """Like ``measure``, for several figures taken in turns (A1 B1 A2 B2 …).

    Used for the tracker against Taskwarrior, so that a burst of other load on the machine
    hits both sides alike and the ratio stays fair. A side that fails stops; the other goes on.
    """
    alive = [True] * len(series)
    if warmup:
        for k, (fig, fn) in enumerate(series):
            r = fn(-1)
            if r.wall is None or r.rc != 0:
                _failed(fig, r)
                alive[k] = False
    for i in range(n):
        for k, (fig, fn) in enumerate(series):
            if not alive[k]:
                continue
            r = fn(i)
            if r.wall is None or r.rc != 0:
                alive[k] = False
                if not fig.samples:
                    _failed(fig, r)
                else:
                    fig.note += f" (run {i + 1} failed: {_why(r)})"
                continue
            fig.samples.append(r.wall)
            fig.last_output = (r.stdout + r.stderr)[-2000:]
    for fig, _ in series:
        if fig.samples:
            log(f"  {fig.label}: {_fmt_samples(fig)}")


def _why(r: Run) -> str:
    if r.wall is None:
        return r.stderr or "timeout"
    text = (r.stderr.strip() or r.stdout.strip()).splitlines()
    return f"exit {r.rc}: {text[-1][:200] if text else ''}"


def _failed(fig: Figure, r: Run) -> Figure:
    fig.status = "did not finish" if r.wall is None else "failed"
    fig.note = _why(r)
    log(f"  {fig.label}: {fig.status}: {fig.note}")
    return fig


def _fmt_samples(fig: Figure) -> str:
    return ", ".join(f"{s:.3f}" for s in fig.samples) + f" {fig.unit}"


# ---------------------------------------------------------------------------------------------
# One scale
# ---------------------------------------------------------------------------------------------


@dataclass
class Config:
    scales: list[str]
    fast: int  # repeats of per-command figures
    slow: int  # repeats of loads
    timeout: float
    taskwarrior: bool
    install: bool
    profile: str  # "misses" | "all" | "none"
    tw_info: tw.TaskwarriorInfo | None = None


def bench_scale(res: Results, scale: str, cfg: Config, caps: dict[str, bool]) -> None:
    n_target = gen.SCALES[scale]
    work = HERE / "work" / scale
    work.mkdir(parents=True, exist_ok=True)
    log(f"== {scale}")

    # -- the plan ------------------------------------------------------------------------
    g = gen.generate(n_target, work / "plan.toml", edit_percent=1)
    plan, edited = g.path, g.edited_path
    assert edited is not None
    res.fact(scale, "templates", g.templates)
    res.fact(scale, "expected", g.instances)
    res.fact(scale, "edited_templates", g.edited_templates)
    res.fact(scale, "plan_bytes", plan.stat().st_size)
    db = work / "bench.db"
    base = work / "base.db"

    # -- check -----------------------------------------------------------------------------
    raw = res.fig(scale, "raw", "raw `executemany`, one transaction", per=g.instances)
    bare = res.fig(
        scale, "bare", "bare `executemany` (same columns, uid index only)", per=g.instances
    )
    bare.ref_name = "bare"
    if caps["check"]:
        r = run_tracker(["check", str(plan)], db, timeout=cfg.timeout)
        counted = parse_count(r.stdout + "\n" + r.stderr, ("instances", "instance", "实例"))
        res.fact(scale, "check_rc", r.rc)
        res.fact(scale, "check_count", counted if counted is not None else "?")
        res.fact(scale, "check_tail", tail(r.stdout, 3))
        fig = res.fig(
            scale, "check", "`tracker check` (parse + expand)", per=counted or g.instances
        )
        fig.ref, fig.ref_kind = raw, "rate"
        measure(fig, lambda i: run_tracker(["check", str(plan)], db, timeout=cfg.timeout), cfg.slow)
    else:
        res.fig(scale, "check", "`tracker check` (parse + expand)", status="not yet measurable")

    # -- the raw reference and the first load, in turns (so that other load on the machine
    # weighs on both alike) ------------------------------------------------------------------
    load = res.fig(scale, "load", "first `tracker load` (parse + expand + insert)")
    load.per, load.ref, load.ref_kind = g.instances, raw, "rate"
    load.also = {"bare": bare}
    if not caps["load"]:
        load.status = "not yet measurable"
        for key, label in [
            ("reload", "reload, no change"),
            ("reload_edit", "reload after editing 1% of templates"),
        ]:
            res.fig(scale, key, label, status="not yet measurable")
    if not caps["plan_api"]:
        raw.status = bare.status = "not yet measurable"

    def raw_once() -> None:
        p = subprocess.run(
            [sys.executable, str(HERE / "raw_insert.py"), str(plan), str(work), "--repeats", "1"],
            capture_output=True,
            text=True,
            timeout=cfg.timeout * 3,
        )
        line = last_json(p.stdout)
        if p.returncode == 0 and line:
            raw.samples += list(line["executemany_s"])
            bare.samples += list(line.get("bare_executemany_s", ()))
            raw.per = bare.per = load.per = int(line["instances"])
            res.fact(scale, "read_plan_s", f"{line['read_plan_s']:.3f}")
            res.fact(scale, "build_rows_s", f"{line['build_rows_s']:.3f}")
            res.fact(scale, "raw_rows_from", line.get("rows_from", "?"))
        else:
            raw.status, raw.note = "failed", tail(p.stderr, 1)
            bare.status, bare.note = raw.status, raw.note
            log(f"  raw failed: {p.stderr[-500:]}")

    def first_load(i: int) -> Run:
        rm_db(db)
        return run_tracker(["load", str(plan)], db, timeout=cfg.timeout)

    log("  raw and bare executemany and first load, in turns")
    for i in range(cfg.slow):
        if caps["plan_api"] and raw.status == "ok":
            raw_once()
        if caps["load"] and load.status == "ok":
            r = first_load(i)
            if r.wall is None or r.rc != 0:
                if not load.samples:
                    _failed(load, r)
                break
            load.samples.append(r.wall)
            load.last_output = (r.stdout + r.stderr)[-2000:]
            if sum(load.samples) > 240 and i + 1 < cfg.slow:
                load.note += f" (stopped after {i + 1} of {cfg.slow} runs)"
                break
    for f in (raw, bare, load):
        if f.samples:
            log(f"  {f.label}: {_fmt_samples(f)}")
    if not caps["load"] or load.status != "ok" or not load.samples:
        return
    res.fact(scale, "loaded_rows", count_rows(db))
    res.fact(scale, "load_output", tail(load.last_output, 2))

    # -- staff activity before today, so that lists and reports are realistic ------------------
    seed = res.fig(scale, "seed", "replay of staff activity up to today (bulk `done`/`start`)")
    seed_state(db, seed, cfg)
    res.fact(scale, "status_counts", status_counts(db))
    checkpoint_copy(db, base)

    # -- reloads -----------------------------------------------------------------------------------
    reload = res.fig(scale, "reload", "reload, no change")
    measure(reload, lambda i: run_tracker(["load", str(plan)], db, timeout=cfg.timeout), cfg.slow)
    # The same plan in different bytes (a comment added): no shortcut on unchanged files.
    touched = res.fig(scale, "reload_touched", "reload, same plan re-saved (a comment added)")

    def reload_touched(i: int) -> Run:
        copy = plan.with_name("plan-touched.toml")
        copy.write_text(plan.read_text(encoding="utf-8") + f"\n# re-saved, run {i}\n")
        return run_tracker(["load", str(copy)], db, timeout=cfg.timeout)

    measure(touched, reload_touched, cfg.slow)
    res.fact(scale, "reload_touched_output", tail(touched.last_output, 2))
    edit_db = work / "edit.db"

    def reload_edit(i: int) -> Run:
        checkpoint_copy(base, edit_db)
        return run_tracker(["load", str(edited)], edit_db, timeout=cfg.timeout)

    fig = res.fig(scale, "reload_edit", "reload after editing 1% of templates")
    measure(fig, reload_edit, cfg.slow, warmup=False)
    res.fact(scale, "reload_output", tail(reload.last_output, 2))
    res.fact(scale, "reload_edit_output", tail(fig.last_output, 2))
    checkpoint_copy(base, db)

    # -- Taskwarrior: the same instances, imported --------------------------------------------
    twb = setup_taskwarrior(res, scale, base, cfg) if scale in TW_SCALES else None

    def with_tw(
        fig: Figure, fn: Callable[[int], Run], key: str, tw_fn: Callable[[int], Run] | None, n: int
    ) -> None:
        """Measure ``fig``; where Taskwarrior runs at this scale, in turns with its analogue."""
        if twb is None or tw_fn is None:
            measure(fig, fn, n)
            return
        theirs = res.fig(scale, key, TW_LABELS[key])
        measure_together([(fig, fn), (theirs, tw_fn)], n)
        fig.ref, fig.ref_kind = theirs, "speedup"

    # -- per-command process wall times ---------------------------------------------------------
    list_args = ["list", "--owner", LIST_UNIT, "--due", "week"]
    prime(db, list_args)
    r = run_tracker([*list_args, "--json"], db)
    with contextlib.suppress(ValueError):
        res.fact(scale, "list_rows", len(json.loads(r.stdout)))
    with_tw(
        res.fig(scale, "list", f"`tracker {' '.join(list_args)}`"),
        lambda i: run_tracker(list_args, db),
        "tw_list",
        twb.list if twb else None,
        cfg.fast,
    )
    targets = done_targets(db, cfg.fast + 1)
    res.fact(scale, "done_ids", ", ".join(str(t[0]) for t in targets[1:]))
    done_fig = res.fig(scale, "done", "`tracker done ID`")
    if len(targets) < 2:
        done_fig.status, done_fig.note = "failed", f"no open task of {LIST_UNIT} to tick off"
    else:
        with_tw(
            done_fig,
            lambda i: run_tracker(["done", str(targets[i + 1][0])], db),
            "tw_done",
            (lambda i: twb.done(targets[i + 1][1])) if twb else None,
            min(cfg.fast, len(targets) - 1),
        )
    bench_managed(res, scale, db, work, list_args, cfg)
    if caps["report"]:
        rep = ["report", "weekly", "--format", "json"]
        r = run_tracker(rep, db)
        res.fact(scale, "report_bytes", f"{r.stdout_bytes:,}")
        with_tw(
            res.fig(scale, "report", "`tracker report weekly --format json`"),
            lambda i: run_tracker(rep, db),
            "tw_report",
            twb.summary if twb else None,
            cfg.fast,
        )
    else:
        res.fig(
            scale, "report", "`tracker report weekly --format json`", status="not yet measurable"
        )
    measure(
        res.fig(scale, "help", "`tracker --help`"), lambda i: run_tracker(["--help"], db), cfg.fast
    )
    measure(
        res.fig(scale, "python", "reference: bare interpreter (`python -c pass`)"),
        lambda i: timed([sys.executable, "-c", "pass"]),
        cfg.fast,
    )

    # -- TUI -------------------------------------------------------------------------------------
    bench_tui(res, scale, db, cfg)

    # -- profiles ---------------------------------------------------------------------------------
    profile_scale(res, scale, cfg, plan, db, base, targets)


def bench_managed(
    res: Results, scale: str, db: Path, work: Path, list_args: list[str], cfg: Config
) -> None:
    """``list`` and ``done`` in a managed database (people.md): the acting person is looked up
    and, for ``done``, the task's owner checked against a staff member's scope."""
    managed = work / "managed.db"
    checkpoint_copy(db, managed)
    steps = [
        (["people", "add", "bench-admin", "--role", "admin"], "bench"),
        (["people", "add", "bench-staff", "--role", "staff", "--unit", LIST_UNIT], "bench-admin"),
    ]
    for args, user in steps:
        r = run_tracker(args, managed, user=user)
        if r.rc != 0:
            for key in ("managed_list", "managed_done"):
                _failed(res.fig(scale, key, key), r)
            return
    prime(managed, list_args, user="bench-staff")
    measure(
        res.fig(scale, "managed_list", f"`tracker {' '.join(list_args)}`, managed, as staff"),
        lambda i: run_tracker(list_args, managed, user="bench-staff"),
        cfg.fast,
    )
    targets = done_targets(managed, cfg.fast + 2)[1:]
    fig = res.fig(scale, "managed_done", "`tracker done ID`, managed, as staff (real date)")
    if len(targets) < cfg.fast:
        fig.status, fig.note = "failed", f"no open task of {LIST_UNIT} to tick off"
        return
    measure(
        fig,
        lambda i: run_tracker(
            ["done", str(targets[i][0])], managed, today=None, user="bench-staff"
        ),
        cfg.fast,
    )


def prime(db: Path, args: list[str], runs: int = 5, user: str = "bench") -> None:
    """Untimed runs after the big database copies, which push the interpreter's and the
    libraries' files out of the page cache on a small machine; one warm-up was not enough."""
    for _ in range(runs):
        run_tracker(args, db, user=user)
        run_tracker(["--help"], db, user=user)


def parse_count(text: str, words: tuple[str, ...]) -> int | None:
    """The instance count ``tracker check`` prints (its ``total:`` line, else a best guess)."""
    m = re.search(r"(?:total|合计|共)\s*[:：]?\s*(\d[\d,]*)", text)
    if m:
        return int(m.group(1).replace(",", ""))
    for w in words:
        m = re.search(r"(\d[\d,]*)\s*(?:task\s+)?" + w, text)
        if m:
            return int(m.group(1).replace(",", ""))
    nums = [int(x.replace(",", "")) for x in re.findall(r"\d[\d,]{2,}", text)]
    return max(nums) if nums else None


def last_json(text: str) -> dict | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                return json.loads(line)
    return None


def tail(text: str, n: int) -> str:
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    return " / ".join(lines[-n:])


def count_rows(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as c:
        return int(c.execute("SELECT count(*) FROM tasks").fetchone()[0])


def status_counts(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as c:
        rows = c.execute("SELECT status, count(*) FROM tasks GROUP BY status ORDER BY 2 DESC")
        return ", ".join(f"{s} {n}" for s, n in rows)


def unit_filter_sql() -> str:
    return f"(owner = '{LIST_UNIT}' OR owner LIKE '{LIST_UNIT}-%')"


def done_targets(db: Path, n: int) -> list[tuple[int, str]]:
    """Open tasks of the list's unit due this week (then later), for ``done`` runs."""
    with contextlib.closing(sqlite3.connect(db)) as c:
        rows = c.execute(
            f"SELECT id, uid FROM tasks WHERE {unit_filter_sql()} AND status = 'todo' "
            "AND due >= ? ORDER BY due, id LIMIT ?",
            (TODAY.isoformat(), n),
        ).fetchall()
    return [(int(i), str(u)) for i, u in rows]


# ---------------------------------------------------------------------------------------------
# Replaying staff activity
# ---------------------------------------------------------------------------------------------


def _bucket(uid: str) -> int:
    import zlib

    return zlib.crc32(uid.encode()) % 100


def seed_state(db: Path, fig: Figure, cfg: Config) -> None:
    """Tick off what staff would have by 2020-04-15, through the CLI, dated as it happened.

    Of the instances due before today: 85% done on their due date, 5% done three days late,
    10% left open (overdue). Of those due this week, 20% started. Deterministic (by uid).
    """
    with contextlib.closing(sqlite3.connect(db)) as c:
        rows = c.execute(
            "SELECT id, uid, due FROM tasks WHERE status = 'todo' AND due <= ? ORDER BY due, id",
            (SUNDAY.isoformat(),),
        ).fetchall()
    by_day: dict[tuple[str, date], list[str]] = {}
    for tid, uid, due in rows:
        d, b = date.fromisoformat(due), _bucket(uid)
        if d < TODAY:
            if b < 85:
                by_day.setdefault(("done", d), []).append(str(tid))
            elif b < 90:
                late = min(d + timedelta(days=3), TODAY)
                by_day.setdefault(("done", late), []).append(str(tid))
        elif b < 20:
            by_day.setdefault(("start", TODAY), []).append(str(tid))
    total = sum(len(v) for v in by_day.values())
    t0 = time.perf_counter()
    calls = 0
    for (action, day), ids in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for k in range(0, len(ids), 2000):
            r = run_tracker([action, *ids[k : k + 2000]], db, today=day, timeout=cfg.timeout)
            calls += 1
            if r.wall is None or r.rc != 0:
                fig.status, fig.note = "failed", f"{action} on {day}: {_why(r)}"
                log(f"  seeding failed: {fig.note}")
                return
    wall = time.perf_counter() - t0
    fig.samples = [wall]
    fig.per = total
    fig.note = f"{total} tasks in {calls} commands"
    log(f"  seeded {total} tasks in {calls} commands, {wall:.1f} s")


# ---------------------------------------------------------------------------------------------
# TUI (benchmarks/tui_latency.py belongs to the TUI; it prints one JSON line)
# ---------------------------------------------------------------------------------------------

KEYSTROKES = {
    "filter_overdue_rows_s": "quick-view filter `3` (overdue)",
    "filter_all_rows_s": "quick-view filter `4` (all)",
    "search_key_rows_s": "first search keystroke `镇`",
    "search_2nd_key_rows_s": "second search keystroke `1`",
}
# figure key: (label, unit, how to read it from tui_latency.py's JSON object)
TUI_FIGURES: dict[str, tuple[str, str, Callable[[dict], float | None]]] = {
    "tui_paint": ("TUI first paint", "s", lambda d: _num(d, "first_paint_s")),
    "tui_key": (
        "TUI filter keystroke (the slowest of the four below, rows shown)",
        "s",
        lambda d: max((v for k in KEYSTROKES if (v := _num(d, k)) is not None), default=None),
    ),
    "tui_rss": (
        "TUI peak RSS (the whole measuring process)",
        "MB",
        lambda d: _num(d, "peak_rss_mb"),
    ),
    **{
        f"tui_{k}": (f"· TUI {label}", "s", lambda d, k=k: _num(d, k))  # type: ignore[misc]
        for k, label in KEYSTROKES.items()
    },
    "tui_count": (
        "· TUI task count shown after the overdue filter",
        "s",
        lambda d: _num(d, "filter_overdue_count_s"),
    ),
    "tui_end": ("· TUI `End` (jump to the last row)", "s", lambda d: _num(d, "jump_to_end_s")),
    "tui_index": (
        "· TUI search index ready (in the background, from start)",
        "s",
        lambda d: _num(d, "search_index_s"),
    ),
}


def _num(d: dict, key: str) -> float | None:
    v = d.get(key)
    return float(v) if isinstance(v, (int, float)) else None


def bench_tui(res: Results, scale: str, db: Path, cfg: Config) -> None:
    """Run benchmarks/tui_latency.py on a copy of this scale's database, a few times.

    It reuses a database that already holds ``--instances`` rows (and would rebuild one
    that does not, hence the copy), drives the real App headless and prints a JSON object.
    """
    script = HERE / "tui_latency.py"
    if not script.exists():
        for key, (label, unit, _) in TUI_FIGURES.items():
            if not label.startswith("·"):
                res.fig(scale, key, label, unit=unit, status="not yet measurable",
                        note="benchmarks/tui_latency.py not there yet")  # fmt: skip
        return
    figs = {k: res.fig(scale, k, label, unit=unit) for k, (label, unit, _) in TUI_FIGURES.items()}
    work_db = db.with_name("tui.db")
    n = count_rows(db)
    synthetic = db.with_name("tui-synthetic.db")
    on_ours = True
    runs = 3 if scale == "500k" else max(3, min(cfg.fast, 5))
    i = 0
    while i < runs:
        if on_ours:
            checkpoint_copy(db, work_db)
        target = work_db if on_ours else synthetic
        r = timed(
            [*FRESH_RSS, sys.executable, str(script), "--db", str(target), "--instances", str(n)],
            env=tracker_env(target),
            timeout=cfg.timeout,
            cwd=REPO,
        )
        data = json_object(r.stdout) if r.wall is not None and r.rc == 0 else None
        if data is None and on_ours and i == 0:
            # Keep the TUI measurable: its own synthetic database of the same size.
            res.notes.append(
                f"{scale}: tui_latency.py failed on the benchmark's database ({_why(r)}); "
                f"the TUI figures at {scale} are on tui_latency.py's own synthetic database "
                f"of {n} instances instead."
            )
            log(f"  tui_latency failed on our database: {_why(r)}; trying its own")
            on_ours = False
            rm_db(synthetic)
            # One untimed run builds that database, so that no measured run includes the build.
            timed(
                [sys.executable, str(script), "--db", str(synthetic), "--instances", str(n)],
                env=tracker_env(synthetic),
                timeout=cfg.timeout,
                cwd=REPO,
            )
            continue
        if data is None:
            for f in figs.values():
                if not f.samples:
                    f.status, f.note = "failed", _why(r)
            log(f"  tui_latency failed: {_why(r)}")
            break
        i += 1
        if on_ours and float(data.get("build_s", 0) or 0) > 5:
            res.notes.append(f"{scale}: tui_latency.py rebuilt the database ({data['build_s']} s)")
        res.fact(scale, "tui_json", json.dumps(data, ensure_ascii=False))
        known = {"build_s", "first_paint_s", "first_count_s", *KEYSTROKES}
        known |= {"filter_overdue_count_s", "jump_to_end_s", "search_index_s"}
        for extra in sorted(k for k in data if k.endswith("_s") and k not in known):
            key = f"tui_x_{extra}"
            if key not in figs:
                figs[key] = res.fig(scale, key, f"· TUI `{extra}` (as tui_latency.py names it)")
            v = _num(data, extra)
            if v is not None:
                figs[key].samples.append(v)
        for k, (_, _, read) in TUI_FIGURES.items():
            v = read(data)
            if v is None and k == "tui_rss":
                v = r.maxrss_kb / 1024
                figs[k].note = "(ru_maxrss of the process: it reported none)"
            if v is not None:
                figs[k].samples.append(v)
    for k, f in list(figs.items()):
        if not f.samples and f.status == "ok":
            del res.figures[scale][k]  # a figure this version of tui_latency.py does not give
        elif f.samples:
            log(f"  {f.label}: {_fmt_samples(f)}")
    if not on_ours:
        for f in figs.values():
            f.note = (f.note + " (on tui_latency.py's synthetic database)").strip()
    rm_db(work_db)
    rm_db(synthetic)


# Linux keeps the larger of a process's peak RSS before and after ``exec`` in ``ru_maxrss``, and a
# child started with vfork/posix_spawn shares its parent's memory until it execs: so a process
# this runner starts inherits the runner's own peak. A small launcher process in between
# starts the measured one with a peak of its own (tui_latency.py reports ``ru_maxrss``).
FRESH_RSS = [
    sys.executable,
    "-c",
    "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))",
]


def json_object(text: str) -> dict | None:
    """The last JSON object in ``text``: one line, or pretty-printed over several."""
    text = text.strip()
    with contextlib.suppress(ValueError):
        obj = json.loads(text)
        return obj if isinstance(obj, dict) else None
    lines = text.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("{"):
            with contextlib.suppress(ValueError):
                obj = json.loads("\n".join(lines[i:]))
                if isinstance(obj, dict):
                    return obj
    return None


# ---------------------------------------------------------------------------------------------
# Taskwarrior
# ---------------------------------------------------------------------------------------------


TW_LABELS = {
    "tw_import": "Taskwarrior `task import` (all instances)",
    "tw_list": "Taskwarrior `task +o_t05 due.after:… due.before:… list`",
    "tw_done": "Taskwarrior `task UUID done`",
    "tw_report": "Taskwarrior `task summary`",
}


@dataclass
class TwBench:
    """A private Taskwarrior holding the scale's instances, and its timed operations."""

    t: tw.Taskwarrior
    timeout: float

    def list(self, i: int) -> Run:
        after = (TODAY - timedelta(days=1)).isoformat()
        before = (SUNDAY + timedelta(days=1)).isoformat()
        return self.t.run(self.list_args(after, before), timeout=self.timeout)

    @staticmethod
    def list_args(after: str, before: str) -> list[str]:
        return [f"+{tw.owner_tag(LIST_UNIT)}", f"due.after:{after}", f"due.before:{before}", "list"]

    def done(self, uid: str) -> Run:
        return self.t.run([tw.task_uuid(uid), "done"], timeout=self.timeout)

    def summary(self, i: int) -> Run:
        return self.t.run(["summary"], timeout=self.timeout)


def setup_taskwarrior(res: Results, scale: str, base: Path, cfg: Config) -> TwBench | None:
    """Import the database's instances into a private Taskwarrior (the import is timed)."""
    info = cfg.tw_info
    if info is None or not info.available:
        why = info.note if info else "skipped (--no-taskwarrior)"
        for k, label in TW_LABELS.items():
            res.fig(scale, k, label, status="not available", note=why)
        return None
    work = HERE / "work" / scale / "taskwarrior"
    t = tw.Taskwarrior(work, info.binary)
    import_file = work.parent / "taskwarrior-import.json"
    # In a process of its own: see taskwarrior.convert_db on the runner's peak RSS.
    p = subprocess.run(
        [sys.executable, str(HERE / "taskwarrior.py"), "convert", str(base), str(import_file)],
        capture_output=True,
        text=True,
        timeout=cfg.timeout,
    )
    if p.returncode != 0:
        for k, label in TW_LABELS.items():
            res.fig(scale, k, label, status="failed", note=tail(p.stderr, 1))
        return None
    res.fact(scale, "tw_tasks", p.stdout.strip())
    n_tasks = int(p.stdout.strip() or 0)
    imp = res.fig(scale, "tw_import", TW_LABELS["tw_import"], per=n_tasks)

    def do_import(i: int) -> Run:
        t.reset()
        return t.import_file(import_file, timeout=cfg.timeout)

    measure(imp, do_import, 1, warmup=False)
    if imp.status != "ok":
        for k in ("tw_list", "tw_done", "tw_report"):
            res.fig(
                scale, k, TW_LABELS[k], status="not measurable", note="the import did not finish"
            )
        return None
    twb = TwBench(t, cfg.timeout)
    after = (TODAY - timedelta(days=1)).isoformat()
    before = (SUNDAY + timedelta(days=1)).isoformat()
    r = t.run([*twb.list_args(after, before)[:-1], "status:pending", "count"], timeout=cfg.timeout)
    res.fact(scale, "tw_list_rows", r.stdout.strip())
    return twb


# ---------------------------------------------------------------------------------------------
# Targets and profiles
# ---------------------------------------------------------------------------------------------


def targets_for(res: Results) -> list[tuple[str, str, str, Callable[[Figure], tuple[str, bool]]]]:
    """(target text, scale, figure key, check) for every target in the issue."""

    def under(limit: float, unit: str = "s") -> Callable[[Figure], tuple[str, bool]]:
        def check(f: Figure) -> tuple[str, bool]:
            med, low = f.median or 0.0, f.min or 0.0
            if unit == "ms":
                return f"{med * 1000:.0f} ms (min {low * 1000:.0f})", med * 1000 < limit
            if unit == "MB":
                return f"{med:.0f} MB (min {low:.0f})", med < limit
            return f"{med:.3f} s (min {low:.3f})", med < limit

        return check

    def rate_share(
        limit: float, ref_key: str | None = None
    ) -> Callable[[Figure], tuple[str, bool]]:
        """The figure's throughput ≥ ``limit`` × its reference's (``ref_key``: the one of its
        ``also`` references with that key instead of its ``ref``)."""

        def check(f: Figure) -> tuple[str, bool]:
            ref = f.ref if ref_key is None else f.also.get(ref_key)
            ratio = f.ratio(None if ref_key is None else ref)
            if ratio is None or ref is None:
                return "no reference", False
            rate = f.per / (f.median or 1)
            return f"{rate:,.0f} inst/s = {ratio:.0%} of {ref.ref_name}", ratio >= limit

        return check

    def speedup(limit: float) -> Callable[[Figure], tuple[str, bool]]:
        def check(f: Figure) -> tuple[str, bool]:
            ratio = f.ratio()
            if ratio is None:
                return "no Taskwarrior figure", False
            if ratio < 1:
                return f"{1 / ratio:.1f}× slower", False
            return f"{ratio:.1f}× faster", ratio >= limit

        return check

    return [
        ("`check` at 500k ≥ 50% of the raw executemany rate", "500k", "check", rate_share(0.5)),
        ("first `load` at 500k ≥ 50% of the raw executemany rate", "500k", "load", rate_share(0.5)),
        (
            "first load at 500k ≥ 50% of bare executemany (uid index only)",
            "500k",
            "load",
            rate_share(0.5, "bare"),
        ),
        ("reload with no change at 500k < 3 s", "500k", "reload", under(3.0)),
        (
            "the same, with the plan file re-saved (a comment added) at 500k < 3 s",
            "500k",
            "reload_touched",
            under(3.0),
        ),
        ("`tracker list` at 500k < 0.25 s", "500k", "list", under(0.25)),
        ("`tracker done ID` at 500k < 0.25 s", "500k", "done", under(0.25)),
        (
            "`tracker list` in a managed database at 500k < 0.25 s",
            "500k",
            "managed_list",
            under(0.25),
        ),
        (
            "`tracker done ID` in a managed database at 500k < 0.25 s",
            "500k",
            "managed_done",
            under(0.25),
        ),
        ("`tracker --help` at 500k < 0.25 s", "500k", "help", under(0.25)),
        ("weekly report at 500k < 1.5 s", "500k", "report", under(1.5)),
        ("TUI first paint at 500k < 1.5 s", "500k", "tui_paint", under(1.5)),
        ("TUI filter keystroke at 500k < 150 ms", "500k", "tui_key", under(150, "ms")),
        ("TUI peak RSS at 500k < 250 MB", "500k", "tui_rss", under(250, "MB")),
        ("`list` at 100k ≥ 10× faster than Taskwarrior", "100k", "list", speedup(10)),
        ("`done` at 100k ≥ 10× faster than Taskwarrior", "100k", "done", speedup(10)),
        ("report at 100k ≥ 10× faster than Taskwarrior", "100k", "report", speedup(10)),
    ]


def evaluate(res: Results, target: tuple) -> tuple[str, str]:
    _, scale, key, check = target
    f = res.get(scale, key)
    if f is None:
        return "not run", "—"
    if f.status != "ok" or not f.samples:
        return f.status + (f": {f.note}" if f.note else ""), "not yet measurable"
    figure, passed = check(f)
    return figure, "PASS" if passed else "FAIL"


def profile_scale(
    res: Results, scale: str, cfg: Config, plan: Path, db: Path, base: Path, targets: list
) -> None:
    """Profile the commands that miss a target at this scale (or all, with --profile all)."""
    if cfg.profile == "none":
        return
    misses = {
        key
        for t in targets_for(res)
        if t[1] == scale and evaluate(res, t)[1] == "FAIL"
        for key in [t[2]]
    }
    prof_dir = HERE / "work" / "profiles"
    scratch = db.with_name("profile.db")
    jobs: list[tuple[str, list[str], Path, Callable[[], None]]] = []

    def fresh() -> None:
        rm_db(scratch)

    def copy_base() -> None:
        checkpoint_copy(base, scratch)

    open_id = targets[0][0] if targets else 1
    edited = plan.with_name(plan.stem + "-edited.toml")
    all_jobs = {
        "check": (["check", str(plan)], fresh),
        "load": (["load", str(plan)], fresh),
        "reload": (["load", str(plan)], copy_base),
        "reload_touched": (["load", str(plan.with_name("plan-touched.toml"))], copy_base),
        "reload_edit": (["load", str(edited)], copy_base),
        "list": (["list", "--owner", LIST_UNIT, "--due", "week"], copy_base),
        "done": (["done", str(open_id)], copy_base),
        "report": (["report", "weekly", "--format", "json"], copy_base),
        "help": (["--help"], copy_base),
    }
    wanted = set(all_jobs) if cfg.profile == "all" else misses & set(all_jobs)
    if scale == max(cfg.scales, key=SCALE_ORDER.index):
        wanted.add("reload_edit")  # no target, but the slowest load: show where it goes
    for key in sorted(wanted, key=list(all_jobs).index):
        args, prep = all_jobs[key]
        jobs.append((key, args, scratch, prep))
    for key, args, pdb, prep in jobs:
        prep()
        log(f"  profiling {key} at {scale}")
        short = key not in ("check", "load", "reload", "reload_touched", "reload_edit")
        p = profiling.profile(args, tracker_env(pdb), prof_dir, f"{scale}-{key}", imports=short)
        fig = res.get(scale, key)
        what = fig.label if fig is not None else key
        cmd = " ".join(a if "/" not in a else Path(a).name for a in args)
        title = f"{what} at {scale}: `tracker {cmd}`"
        res.profiles.append((title, profiling.render(p)))
    rm_db(scratch)


# ---------------------------------------------------------------------------------------------
# RESULTS.md
# ---------------------------------------------------------------------------------------------


def fmt_time(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "count":
        return f"{v:.0f}"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def fmt_rate(per: int, v: float | None) -> str:
    return f"{per / v:,.0f}/s" if v else "—"


def render_results(res: Results, cfg: Config, started: datetime, elapsed: float) -> str:
    info = cfg.tw_info
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `python benchmarks/run.py{' --quick' if cfg.scales == ['10k'] else ''}` "
        f"on {started:%Y-%m-%d %H:%M}, in {elapsed / 60:.0f} minutes. "
        "Every figure below was measured in this run, beside its reference from the same run.",
        "",
        "## Machine",
        "",
        f"- CPU cores (`os.cpu_count()`): **{os.cpu_count()}**; {cpu_model()}",
        f"- memory: {mem_total()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}",
        f"- tracker: commit `{git_head()}`, run as {TRACKER_HOW}; {dep_versions()}",
        f"- Taskwarrior: {info.version if info and info.available else 'not available'}"
        + (f" ({info.note})" if info and info.note else ""),
        f"- repeats: {cfg.fast} per command, {cfg.slow} per load (the `n` column gives the "
        "count actually taken); one untimed warm-up run before each command series, and five "
        "untimed `list` + `--help` runs after the database copies",
        f"- environment: `TRACKER_TODAY={TODAY}`, `TRACKER_LANG=en`, a database per scale "
        "in `benchmarks/work/`, warm page cache, bytecode caches written (`compileall`; "
        "`PYTHONDONTWRITEBYTECODE` unset for the measured processes)",
        f"- the runner's own peak RSS: {runner_rss_mb():.0f} MB (Linux carries a parent's peak "
        "into a child's `ru_maxrss` across `exec`; the TUI is therefore started through a "
        "small launcher process, so that its peak RSS is its own)",
        f"- load average (1/5/15 min) at the start: {res.load_start}; at the end: "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} — anything else running on the "
        "machine shows up in the spread between min and median",
        "",
        "## Targets",
        "",
        "| target | figure | result |",
        "| --- | --- | --- |",
    ]
    for t in targets_for(res):
        figure, verdict = evaluate(res, t)
        lines.append(f"| {t[0]} | {figure} | **{verdict}** |")
    lines += ["", "## Figures", ""]
    for scale in SCALE_ORDER:
        if scale not in res.figures:
            continue
        facts = res.facts.get(scale, {})
        lines += [f"### {scale}", ""]
        lines += scale_facts(facts)
        lines += [
            "",
            "| measurement | n | min | median | throughput (median) | reference, same run "
            "(median) | ratio |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for key, f in res.figures[scale].items():
            if key in REFERENCES:
                continue
            lines.append(figure_row(key, f))
        for key in REFERENCES:
            ref = res.get(scale, key)
            if ref is not None:
                lines.append(figure_row(key, ref))
        lines.append("")
    lines += method_notes()
    if res.notes:
        lines += ["## Notes from this run", ""] + [f"- {n}" for n in res.notes] + [""]
    lines += res.serve
    lines += ["## Profiles", ""]
    if not res.profiles:
        lines += ["No target was missed where a profile applies (or profiling was off).", ""]
    for title, body in res.profiles:
        lines += [f"### {title}", "", *body, ""]
    return "\n".join(lines).rstrip() + "\n"


def scale_facts(facts: dict[str, str]) -> list[str]:
    out = []
    if "expected" in facts:
        exp = int(facts["expected"])
        got = facts.get("check_count", "?")
        ok = ""
        if got.isdigit():
            dev = int(got) / exp - 1
            within = "yes" if abs(dev) <= 0.1 else "NO"
            ok = f" ({dev:+.1%} from the generator's count; within ±10%: {within})"
        out.append(
            f"- plan: {facts.get('templates')} templates, {int(facts.get('plan_bytes', 0)):,} "
            f"bytes; the generator counts {exp:,} instances, `tracker check` {got}{ok}"
        )
    for key, text in [
        ("loaded_rows", "rows in `tasks` after the first load"),
        ("load_output", "first load printed"),
        ("read_plan_s", "`read_plan` in-process (parse + expand), seconds"),
        ("build_rows_s", "building the raw insert tuples in-process (not timed above), seconds"),
        ("raw_rows_from", "the raw insert's tuples built by"),
        ("status_counts", "statuses after the replay"),
        ("reload_output", "the unchanged reload printed"),
        ("reload_touched_output", "the re-saved reload printed"),
        ("edited_templates", "templates edited for the reload"),
        ("reload_edit_output", "the edited reload printed"),
        ("list_rows", "rows the `list` returns"),
        ("done_ids", "ids ticked off by the `done` runs"),
        ("report_bytes", "bytes of report JSON"),
        ("tw_tasks", "tasks imported into Taskwarrior"),
        ("tw_list_rows", "rows Taskwarrior's `list` returns"),
        ("tui_json", "tui_latency.py's output (last run)"),
    ]:
        if key in facts:
            value = f"`{facts[key]}`" if key == "tui_json" else facts[key]
            out.append(f"- {text}: {value}")
    return out


def figure_row(key: str, f: Figure) -> str:
    n = str(len(f.samples)) if f.samples else "0"
    if f.status != "ok" or not f.samples:
        note = f"{f.status}" + (f": {f.note.strip()}" if f.note else "")
        return f"| {f.label} | {n} | — | — | — | {note} | — |"
    thr = fmt_rate(f.per, f.median) if f.per else ""
    refs: list[str] = []
    ratios: list[str] = []
    if f.ref is not None:
        ref, ratio = reference_cells(f, f.ref, f.ref_kind, f.ratio())
        refs.append(ref)
        ratios += [ratio] if ratio else []
    for other in f.also.values():
        ref, ratio = reference_cells(f, other, "rate", f.ratio(other))
        refs.append(ref)
        ratios += [ratio] if ratio else []
    note = f" {f.note.strip()}" if f.note.strip() else ""
    return (
        f"| {f.label}{note} | {n} | {fmt_time(f.min, f.unit)} | {fmt_time(f.median, f.unit)} "
        f"| {thr} | {'; '.join(refs)} | {'; '.join(ratios)} |"
    )


def reference_cells(f: Figure, r: Figure, kind: str, q: float | None) -> tuple[str, str]:
    """The reference and ratio cells for figure ``f`` against reference ``r``."""
    if not r.samples:
        return f"{r.label}: {r.status}", ""
    ref = f"{r.label}: {fmt_time(r.median, r.unit)}"
    if kind == "rate" and r.per:
        ref += f" = {fmt_rate(r.per, r.median)}"
    if q is None:
        return ref, ""
    if kind == "rate":
        return ref, f"{q:.0%} of {r.ref_name}"
    return ref, f"{q:.1f}× faster" if q >= 1 else f"{1 / q:.1f}× slower"


def method_notes() -> list[str]:
    return [
        "## How to read this",
        "",
        "- **Process wall time**: each command is a fresh process of the installed `tracker` "
        "console script, timed from spawn to exit (interpreter start-up and imports included, "
        "as a user experiences it). `python -c pass` is the floor any Python CLI pays.",
        "- **Throughput** = instances ÷ median wall time. The **raw** reference inserts the "
        "same rows (every `tasks` column the loader fills) into a fresh database with the same "
        "schema, indexes and pragmas (`tracker.store.db.open_db`), with one "
        "`executemany` in one transaction; only that insert is timed, nothing else — the "
        "limit for a store that keeps its indexes up row by row. The **bare** reference "
        "inserts the same rows the same way into a table with the same columns (the `tasks` "
        "table's own `CREATE TABLE`) and only the uid's unique index, with the same pragmas: "
        "the physical limit on this machine for a store that refuses a duplicate uid. The "
        "ratio is tracker throughput ÷ reference throughput.",
        "- **Reloads** run on the database after the replay (see below). The no-change reload "
        "repeats on the same database with the same file; the re-saved reload loads the same "
        "plan with a comment appended (different bytes, same content: no shortcut for an "
        "unchanged file can apply); the edited reload starts each run from a copy of the "
        "database.",
        "- **Replay**: before the per-command figures, the staff activity up to "
        f"{TODAY} is replayed through the CLI (`tracker --today DATE done ID…`): of the instances "
        "due before today 85% are done on their due date, 5% three days late and 10% left open "
        "(overdue); 20% of this week's are started. Lists, reports and Taskwarrior then see a "
        "realistic mix rather than all-open tasks.",
        f"- `list` selects one town ({LIST_UNIT}, with its villages) due this week "
        f"({TODAY}..{SUNDAY}). `done` ticks off a different open task of that town each run.",
        "- **Taskwarrior** gets the same instances (after the replay) through `task import`: "
        "description = title, project = campaign, due, tags = the owner unit and the units "
        "above it (so `+o_t05` selects a town with its villages, like `--owner t05`) plus the "
        "plan's tags, done tasks as completed. Its settings: `confirmation=off`, "
        "`verbose=nothing`, `color=off`, `detection=off`, `hooks=off`, `recurrence=off` and "
        "`gc=off` — the last favours Taskwarrior: with its default `gc=on`, the first report "
        "after a change rewrites all of `pending.data`. Tasks are addressed by uuid, so stable "
        "ids are not needed.",
        "- The Taskwarrior analogue of the weekly report is `task summary`: like the report it "
        "reads every task and aggregates per project (campaign) — counts and completion. It "
        "is the fairest of Taskwarrior's built-in reports: `burndown` draws a chart, `stats` "
        "has no per-project figures, and a filtered `export` only dumps tasks without "
        "aggregating. The tracker's report does more (units ranked by on-time rate, overdue and "
        "next-week lists, targets), so the comparison favours Taskwarrior.",
        "- **TUI** figures come from `benchmarks/tui_latency.py` (owned by the TUI), run as a "
        "process on a copy of the database; it prints one JSON line. The search keystrokes "
        "are timed once the TUI's search index (every title and plan note in memory, built "
        "in the background after the first page) is ready, as it is by the time a user types; "
        "before that, a keystroke takes the SQL path, a scan of every row (~0.2 s at 500k).",
        "- Verdicts use the **median**.",
        "",
    ]


def dep_versions() -> str:
    """Versions of the dependencies that weigh on start-up, as installed for this run."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("typer", "sqlite-utils", "textual", "holidays", "tomlkit"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} not installed")
    return ", ".join(out)


def runner_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def mem_total() -> str:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


@functools.cache
def git_head() -> str:
    """The commit measured; read once, at the start (RESULTS.md, written after each scale,
    would make it look dirty)."""
    try:
        p = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return p.stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def compile_tracker() -> None:
    """Write the tracker's bytecode caches, as an installed copy has them."""
    import importlib.util

    spec = importlib.util.find_spec("tracker")
    if spec is None or not spec.submodule_search_locations:
        return
    for location in spec.submodule_search_locations:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", location],
            capture_output=True,
            env=tracker_env(Path("/tmp/tracker-bench-probe.db")),
            timeout=300,
        )


def capabilities() -> dict[str, bool]:
    try:
        import tracker.plan as plan_mod

        plan_api = hasattr(plan_mod, "read_plan")
    except ImportError:
        plan_api = False
    caps = {
        "check": has_command("check"),
        "load": has_command("load"),
        "report": has_command("report", "weekly"),
        "plan_api": plan_api,
    }
    log(f"capabilities: {caps}")
    return caps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the benchmarks and write RESULTS.md.")
    ap.add_argument("--quick", action="store_true", help="10k only, fewer repeats")
    ap.add_argument("--scales", help="comma-separated, e.g. 10k,100k (default: all three)")
    ap.add_argument("--repeats", type=int, help="runs per command (default 5, quick 3)")
    ap.add_argument("--load-repeats", type=int, help="runs per load (default 3, quick 1)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process")
    ap.add_argument("--no-taskwarrior", action="store_true")
    ap.add_argument("--no-install", action="store_true", help="do not apt-get taskwarrior")
    ap.add_argument("--profile", choices=["misses", "all", "none"], default="misses")
    ap.add_argument("-o", "--output", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument(
        "--serve", action="store_true", help="also serve_load.py: 50 browser sessions at 100k"
    )
    args = ap.parse_args(argv)
    scales = args.scales.split(",") if args.scales else (["10k"] if args.quick else SCALE_ORDER)
    for s in scales:
        if s not in gen.SCALES:
            ap.error(f"unknown scale {s!r}; choose from {', '.join(SCALE_ORDER)}")
    cfg = Config(
        scales=scales,
        fast=args.repeats or (3 if args.quick else 5),
        slow=args.load_repeats or (1 if args.quick else 3),
        timeout=args.timeout,
        taskwarrior=not args.no_taskwarrior,
        install=not args.no_install,
        profile=args.profile,
    )
    (HERE / "work").mkdir(exist_ok=True)
    git_head()
    started = datetime.now()
    t0 = time.perf_counter()
    if cfg.taskwarrior and any(s in TW_SCALES for s in scales):
        cfg.tw_info = tw.ensure_installed(install=cfg.install, log=HERE / "work" / "apt.log")
        log(f"taskwarrior: {cfg.tw_info}")
    compile_tracker()
    caps = capabilities()
    res = Results()
    if not caps["load"]:
        res.notes.append("`tracker load` is not there yet: loads, reloads and commands skipped.")
    for scale in sorted(scales, key=SCALE_ORDER.index):
        try:
            bench_scale(res, scale, cfg, caps)
        except Exception as e:  # keep what was measured; say what broke
            res.notes.append(f"{scale}: the run stopped early: {type(e).__name__}: {e}")
            log(f"{scale} stopped: {type(e).__name__}: {e}")
            if os.environ.get("BENCH_DEBUG"):
                raise
        args.output.write_text(render_results(res, cfg, started, time.perf_counter() - t0))
    if args.serve:
        import serve_load

        serve_cfg = serve_load.Config()
        log("serve_load: 50 browser sessions at 100k, a visitor at 500k")
        try:
            res.serve = serve_load.section(*serve_load.run(serve_cfg), serve_cfg)
        except Exception as e:
            res.notes.append(f"serve_load stopped: {type(e).__name__}: {e}")
        args.output.write_text(render_results(res, cfg, started, time.perf_counter() - t0))
    (HERE / "work" / "results.json").write_text(
        json.dumps(
            {
                s: {
                    k: {"samples": f.samples, "status": f.status, "note": f.note}
                    for k, f in figs.items()
                }
                for s, figs in res.figures.items()
            },
            indent=1,
        )
    )
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
