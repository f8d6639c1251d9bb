"""Postponement requests end to end through the CLI (people.md): staff ask, a verifier in scope
or a leader decides; approve is a version 1 postponement, reject keeps the deadline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from people_helpers import DUE, PLAN, Act, dump, ok, refused, rows, show, uid

NEW = "2020-05-31"
TASK = uid("in-todo")


def _request(act: Act) -> None:
    r = ok(act("staff", "postpone", TASK, NEW, "--reason", "汛期道路中断"))
    assert "requested" in r.stdout and NEW in r.stdout


def _listed(act: Act, ref: str) -> dict[str, Any]:
    found = json.loads(ok(act("staff", "list", "--json")).stdout)
    [t] = [t for t in found if t["uid"] == ref]
    return t  # type: ignore[no-any-return]


def test_staff_request_is_shown_and_moves_nothing(managed: Path, act: Act) -> None:
    _request(act)
    want = {"due": NEW, "reason": "汛期道路中断", "by": "staff"}
    for t in (show(act, TASK), _listed(act, TASK)):
        assert (t["due"], t["planned_due"], t["postponed"]) == (DUE, DUE, 0)
        req = t["postpone_request"]
        assert set(req) == {"due", "reason", "by", "at"}
        assert {k: req[k] for k in want} == want
        assert req["at"].startswith(date.today().isoformat())
    text = ok(act("verifier", "show", TASK)).stdout
    [line] = [x for x in text.splitlines() if "postponement request" in x]
    assert NEW in line and "staff" in line and "汛期道路中断" in line
    assert show(act, uid("in-done"))["postpone_request"] is None
    assert _listed(act, uid("out-todo"))["postpone_request"] is None


def test_request_in_chinese_show(managed: Path, act: Act) -> None:
    _request(act)
    text = ok(act("leader", "--lang", "zh", "show", TASK)).stdout
    assert "延期申请" in text and NEW in text


@pytest.mark.parametrize("second", ["staff", "doer"])
def test_one_open_request_per_task(second: str, managed: Path, act: Act) -> None:
    _request(act)
    before = dump(managed)
    r = act(second, "postpone", TASK, "2020-06-30", "--reason", "再延")
    refused(r, "already has a postponement request")
    assert dump(managed) == before
    assert show(act, TASK)["postpone_request"]["due"] == NEW


def test_a_request_must_be_one_that_could_apply(managed: Path, act: Act) -> None:
    before = dump(managed)
    refused(act("staff", "postpone", TASK, "2020-04-01", "--reason", "提前"), DUE)
    refused(act("staff", "postpone", uid("in-done"), NEW, "--reason", "已完成"))
    assert dump(managed) == before


@pytest.mark.parametrize("decider", ["verifier", "leader", "admin"])
def test_approve_moves_the_deadline_as_postpone_does(decider: str, managed: Path, act: Act) -> None:
    _request(act)
    r = ok(act(decider, "approve", TASK, "--note", "同意"))
    assert DUE in r.stdout and NEW in r.stdout
    t = show(act, TASK)
    assert (t["due"], t["planned_due"], t["postponed"], t["postpone_request"]) == (
        NEW,
        DUE,
        1,
        None,
    )
    assert _listed(act, TASK)["postpone_request"] is None
    assert (t["history"][0]["user"], t["history"][0]["action"]) == (decider, "approve")
    assert t["status"] == "todo"
    # as a version 1 postponement: it survives a reload of the plan
    ok(act("planner", "load", str(PLAN)))
    assert show(act, TASK)["due"] == NEW


def test_approve_then_postpone_counts_on(managed: Path, act: Act) -> None:
    _request(act)
    ok(act("verifier", "approve", TASK))
    ok(act("staff", "postpone", TASK, "2020-06-30", "--reason", "再次申请"))  # a new request
    ok(act("verifier", "approve", TASK))
    t = show(act, TASK)
    assert (t["due"], t["planned_due"], t["postponed"]) == ("2020-06-30", DUE, 2)


@pytest.mark.parametrize("decider", ["verifier", "leader", "admin"])
def test_reject_keeps_the_deadline(decider: str, managed: Path, act: Act) -> None:
    _request(act)
    ok(act(decider, "reject", TASK, "--reason", "理由不充分"))
    t = show(act, TASK)
    assert (t["due"], t["planned_due"], t["postponed"], t["postpone_request"]) == (
        DUE,
        DUE,
        0,
        None,
    )
    assert (t["history"][0]["user"], t["history"][0]["action"]) == (decider, "reject")
    assert "理由不充分" in [n["text"] for n in t["notes"]]
    ok(act("staff", "postpone", TASK, "2020-06-15", "--reason", "补充材料后再申请"))
    assert show(act, TASK)["postpone_request"]["due"] == "2020-06-15"


@pytest.mark.parametrize(
    "args",
    [["approve", uid("in-todo")], ["reject", uid("in-todo"), "--reason", "无"]],
    ids=["approve", "reject"],
)
def test_decision_without_a_request_refused(args: list[str], managed: Path, act: Act) -> None:
    before = dump(managed)
    refused(act("verifier", *args), "no postponement request")
    assert dump(managed) == before


def test_decided_request_cannot_be_decided_again(managed: Path, act: Act) -> None:
    _request(act)
    ok(act("verifier", "reject", TASK, "--reason", "不同意"))
    before = dump(managed)
    refused(act("leader", "approve", TASK), "no postponement request")
    assert dump(managed) == before


def test_direct_postpone_by_a_verifier_files_no_request(managed: Path, act: Act) -> None:
    ok(act("verifier", "postpone", TASK, NEW, "--reason", "汛期"))
    t = show(act, TASK)
    assert (t["due"], t["postponed"], t["postpone_request"]) == (NEW, 1, None)


# ---------------------------------------------------------------------------------------- undo


def _state(db: Path) -> list[tuple[Any, ...]]:
    """The task's deadline fields and its requests still open."""
    task = rows(db, "SELECT due, planned_due, postponed FROM tasks WHERE uid = ?", (TASK,))
    open_ = rows(
        db,
        "SELECT r.due, r.reason, r.by FROM postpone_requests r JOIN tasks t ON t.id = r.task_id"
        " WHERE t.uid = ? AND r.state = 'open'",
        (TASK,),
    )
    return [*task, *open_]


