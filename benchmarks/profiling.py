"""Profile one tracker command as a process and summarise where its time goes.

pyinstrument (a sampling profiler, low overhead) when it is installed, else cProfile. The
summary lists the functions with the most *self* time and the most *inclusive* time (each
function counted once per stack), and the share of time spent importing modules, so that a
slow command can be routed to the code that makes it slow.

    python benchmarks/profiling.py -- list --owner t05 --due week   # uses TRACKER_DB etc.
"""

from __future__ import annotations

import importlib.util
import os
import pstats
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Hot:
    name: str  # function (file:line)
    seconds: float
    share: float  # of the total


@dataclass
class Profile:
    tool: str
    total: float
    self_top: list[Hot] = field(default_factory=list)
    incl_top: list[Hot] = field(default_factory=list)
    import_share: float = 0.0
    packages: list[Hot] = field(default_factory=list)
    imports: list[Hot] = field(default_factory=list)
    text_path: Path | None = None
    error: str = ""


def tracker_argv() -> list[str]:
    """How the profiler runs the tracker: as the module, in this interpreter."""
    return ["-m", "tracker"]


def profile(
    args: list[str],
    env: dict[str, str],
    out_dir: Path,
    name: str,
    *,
    top: int = 12,
    imports: bool = False,
) -> Profile:
    """Run ``tracker ARGS`` under a profiler and summarise it. Never raises."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        if importlib.util.find_spec("pyinstrument") is not None:
            prof = _pyinstrument(args, env, out_dir, name, top)
        else:
            prof = _cprofile(args, env, out_dir, name, top)
        if imports:
            prof.imports = import_costs(args, env, top)
        return prof
    except Exception as e:  # a profile is a diagnostic: report the failure, keep running
        return Profile("none", 0.0, error=f"{type(e).__name__}: {e}")


def _pyinstrument(args: list[str], env: dict[str, str], out: Path, name: str, top: int) -> Profile:
    from pyinstrument.session import Session

    session_path = out / f"{name}.pyisession"
    cmd = [sys.executable, "-m", "pyinstrument", "-i", "0.0005", "-r", "pyisession"]
    cmd += ["-o", str(session_path), *tracker_argv(), *args]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if not session_path.exists():
        return Profile("pyinstrument", 0.0, error=p.stderr.strip()[-300:])
    text_path = out / f"{name}.txt"
    subprocess.run(
        [
            *[sys.executable, "-m", "pyinstrument", "--load", str(session_path)],
            *["-r", "text", "--no-color", "--unicode", "-o", str(text_path)],
        ],
        env=env,
        capture_output=True,
        timeout=600,
    )
    session = Session.load(str(session_path))
    root = session.root_frame()
    if root is None:
        return Profile("pyinstrument", 0.0, error="empty profile")
    total = root.time
    self_t: dict[str, float] = defaultdict(float)
    incl_t: dict[str, float] = defaultdict(float)
    pkg_t: dict[str, float] = defaultdict(float)
    import_t = 0.0

    def walk(f: Any, on_stack: frozenset[str], in_import: bool, caller_pkg: str = "?") -> None:
        nonlocal import_t
        path = f.file_path_short or f.file_path or "?"
        lab = f"{f.function} ({path}:{f.line_no or 0})"
        # C functions (compile, json loads, sqlite3 execute …) count for the Python caller's
        # package: the fix is there.
        pkg = caller_pkg if path.startswith("<built-in") else package(path)
        children = [c for c in f.children if not c.is_synthetic]
        # Time in C code (sqlite3, json, re …) is the caller's own: pyinstrument shows it as
        # a synthetic "[self]" child, which is left out of the children here.
        own = max(float(f.time) - sum(float(c.time) for c in children), 0.0)
        self_t[lab] += own
        pkg_t[pkg] += own
        if lab not in on_stack:
            incl_t[lab] += float(f.time)
        importing = in_import or "_find_and_load" in lab
        if importing and not in_import:
            import_t += float(f.time)
        for c in children:
            walk(c, on_stack | {lab}, importing, pkg)

    walk(root, frozenset(), False)
    prof = Profile("pyinstrument", total, text_path=text_path)
    prof.import_share = import_t / total if total else 0.0
    prof.self_top = _top(self_t, total, top)
    # Inclusive: the application's own functions, where a fix would go.
    incl = {k: v for k, v in incl_t.items() if "(tracker/" in k and "__main__" not in k}
    prof.incl_top = _top(incl, total, top)
    prof.packages = _top(pkg_t, total, top)
    return prof


def package(path: str) -> str:
    """``tracker/store/query.py`` for our code, the top-level package for a library."""
    if path.startswith("tracker/"):
        return path
    if "importlib" in path or "<frozen" in path:
        return "(module loading: importlib, marshal)"
    if path.startswith("<"):
        return path
    first = path.split("/", 1)[0]
    return first[:-3] if first.endswith(".py") else first


def import_costs(args: list[str], env: dict[str, str], top: int = 10) -> list[Hot]:
    """``python -X importtime``: the costliest imports near the top of the import tree.

    Modules imported directly by the entry point or one level below, by cumulative time
    (a module's own time plus everything it pulled in); ``share`` is of all import time.
    """
    p = subprocess.run(
        [sys.executable, "-X", "importtime", *tracker_argv(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    rows: list[tuple[str, float]] = []
    total = 0.0
    for line in p.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, cum, name = line[len("import time:") :].split("|")
        if not own.strip().isdigit():
            continue
        level = (len(name) - len(name.lstrip(" "))) // 2
        total += int(own) / 1e6
        if level <= 1:
            indent = "· " * level
            rows.append((f"{indent}{name.strip()}", int(cum) / 1e6))
    rows.sort(key=lambda r: r[1], reverse=True)
    return [Hot(n, c, c / total if total else 0.0) for n, c in rows[:top]]


def _cprofile(args: list[str], env: dict[str, str], out: Path, name: str, top: int) -> Profile:
    stats_path = out / f"{name}.pstats"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(stats_path), *tracker_argv(), *args]
    subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if not stats_path.exists():
        return Profile("cProfile", 0.0, error="no stats written")
    st = pstats.Stats(str(stats_path))
    raw = st.stats  # type: ignore[attr-defined]
    total = max((v[3] for v in raw.values()), default=0.0)
    self_t = {f"{k[2]} ({k[0]}:{k[1]})": v[2] for k, v in raw.items()}
    incl_t = {f"{k[2]} ({k[0]}:{k[1]})": v[3] for k, v in raw.items()}
    imp = sum(v[3] for k, v in raw.items() if k[2] == "_find_and_load" and "importlib" in k[0])
    text_path = out / f"{name}.txt"
    with text_path.open("w") as f:
        pstats.Stats(str(stats_path), stream=f).sort_stats("cumulative").print_stats(60)
    prof = Profile("cProfile", total, text_path=text_path)
    prof.self_top = _top(self_t, total, top)
    prof.incl_top = _top(incl_t, total, top)
    prof.import_share = min(imp / total, 1.0) if total else 0.0
    return prof


def _top(d: dict[str, float], total: float, n: int) -> list[Hot]:
    items = sorted(d.items(), key=lambda kv: kv[1], reverse=True)[:n]
    return [Hot(k, v, v / total if total else 0.0) for k, v in items]


def render(p: Profile, *, limit: int = 8) -> list[str]:
    """Markdown lines for RESULTS.md."""
    if p.error:
        return [f"_profile failed ({p.tool}): {p.error}_"]
    lines = [
        f"{p.tool}, {p.total:.3f} s in total; {p.import_share:.0%} of it importing modules."
        + (f" Full tree: `{_rel(p.text_path)}`." if p.text_path else ""),
        "",
    ]

    def table(head: str, rows: list[Hot]) -> None:
        if not rows:
            return
        lines.extend([f"| {head} | time | share |", "| --- | ---: | ---: |"])
        lines.extend(f"| `{h.name}` | {h.seconds:.3f} s | {h.share:.0%} |" for h in rows[:limit])
        lines.append("")

    table("self time, by package or tracker module", p.packages)
    table("self time, by function", p.self_top)
    table("inclusive time of tracker functions", p.incl_top)
    if p.imports:
        h = p.imports[0]
        total = h.seconds / h.share if h.share else 0.0
        lines.append(
            f"`python -X importtime`, without the profiler: {total:.3f} s of imports; the "
            "costliest near the top of the import tree (`·` = imported by the one above):"
        )
        lines.append("")
        table("import (cumulative)", p.imports)
    return lines


def _rel(p: Path | None) -> str:
    if p is None:
        return ""
    try:
        return str(p.relative_to(Path(__file__).resolve().parent.parent))
    except ValueError:
        return str(p)


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    prof = profile(argv, dict(os.environ), Path("benchmarks/work/profiles"), "adhoc", imports=True)
    print("\n".join(render(prof, limit=12)))
