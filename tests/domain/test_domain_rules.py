"""The domain's rules alone: the transition table, progress, postponement, ledger edits."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain import OPEN, STATUSES, Action, Role, State, Status
from tracker.domain.rules import (
    TRANSITIONS,
    MoveRefused,
    TransitionRefused,
    apply_action,
    apply_edit,
    apply_postpone,
    apply_progress,
    may,
    move_action,
    parse_progress,
)
from tracker.domain.status import (
    CLOSED,
    COUNTED,
    DONE_STATES,
    HIDDEN,
    UNCOUNTED,
    parse_status,
)
from tracker.errors import BadInput, Refused
from tracker.store.sql import in_list

NOW = "2020-04-20T09:30:00"
# (action, from) -> to, written out by hand from cli.md: every other pair is refused
ALLOWED = {
    ("start", "todo"): "doing",
    ("start", "blocked"): "doing",
    ("done", "todo"): "done",
    ("done", "doing"): "done",
    ("verify", "done"): "verified",
    ("reopen", "done"): "doing",
    ("reopen", "verified"): "doing",
    ("block", "todo"): "blocked",
    ("block", "doing"): "blocked",
    # cli-v2.md: waive from todo, doing or blocked; reopen takes a waived task back to doing
    ("waive", "todo"): "waived",
    ("waive", "doing"): "waived",
    ("waive", "blocked"): "waived",
    ("reopen", "waived"): "doing",
}


@pytest.mark.parametrize("action", ["start", "done", "verify", "reopen", "block", "waive"])
@pytest.mark.parametrize("status", [s.value for s in Status])
def test_transition_table(action: str, status: str) -> None:
    state = State(status=status, due="2020-04-30", done_at="2020-04-01T08:00:00")
    wanted = ALLOWED.get((action, status))
    assert may(Action(action), status) is (wanted is not None)
    if wanted is None:
        with pytest.raises(TransitionRefused) as e:
            apply_action(7, state, Action(action), now=NOW, reason="r")
        assert "#7" in e.value.render("en") and "\n" not in e.value.render("zh")
        return
    after = apply_action(7, state, Action(action), now=NOW, reason="no funds")
    assert after.status == wanted
    assert after.due == "2020-04-30" and after.progress is None
    if action == "done":
        assert after.done_at == NOW
    if action == "reopen":
        assert after.done_at is None
    assert after.blocked_reason == ("no funds" if action == "block" else None)
    if action == "waive":  # the reason is the event's note; the done time stays as it was
        assert after.done_at == state.done_at


def test_groups_partition_the_statuses() -> None:
    assert set(STATUSES) == OPEN | DONE_STATES | {Status.WITHDRAWN, Status.WAIVED}
    assert DONE_STATES | {Status.WITHDRAWN, Status.WAIVED} == CLOSED
    # waived counts nowhere, like withdrawn (cli-v2.md), but is not hidden from lists
    assert Status.WITHDRAWN not in COUNTED and Status.WAIVED not in COUNTED
    assert len(COUNTED) == 5 and {"withdrawn", "waived"} == UNCOUNTED and {"withdrawn"} == HIDDEN
    assert Status.WAIVED == "waived" and Status.WAIVED.label("zh") == "已免除"
    assert Status.TODO == "todo" and "blocked" in OPEN  # plain words from SQL compare equal
    assert {sources for sources, _ in TRANSITIONS.values()} <= {
        frozenset(x)
        for x in (
            {"todo", "blocked"},
            {"todo", "doing"},
            {"done"},
            DONE_STATES | {"waived"},
            OPEN,
        )
    }


def test_progress_rules() -> None:
    todo = State(due="2020-04-30")
    assert apply_progress(1, todo, 119, 30, relative=False, now=NOW) == State(
        status="doing", progress=30, due="2020-04-30"
    )
    half = State(status="doing", progress=80, due="2020-04-30")
    done = apply_progress(1, half, 119, 39, relative=True, now=NOW)
    assert (done.status, done.progress, done.done_at) == ("done", 119, NOW)
    blocked = State(status="blocked", progress=1, blocked_reason="rain", due="2020-04-30")
    assert apply_progress(1, blocked, None, 5, relative=False, now=NOW).status == "blocked"
    with pytest.raises(TransitionRefused):
        apply_progress(1, State(status="done"), 10, 1, relative=True, now=NOW)
    assert parse_progress("+5") == (5.0, True) and parse_progress(" 30 ") == (30.0, False)
    assert parse_progress("-5") == (-5.0, True)  # a correction down
    with pytest.raises(BadInput):  # below zero
        apply_progress(1, half, 119, -81, relative=True, now=NOW)
    assert apply_progress(1, half, 119, -30, relative=True, now=NOW).progress == 50
    for bad in ("abc", "nan", "inf", "+", "-"):
        with pytest.raises(BadInput):
            parse_progress(bad)


def test_postpone_rules() -> None:
    state = State(status="doing", due="2020-04-30", postponed=1)
    after = apply_postpone(3, state, date(2020, 5, 15))
    assert (after.due, after.postponed, after.status) == ("2020-05-15", 2, "doing")
    with pytest.raises(Refused):
        apply_postpone(3, state, date(2020, 4, 30))  # not later
    with pytest.raises(TransitionRefused):
        apply_postpone(3, State(status="verified", due="2020-04-30"), date(2020, 6, 1))


@pytest.mark.parametrize(
    ("current", "wanted", "action"),
    [
        ("todo", "doing", "start"),
        ("todo", "done", "done"),
        ("done", "verified", "verify"),
        ("verified", "doing", "reopen"),
        ("doing", "blocked", "block"),
        ("todo", "verified", None),
        ("done", "todo", None),
        ("blocked", "done", None),
        ("verified", "done", None),
        ("blocked", "waived", "waive"),
        ("waived", "doing", "reopen"),
        ("done", "waived", None),
        ("waived", "done", None),
    ],
)
def test_move_action(current: str, wanted: str, action: str | None) -> None:
    assert move_action(current, wanted) == action


def test_ledger_edit_follows_the_commands() -> None:
    todo = State(due="2020-04-30")
    # progress on a todo task: doing; reaching the target: done
    assert (
        apply_edit(1, todo, 10, status="todo", progress=3, reason=None, now=NOW).status == "doing"
    )
    full = apply_edit(1, todo, 10, status="todo", progress=10, reason=None, now=NOW)
    assert (full.status, full.done_at) == ("done", NOW)
    with pytest.raises(MoveRefused) as e:
        apply_edit(1, todo, None, status="verified", progress=None, reason=None, now=NOW)
    assert "todo" in e.value.render("en") and "已销号" in e.value.render("zh")
    with pytest.raises(Refused):  # blocking needs the reason in the note
        apply_edit(1, todo, None, status="blocked", progress=None, reason=None, now=NOW)
    blocked = apply_edit(1, todo, None, status="blocked", progress=None, reason="雨", now=NOW)
    assert (blocked.status, blocked.blocked_reason) == ("blocked", "雨")
    with pytest.raises(MoveRefused):  # reaching the target while saying it is still open
        apply_edit(1, todo, 10, status="blocked", progress=12, reason="x", now=NOW)
    with pytest.raises(Refused) as r:  # waiving needs its reason in the note, as blocking does
        apply_edit(1, todo, None, status="waived", progress=None, reason=None, now=NOW)
    assert "waived" in r.value.render("en")
    waived = apply_edit(1, todo, None, status="waived", progress=None, reason="本周免报", now=NOW)
    assert waived.status == "waived" and waived.blocked_reason is None


def test_parse_status_and_roles() -> None:
    assert parse_status("已完成") == Status.DONE and parse_status(" Verified ") == Status.VERIFIED
    assert parse_status("完成了") is None
    assert parse_status("已免除") == Status.WAIVED and parse_status("waived") == Status.WAIVED
    assert Role.parse("督办员") == Role.VERIFIER and Role.parse("Admin") == Role.ADMIN
    assert Role.parse("boss") is None


def test_in_list_is_a_stable_sql_literal() -> None:
    assert in_list(DONE_STATES) == "('done','verified')"
    assert in_list(OPEN) == "('blocked','doing','todo')"
