"""The in-memory search index: it only narrows a search, so results equal the plain search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.context import Context
from tracker.store import actions, textindex
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.store.query import TaskFilter, count_tasks, query_tasks, task_index
from tracker.store.textindex import build_index

TODAY = date(2020, 4, 20)


def found(db: Any, search: str, index: textindex.TextIndex | None = None, **kw: Any) -> list[int]:
    """Ids ``query_tasks`` returns for ``search``, narrowed by ``index`` when given."""
    ids = index.ids_matching(search) if index is not None else None
    flt = TaskFilter(search=search, search_ids=ids, **kw)
    rows = query_tasks(db, flt, TODAY)
    assert count_tasks(db, flt, TODAY) == len(rows)
    return [int(r["id"]) for r in rows]


def test_titles_plan_notes_and_case_as_like(loaded: Any) -> None:
    index = build_index(loaded)
    assert index.ids_matching("清洁") == (2, 3)
    assert index.ids_matching("路线图") == (1,)  # the plan's notes
    assert index.ids_matching("ROADS") == (8,)  # ASCII case folded, as LIKE does
    assert index.ids_matching("Summer AUDIT") == (9,)
    assert index.ids_matching("不存在") == ()
    for needle in ("清洁", "路线图", "ROADS", "调度会", "a", "不存在"):
        assert found(loaded, needle, index) == found(loaded, needle), needle


def test_digits_of_ids_are_not_matched(loaded: Any) -> None:
    index = build_index(loaded)
    assert index.ids_matching("7") == ()  # id 7 exists; no title or note holds a 7
    assert index.ids_matching("20") == ()
    assert found(loaded, "7", index) == found(loaded, "7") == []


def test_staff_notes_still_found(loaded: Any, ctx: Context) -> None:
    """A note written through ``tracker note`` is in the events, not in the index."""
    index = build_index(loaded)
    actions.note(loaded, ctx, "9", "需要审计局配合 100%")
    assert index.ids_matching("审计局") == ()
    assert found(loaded, "审计局", index) == found(loaded, "审计局") == [9]
    assert found(loaded, "100%", index) == [9]  # wildcards stay literal
    actions.undo(loaded, ctx)
    assert found(loaded, "审计局", index) == []


def test_combines_with_the_other_filters(loaded: Any, ctx: Context) -> None:
    index = build_index(loaded)
    actions.done(loaded, ctx, ["2"])
    for kw in ({"statuses": ("todo",)}, {"owner": "town-a"}, {"campaign": "summer"}, {}):
        assert found(loaded, "清洁", index, **kw) == found(loaded, "清洁", **kw), kw
    flt = TaskFilter(search="清洁", search_ids=index.ids_matching("清洁"))
    assert task_index(loaded, flt, TODAY, 3) == task_index(
        loaded, TaskFilter(search="清洁"), TODAY, 3
    )


def test_dense_matches_are_left_to_sql(loaded: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textindex, "MAX_IDS", 2)
    index = build_index(loaded)
    assert index.ids_matching("调度会") is None  # three instances
    assert index.ids_matching("清洁") == (2, 3)
    assert index.ids_matching("") is None
    assert index.ids_matching("a\x1fb") is None and index.ids_matching("\x1e") is None


def test_stale_after_a_load(loaded: Any, ctx: Context, sample: Any) -> None:
    index = build_index(loaded)
    assert index.is_current(loaded)
    actions.done(loaded, ctx, ["2"])  # staff work changes no title: still current
    assert index.is_current(loaded)
    items = sample.instances()
    items[1] = replace(items[1], title="城关镇开展村庄美化行动")
    items.append(replace(items[0], uid=items[0].uid + "-2", title="新增任务"))
    load_expansion(loaded, sample.expansion(items), replace(ctx, today=date(2020, 4, 21)))
    assert not index.is_current(loaded)
    fresh = build_index(loaded)
    assert fresh.is_current(loaded)
    assert fresh.ids_matching("美化") == (2,)
    assert fresh.ids_matching("新增") == (10,)


WORDS = st.sampled_from(
    ["镇", "村", "Road", "ROAD", "road", "整治", "1", "23", "%", "_", "\\", " "]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.lists(st.lists(WORDS, min_size=1, max_size=4).map("".join), min_size=1, max_size=8),
    needle=st.lists(WORDS, min_size=1, max_size=2).map("".join),
)
def test_same_result_as_the_plain_search(
    ctx: Context, sample: Any, titles: list[str], needle: str
) -> None:
    db = open_db(":memory:")
    base = sample.instances()[0]
    items = [
        replace(base, uid=f"{base.uid}-{i}", title=title, notes=None, position=i)
        for i, title in enumerate(titles)
    ]
    load_expansion(db, sample.expansion(items), ctx)
    index = build_index(db)
    narrowed = index.ids_matching(needle)
    plain = found(db, needle)
    if narrowed is not None:
        assert set(plain) <= set(narrowed)
    assert found(db, needle, index) == plain


def test_a_reload_within_the_same_second_is_told_by_the_digest(
    db: Any, ctx: Context, sample: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    monkeypatch.setattr(Context, "now", lambda self: datetime(2020, 4, 20, 9, 30))
    load_expansion(db, sample.expansion(), ctx, digest="first")
    index = build_index(db)
    items = sample.instances()
    items[1] = replace(items[1], title="城关镇开展村庄美化行动")
    load_expansion(db, sample.expansion(items), ctx, digest="second")
    assert not index.is_current(db)


def test_built_in_chunks(loaded: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = build_index(loaded)
    monkeypatch.setattr(textindex, "CHUNK", 2)
    chunked = build_index(loaded)
    assert chunked.text == whole.text
    assert chunked.ids_matching("调度会") == whole.ids_matching("调度会") == (5, 6, 7)


def test_search_reads_only_the_noted_events(loaded: Any) -> None:
    """The staff-note part of a search uses the partial index of noted events (m007)."""
    from tracker.store.query import NOTED

    plan = " ".join(r[3] for r in loaded.conn.execute("EXPLAIN QUERY PLAN " + NOTED, ["%x%"]))
    assert "COVERING INDEX events_noted" in plan, plan
