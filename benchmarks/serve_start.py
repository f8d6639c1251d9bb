"""One browser visitor's app start, without a server or a browser (issue 13).

    python benchmarks/serve_start.py benchmarks/work/serve-100k.db      # 5 starts
    python benchmarks/serve_start.py DB --repeats 3 --hold 20           # and its idle CPU after

Starts ``python -m tracker --db DB tui`` the way ``tracker serve`` starts a visitor's app (its
``VisitorDriver`` on a pipe, textual-serve's environment, the person in ``TRACKER_USER``) and
reads its packets until the filter bar shows the list's count: the first rows. Prints, per
start, the wall seconds to the driver's prelude (the imports and the app's construction) and to
the first rows, and the app's CPU seconds at the first rows (all its threads: on a loaded
machine the wall time says more about the others than about the app). With ``--hold S`` the
app stays S seconds more and its CPU then is printed too (the tree, units and due-soon limits
load after the first rows; an idle app costs almost nothing). The database is used as it is:
give it a copy.

``PYTHONPROFILEIMPORTTIME=1`` in the environment passes to the app; ``--stderr FILE`` keeps
what the app wrote there (the import times, say).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
from pathlib import Path

COUNT = re.compile(rb"\d[\d,]* tasks")
QUIT = b'{"type": "quit"}'


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def packet(stdout: asyncio.StreamReader) -> tuple[bytes, bytes]:
    kind = await stdout.readexactly(1)
    size = int.from_bytes(await stdout.readexactly(4), "big")
    return kind, await stdout.readexactly(size)


async def start(db: str, hold: float, stderr_file: str | None) -> dict[str, float]:
    env = dict(os.environ, TRACKER_USER=os.environ.get("TRACKER_USER", "admin"))
    env.update(TEXTUAL_DRIVER="tracker.tui.web:VisitorDriver", TEXTUAL_FPS="60")
    env.update(TEXTUAL_COLOR_SYSTEM="truecolor", TERM_PROGRAM="textual", COLUMNS="140")
    env.update(ROWS="40", MALLOC_ARENA_MAX="2", TRACKER_LANG="en")
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    argv = [sys.executable, "-m", "tracker", "--db", db, "--lang", "en", "tui"]
    pipe = asyncio.subprocess.PIPE
    p = await asyncio.create_subprocess_exec(*argv, stdin=pipe, stdout=pipe, stderr=pipe, env=env)
    assert p.stdin is not None and p.stdout is not None and p.stderr is not None
    out: dict[str, float] = {}
    await p.stdout.readline()  # the driver's prelude
    out["prelude_s"] = loop.time() - t0
    drawn = b""
    while True:
        kind, payload = await asyncio.wait_for(packet(p.stdout), 60)
        if kind == b"D":
            drawn = drawn[-512:] + payload
            if COUNT.search(drawn):
                break
    out["first_rows_s"] = loop.time() - t0
    out["cpu_at_first_rows_s"] = cpu_seconds(p.pid)
    if hold:
        stdout = p.stdout

        async def drain() -> None:
            while True:
                await packet(stdout)

        draining = asyncio.create_task(drain())
        await asyncio.sleep(hold)
        out[f"cpu_after_{hold:g}s"] = cpu_seconds(p.pid)
        draining.cancel()
    p.stdin.write(b"M" + len(QUIT).to_bytes(4, "big") + QUIT)
    await p.stdin.drain()
    p.stdin.close()
    try:
        await asyncio.wait_for(p.wait(), 10)
    except TimeoutError:
        p.kill()
    err = await p.stderr.read()
    if stderr_file:
        Path(stderr_file).write_bytes(err)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--hold", type=float, default=0.0)
    ap.add_argument("--stderr", default=None)
    a = ap.parse_args(argv)
    runs = [asyncio.run(start(a.db, a.hold, a.stderr)) for _ in range(a.repeats)]
    for run in runs:
        print("  ".join(f"{k} {v:.2f}" for k, v in run.items()))
    print(
        "median  " + "  ".join(f"{k} {statistics.median(r[k] for r in runs):.2f}" for k in runs[0])
    )
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