def test_undo_of_the_request(managed: Path, act: Act) -> None:
    before = show(act, TASK)
    _request(act)
    ok(act("staff", "undo"))
    after = show(act, TASK)
    assert after["postpone_request"] is None
    keys = ("due", "planned_due", "postponed", "status")
    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}
    _request(act)  # may ask again
    assert show(act, TASK)["postpone_request"]["due"] == NEW


@pytest.mark.parametrize(
    "decision",
    [["approve", TASK], ["reject", TASK, "--reason", "不同意"]],
    ids=["approve", "reject"],
)
def test_undo_of_the_decision_puts_the_request_back(
    decision: list[str], managed: Path, act: Act
) -> None:
    _request(act)
    waiting = _state(managed)
    req = show(act, TASK)["postpone_request"]
    ok(act("leader", *decision))
    assert _state(managed) != waiting
    ok(act("leader", "undo"))
    assert _state(managed) == waiting
    assert show(act, TASK)["postpone_request"] == req
    ok(act("verifier", "approve", TASK))  # and it can be decided again
    assert show(act, TASK)["due"] == NEW


def test_request_cannot_be_withdrawn_once_decided(managed: Path, act: Act) -> None:
    _request(act)
    ok(act("verifier", "approve", TASK))
    before = dump(managed)
    r = act("staff", "undo")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.output
    assert dump(managed) == before


def test_request_in_the_weekly_report(managed: Path, act: Act) -> None:
    _request(act)
    data = json.loads(ok(act("leader", "report", "weekly", "--format", "json")).stdout)
    listed = [t for key in ("overdue", "due_next_week", "blocked") for t in data[key]]
    found = [t["postpone_request"] for t in listed if t["uid"] == TASK]
    assert found and found[0] is not None and found[0]["due"] == NEW
    text = ok(act("leader", "report", "weekly")).stdout
    assert "汛期道路中断" in text or "postponement request" in text
