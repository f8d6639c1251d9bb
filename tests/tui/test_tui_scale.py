"""500,000 instances: the table pages from SQL, so it paints, filters, scrolls to the end and
holds a bounded number of rows. Not a timed test: the limits below only keep a hang from
stalling the suite; the speed targets are measured by benchmarks/tui_latency.py."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from textual import events

from tracker.context import Context
from tracker.tui.app import TrackerApp
from tracker.tui.data import PAGE_SIZE
from tracker.tui.widgets.task_table import MAX_PAGES

BENCH = Path(__file__).parents[2] / "benchmarks" / "tui_latency.py"
N = 500_000
#: seconds before a step counts as hung (far above any target: a loaded machine is slow)
HANG = 60.0


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tui_latency", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tui_latency"] = module
    spec.loader.exec_module(module)
    return module


def test_half_a_million_instances_page_and_scroll(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    b = bench()
    # ~20 s to build on a small machine, so it is kept in pytest's cache between runs
    # (build_db rebuilds it when the row count is not right; open_db migrates it), or built
    # in the test's own folder when the cache is off (-p no:cacheprovider).
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("tui-scale") if cache is not None else tmp_path
    path = b.build_db(folder / "big.db", N)
    app = TrackerApp(Context(db_path=path, today=b.TODAY, user="bench", lang="zh"))

    async def main() -> None:
        loop = asyncio.get_running_loop()

        async def until(cond: Callable[[], bool], limit: float) -> float:
            start = loop.time()
            while not cond():
                assert loop.time() - start < limit, "no answer (hung?)"
                await asyncio.sleep(0.002)
            return loop.time() - start

        async with app.run_test(size=(100, 30)) as pilot:
            await until(lambda: app.table.row_at(0) is not None, HANG)
            await until(lambda: app.total == N, HANG)
            # a quick-view keystroke: the overdue rows' first page
            app.post_message(events.Key("3", "3"))
            await until(lambda: app.flt.view == "overdue" and 0 in app.table._pages, HANG)
            # scrolling: page down through several pages, then to the very end
            for _ in range(30):
                await pilot.press("pagedown")
            await until(lambda: app.table.current is not None, HANG)
            assert app.table.cursor > 2 * PAGE_SIZE
            app.post_message(events.Key("4", "4"))
            await until(lambda: app.flt.view == "all" and app.total == N, HANG)
            await pilot.press("end")
            await until(lambda: app.table.current is not None, HANG)
            assert app.table.cursor == N - 1
            assert len(app.table._pages) <= MAX_PAGES

    asyncio.run(main())
