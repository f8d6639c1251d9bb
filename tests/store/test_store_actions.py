"""The status machine, progress, postpone, notes and the event log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput, NotFound, Refused
from tracker.store import actions
from tracker.store.query import get_task

STATUSES = ("todo", "doing", "done", "verified", "blocked", "withdrawn")
ALLOWED = {
    "start": {"todo": "doing", "blocked": "doing"},
    "done": {"todo": "done", "doing": "done"},
    "verify": {"done": "verified"},
    "reopen": {"done": "doing", "verified": "doing"},
    "block": {"todo": "blocked", "doing": "blocked"},
}


def as_user(ctx: Context, user: str) -> Context:
    return Context(db_path=ctx.db_path, today=ctx.today, user=user, lang=ctx.lang)


def force(db: Any, task_id: int, status: str) -> None:
    """Put a task in ``status`` directly (test setup only)."""
    done_at = "2020-04-18T10:00:00" if status in ("done", "verified") else None
    db.conn.execute(
        "UPDATE tasks SET status = ?, done_at = ?, blocked_reason = ? WHERE id = ?",
        (status, done_at, "why" if status == "blocked" else None, task_id),
    )


def call(action: str, db: Any, ctx: Context, refs: list[str]) -> list[dict[str, Any]]:
    if action == "block":
        return actions.block(db, ctx, refs, "no funds")
    fn = getattr(actions, action)
    return fn(db, ctx, refs)  # type: ignore[no-any-return]


def events(db: Any) -> list[dict[str, Any]]:
    return actions.history(db)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_transition_matrix(loaded: Any, ctx: Context, action: str, status: str) -> None:
    force(loaded, 1, status)
    target = ALLOWED[action].get(status)
    if target is None:
        with pytest.raises(Refused) as e:
            call(action, loaded, ctx, ["1"])
        assert get_task(loaded, "1")["status"] == status  # nothing changed
        assert events(loaded) == []
        assert "#1" in e.value.render("en") and "\n" not in e.value.render("zh")
        return
    [row] = call(action, loaded, ctx, ["1"])
    assert (row["before"]["status"], row["status"]) == (status, target)
    [ev] = events(loaded)
    assert (ev["action"], ev["user"], ev["task_id"]) == (action, "tester", 1)
    assert ev["before"]["status"] == status and ev["after"]["status"] == target
    assert set(ev["before"]) == set(actions.STATE_FIELDS) == set(ev["after"])
    assert ev["at"].startswith("2020-04-20T")
    assert get_task(loaded, "1")["touched"] == 1


def test_done_stamps_now_and_reopen_clears(loaded: Any, ctx: Context) -> None:
    [row] = actions.done(loaded, ctx, ["1"], note="checked on site")
    assert row["done_at"].startswith("2020-04-20T") and len(row["done_at"]) == 19
    assert events(loaded)[0]["note"] == "checked on site"
    actions.verify(loaded, ctx, ["1"])
    assert get_task(loaded, "1")["done_at"] == row["done_at"]
    [row] = actions.reopen(loaded, ctx, ["1"])
    assert (row["status"], row["done_at"]) == ("doing", None)


def test_block_and_start_again(loaded: Any, ctx: Context) -> None:
    actions.block(loaded, ctx, ["2"], "  no funds  ")
    t = get_task(loaded, "2")
    assert (t["status"], t["blocked_reason"]) == ("blocked", "no funds")
    actions.start(loaded, ctx, ["2"])
    t = get_task(loaded, "2")
    assert (t["status"], t["blocked_reason"]) == ("doing", None)
    with pytest.raises(BadInput):
        actions.block(loaded, ctx, ["2"], "  ")


def test_multi_task_command_is_all_or_nothing(loaded: Any, ctx: Context) -> None:
    force(loaded, 3, "verified")
    with pytest.raises(Refused):
        actions.done(loaded, ctx, ["1", "2", "3"])
    with pytest.raises(NotFound):
        actions.done(loaded, ctx, ["1", "2", "999"])
    assert [get_task(loaded, str(i))["status"] for i in (1, 2)] == ["todo", "todo"]
    assert events(loaded) == []
    rows = actions.done(loaded, ctx, ["1", "2", "1", "xx-county-2020/spring/renju"])
    assert [r["id"] for r in rows] == [1, 2, 4]
    evs = events(loaded)
    assert len(evs) == 3 and len({e["batch"] for e in evs}) == 1
    [again] = actions.start(loaded, ctx, ["5"])
    assert events(loaded)[0]["batch"] == evs[0]["batch"] + 1
    assert again["status"] == "doing"


def test_unknown_task(loaded: Any, ctx: Context) -> None:
    for ref in ("999", "no/such/uid", "0"):
        with pytest.raises(NotFound) as e:
            actions.start(loaded, ctx, [ref])
        assert ref in e.value.render("en")


def test_progress_absolute_relative_and_target(loaded: Any, ctx: Context) -> None:
    row = actions.progress(loaded, ctx, "4", "30")
    assert (row["progress"], row["status"]) == (30.0, "doing")  # todo -> doing
    row = actions.progress(loaded, ctx, "4", "+50", note="two towns")
    assert (row["progress"], row["status"], row["done_at"]) == (80.0, "doing", None)
    row = actions.progress(loaded, ctx, "4", "+39")
    assert (row["progress"], row["status"]) == (119.0, "done")
    assert row["done_at"].startswith("2020-04-20T")
    ev = events(loaded)[0]
    assert (ev["action"], ev["before"]["status"], ev["after"]["status"]) == (
        "progress",
        "doing",
        "done",
    )
    with pytest.raises(Refused):  # done: reopen first
        actions.progress(loaded, ctx, "4", "120")


def test_progress_without_target_and_on_blocked(loaded: Any, ctx: Context) -> None:
    row = actions.progress(loaded, ctx, "1", "2.5")
    assert (row["progress"], row["status"]) == (2.5, "doing")
    actions.block(loaded, ctx, ["4"], "waiting")
    row = actions.progress(loaded, ctx, "4", "10")
    assert row["status"] == "blocked"
    row = actions.progress(loaded, ctx, "4", "200")
    assert row["status"] == "done" and row["blocked_reason"] is None


@pytest.mark.parametrize("value", ["abc", "-3", "+", "nan", "inf", "1e999", ""])
def test_bad_progress_value(loaded: Any, ctx: Context, value: str) -> None:
    with pytest.raises(BadInput):
        actions.progress(loaded, ctx, "4", value)
    assert events(loaded) == []


def test_postpone(loaded: Any, ctx: Context) -> None:
    row = actions.postpone(loaded, ctx, "2", "2020-05-15", "flooding")
    assert (row["due"], row["planned_due"], row["postponed"]) == ("2020-05-15", "2020-04-30", 1)
    row = actions.postpone(loaded, ctx, "2", "2020-05-31", "again")
    assert (row["due"], row["planned_due"], row["postponed"]) == ("2020-05-31", "2020-04-30", 2)
    ev = events(loaded)[0]
    assert (ev["action"], ev["note"], ev["before"]["due"], ev["after"]["due"]) == (
        "postpone",
        "again",
        "2020-05-15",
        "2020-05-31",
    )
    with pytest.raises(Refused):  # not later than the current deadline
        actions.postpone(loaded, ctx, "2", "2020-05-31", "same")
    with pytest.raises(BadInput):
        actions.postpone(loaded, ctx, "2", "2020-13-01", "bad date")
    with pytest.raises(BadInput):
        actions.postpone(loaded, ctx, "2", "2020-06-30", "")
    actions.done(loaded, ctx, ["2"])
    with pytest.raises(Refused):
        actions.postpone(loaded, ctx, "2", "2020-06-30", "too late")


def test_note_on_any_status_touches(loaded: Any, ctx: Context) -> None:
    force(loaded, 5, "verified")
    row = actions.note(loaded, ctx, "5", "会议纪要已归档")
    assert row["status"] == "verified" and row["touched"] == 1
    ev = events(loaded)[0]
    assert (ev["action"], ev["note"], ev["before"], ev["after"]) == (
        "note",
        "会议纪要已归档",
        ev["after"],
        ev["before"],
    )
    with pytest.raises(BadInput):
        actions.note(loaded, ctx, "5", "   ")


def batches(db: Any) -> list[int]:
    return [int(r[0]) for r in db.conn.execute("SELECT DISTINCT batch FROM events")]


def test_progress_many_is_one_batch_and_one_undo(loaded: Any, ctx: Context) -> None:
    rows = actions.progress_many(loaded, ctx, ["2", "4", "2"], "+30", note="week 16")
    assert [(r["id"], r["progress"], r["status"]) for r in rows] == [
        (2, 30, "doing"),  # each task once, in the order given
        (4, 30, "doing"),
    ]
    assert [e["note"] for e in events(loaded)] == ["week 16", "week 16"]
    assert len(batches(loaded)) == 1
    rows = actions.progress_many(loaded, ctx, ["4", "2"], "+89")  # 4 reaches its target
    assert [(r["id"], r["progress"], r["status"]) for r in rows] == [
        (4, 119, "done"),
        (2, 119, "doing"),
    ]
    assert len(actions.undo(loaded, ctx)) == 2  # the second call, both tasks
    assert [(get_task(loaded, i)["progress"], get_task(loaded, i)["status"]) for i in (2, 4)] == [
        (30, "doing"),
        (30, "doing"),
    ]


def test_many_refuse_all_or_nothing(loaded: Any, ctx: Context) -> None:
    force(loaded, 3, "done")
    with pytest.raises(Refused):
        actions.progress_many(loaded, ctx, ["2", "3"], "5")
    with pytest.raises(Refused):  # 5 is due 02-28, 1 on 04-30: not later for 1
        actions.postpone_many(loaded, ctx, ["5", "1"], "2020-04-30", "rain")
    with pytest.raises(NotFound):
        actions.note_many(loaded, ctx, ["2", "42"], "hello")
    assert events(loaded) == []
    assert get_task(loaded, "2")["progress"] is None and get_task(loaded, "5")["postponed"] == 0


def test_postpone_many_and_note_many_undo_as_one(loaded: Any, ctx: Context) -> None:
    rows = actions.postpone_many(loaded, ctx, ["5", "6"], "2020-05-15", "flooding")
    assert [(r["due"], r["planned_due"], r["postponed"]) for r in rows] == [
        ("2020-05-15", "2020-02-28", 1),
        ("2020-05-15", "2020-03-31", 1),
    ]
    actions.note_many(loaded, ctx, ["5", "6", "1"], "已报县委")
    assert [get_task(loaded, i)["touched"] for i in (5, 6, 1)] == [1, 1, 1]
    assert len(batches(loaded)) == 2
    assert {r["undone_action"] for r in actions.undo(loaded, ctx)} == {"note"}
    undone = actions.undo(loaded, ctx)
    assert [(r["id"], r["due"], r["postponed"]) for r in undone] == [
        (5, "2020-02-28", 0),
        (6, "2020-03-31", 0),
    ]


def test_event_rows_are_full_json_snapshots(loaded: Any, ctx: Context) -> None:
    actions.postpone(loaded, ctx, "1", "2020-05-08", "x")
    raw = loaded.conn.execute("SELECT before, after, user FROM events").fetchone()
    before, after = json.loads(raw[0]), json.loads(raw[1])
    assert before == {
        "status": "todo",
        "progress": None,
        "due": "2020-04-30",
        "postponed": 0,
        "done_at": None,
        "blocked_reason": None,
    }
    assert after == dict(before, due="2020-05-08", postponed=1)


def test_two_people_verifying_one_task(loaded: Any, ctx: Context) -> None:
    actions.done(loaded, ctx, ["1"])
    actions.verify(loaded, as_user(ctx, "amy"), ["1"])
    with pytest.raises(Refused):
        actions.verify(loaded, as_user(ctx, "bob"), ["1"])
    assert [e["user"] for e in events(loaded)] == ["amy", "tester"]


def test_history_filters_and_orders(loaded: Any, ctx: Context) -> None:
    actions.start(loaded, ctx, ["1"])
    actions.start(loaded, ctx, ["2"])
    actions.done(loaded, ctx, ["1"])
    assert [(e["task_id"], e["action"]) for e in actions.history(loaded)] == [
        (1, "done"),
        (2, "start"),
        (1, "start"),
    ]
    assert [e["action"] for e in actions.history(loaded, "1")] == ["done", "start"]
    assert len(actions.history(loaded, limit=1)) == 1
    assert actions.history(loaded, "1")[0]["uid"] == "xx-county-2020/spring/xunshi"
    with pytest.raises(NotFound):
        actions.history(loaded, "42")
