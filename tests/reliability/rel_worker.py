"""One member of staff, as a process: runs a list of tracker commands on a shared database.

Used by test_rel_concurrency.py: ``python rel_worker.py START_AT ACTIONS_JSON OUT_JSON``.
Each command runs through the real CLI entry point, in this process, one after another, as
if typed at a terminal (a fresh context and connection each time). All workers sleep until
``START_AT`` (a ``time.time()`` value) so that they really start together.
"""

from __future__ import annotations

import io
import json
import sys
import time
from contextlib import redirect_stderr, redirect_stdout


def main() -> None:
    start_at, actions_file, out_file = float(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(actions_file, encoding="utf-8") as f:
        actions: list[list[str]] = json.load(f)
    from tracker.cli import app  # imported before the start line: only the commands race

    results = []
    time.sleep(max(0.0, start_at - time.time()))
    for args in actions:
        out, err = io.StringIO(), io.StringIO()
        code: object = 0
        began = time.time()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                app(args, prog_name="tracker")
            except SystemExit as e:
                code = e.code
        results.append(
            {
                "args": args,
                "code": code,
                "stdout": out.getvalue(),
                "stderr": err.getvalue(),
                "began": began,
                "ended": time.time(),
            }
        )
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
