"""The rules that hold whatever the role (people.md): no self-销号, no backdating, the real
time on every event, and ``undo`` of one's own last change."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from people_helpers import (
    DUE,
    ROLES,
    Act,
    dump,
    export_edited,
    ok,
    other_plan,
    refused,
    rows,
    show,
    uid,
)

PAST = "2020-04-15"

# ------------------------------------------------------------------------------ no self-销号


@pytest.mark.parametrize("person", ["verifier", "admin"])
def test_no_self_verify_whatever_the_role(person: str, managed: Path, act: Act) -> None:
    ok(act(person, "done", uid("in-todo")))
    before = dump(managed)
    refused(act(person, "verify", uid("in-todo")), "no self-verification", person)
    assert dump(managed) == before
    assert show(act, uid("in-todo"))["status"] == "done"


def test_someone_else_verifies(managed: Path, act: Act) -> None:
    ok(act("verifier", "done", uid("in-todo")))
    ok(act("admin", "verify", uid("in-todo")))
    t = show(act, uid("in-todo"))
    assert (t["status"], t["done_by"], t["verified_by"]) == ("verified", "verifier", "admin")


def test_self_verify_refused_in_a_batch_changes_none(managed: Path, act: Act) -> None:
    """``verify A B`` where the verifier did B: refused, and A is not verified either."""
    ok(act("verifier", "done", uid("in-todo")))
    before = dump(managed)
    refused(act("verifier", "verify", uid("in-done"), uid("in-todo")), "no self-verification")
    assert dump(managed) == before


def test_done_by_progress_counts_as_marking_done(managed: Path, act: Act) -> None:
    """Reaching the target with ``progress`` marks the task done: its author cannot verify."""
    ok(act("verifier", "progress", uid("in-todo"), "10"))
    assert show(act, uid("in-todo"))["done_by"] == "verifier"
    refused(act("verifier", "verify", uid("in-todo")), "no self-verification")


def test_the_last_one_who_marked_done_counts(managed: Path, act: Act) -> None:
    """verifier did it, it was reopened and doer did it again: now verifier may verify; and
    doer (the one who marked it done this time) is not the verifier's problem."""
    ok(act("verifier", "done", uid("in-todo")))
    ok(act("admin", "reopen", uid("in-todo"), "--note", "材料不全"))
    ok(act("doer", "done", uid("in-todo")))
    ok(act("verifier", "verify", uid("in-todo")))
    t = show(act, uid("in-todo"))
    assert (t["done_by"], t["verified_by"]) == ("doer", "verifier")


def test_undone_done_does_not_count(managed: Path, act: Act) -> None:
    """verifier's done was undone, doer marked it done: verifier may verify."""
    ok(act("verifier", "done", uid("in-todo")))
    ok(act("verifier", "undo"))
    assert show(act, uid("in-todo"))["done_by"] is None
    ok(act("doer", "done", uid("in-todo")))
    ok(act("verifier", "verify", uid("in-todo")))


@pytest.mark.parametrize("person", ["verifier", "admin"])
def test_no_self_verify_through_a_ledger(
    person: str, managed: Path, act: Act, tmp_path: Path
) -> None:
    ok(act(person, "done", uid("in-todo")))
    ledger = export_edited(act, person, tmp_path / "l.csv", uid("in-todo"), "verified")
    before = dump(managed)
    refused(act(person, "import", str(ledger)), "no self-verification", person)
    assert dump(managed) == before


def test_no_self_verify_under_a_padded_name(managed: Path, act: Act) -> None:
    ok(act(" verifier", "done", uid("in-todo")))
    before = dump(managed)
    refused(act("verifier", "verify", uid("in-todo")), "no self-verification", "verifier")
    assert dump(managed) == before


# ----------------------------------------------------------------------------- no backdating

# The writes each role may make at the real date (so that under --today only the date refuses).
WRITES: dict[str, list[str]] = {
    "start": ["start", uid("in-todo")],
    "done": ["done", uid("in-todo")],
    "block": ["block", uid("in-todo"), "--reason", "资金未到位"],
    "progress": ["progress", uid("in-todo"), "3"],
    "note": ["note", uid("in-todo"), "补记"],
    "postpone": ["postpone", uid("in-todo"), "2020-05-31", "--reason", "汛期"],
    "verify": ["verify", uid("in-done")],
    "reopen": ["reopen", uid("in-done")],
    "approve": ["approve", uid("in-req")],
    "reject": ["reject", uid("in-req"), "--reason", "理由不充分"],
    "import": [],  # a ledger with in-todo set to doing
    "undo": ["undo"],  # after a note at the real date
    "load": [],  # other.toml
    "people add": ["people", "add", "王芳", "--role", "staff"],
    "people remove": ["people", "remove", "doer"],
}
MAY_WRITE: dict[str, list[str]] = {
    "staff": ["start", "done", "block", "progress", "note", "postpone", "import", "undo"],
    "verifier": [
        "start",
        "done",
        "block",
        "progress",
        "note",
        "postpone",
        "verify",
        "reopen",
        "approve",
        "reject",
        "import",
        "undo",
    ],
    "leader": ["note", "approve", "reject", "undo"],
    "planner": ["note", "load", "undo"],
    "admin": list(WRITES),
}
BACKDATED = [(role, w) for role in ROLES for w in MAY_WRITE[role]]


def _write_args(write: str, person: str, act: Act, tmp: Path) -> list[str]:
    if write == "import":
        return ["import", str(export_edited(act, person, tmp / "l.csv", uid("in-todo"), "doing"))]
    if write == "load":
        return ["load", str(other_plan(tmp))]
    if write == "undo":
        ok(act(person, "note", uid("in-todo"), "今天的备注"))
    return WRITES[write]


@pytest.mark.parametrize(("person", "write"), BACKDATED, ids=[f"{p}-{w}" for p, w in BACKDATED])
def test_backdating(person: str, write: str, managed: Path, act: Act, tmp_path: Path) -> None:
    """Under --today 2020-04-15: refused for everyone but an admin (who replays a season)."""
    args = _write_args(write, person, act, tmp_path)
    before = dump(managed)
    r = act(person, *args, today=PAST)
    if person != "admin":
        refused(r, "no backdating", PAST)
        assert dump(managed) == before
        return
    assert r.exit_code == 0, r.output
    assert dump(managed) != before


@pytest.mark.parametrize("person", ROLES)
def test_the_real_date_is_not_backdating(person: str, managed: Path, act: Act) -> None:
    ok(act(person, "note", uid("in-todo"), "今天", today=date.today().isoformat()))


READS = [
    ["list"],
    ["list", "--json"],
    ["show", uid("in-todo")],
    ["history"],
    ["report", "weekly"],
    ["report", "weekly", "--format", "json"],
    ["export"],
    ["export", "--format", "json"],
    ["people", "list"],
]


@pytest.mark.parametrize("person", ROLES)
@pytest.mark.parametrize("args", READS, ids=lambda a: "-".join(a[:2]))
def test_reads_under_today_for_everyone(
    person: str, args: list[str], managed: Path, act: Act
) -> None:
    before = dump(managed)
    r = act(person, *args, today=PAST)
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    assert dump(managed) == before


def test_admin_replay_records_the_real_time(managed: Path, act: Act) -> None:
    start = datetime.now().replace(microsecond=0)
    ok(act("admin", "done", uid("in-todo"), today=PAST))
    ok(act("admin", "note", uid("out-todo"), "回放", today=PAST))
    end = datetime.now()
    found = rows(
        managed,
        "SELECT at, recorded_at, user, action FROM events ORDER BY id DESC LIMIT 2",
    )
    assert [(u, a) for _, _, u, a in found] == [("admin", "note"), ("admin", "done")]
    for at, recorded, _, _ in found:
        assert at.startswith(PAST + "T")
        assert start <= datetime.fromisoformat(recorded) <= end
    t = show(act, uid("in-todo"))
    assert t["done_at"].startswith(PAST) and t["done_by"] == "admin"


def test_every_event_records_the_real_time(managed: Path, act: Act) -> None:
    ok(act("staff", "start", uid("in-todo")))
    ok(act("verifier", "approve", uid("in-req")))
    ok(act("leader", "reject", uid("out-req"), "--reason", "不予延期"))
    ok(act("staff", "undo"))
    today = date.today().isoformat()
    found = rows(managed, "SELECT at, recorded_at FROM events")
    assert len(found) >= 9
    for at, recorded in found:
        assert recorded is not None and recorded.startswith(today)
        assert at[:10] == recorded[:10]  # at the real date, the effective time is the real one


# ---------------------------------------------------------------------------------------- undo


def test_undo_undoes_the_acting_persons_last_change(managed: Path, act: Act) -> None:
    ok(act("staff", "start", uid("in-todo")))
    ok(act("verifier", "note", uid("in-done"), "核查意见"))
    ok(act("staff", "note", uid("sup-todo"), "配合情况"))
    ok(act("verifier", "block", uid("in-todo"), "--reason", "缺资金"))
    # staff's last change is the note on sup-todo, verifier's the block of in-todo
    assert "配合情况" in ok(act("staff", "undo")).stdout
    assert show(act, uid("in-todo"))["status"] == "blocked"
    ok(act("verifier", "undo"))
    assert show(act, uid("in-todo"))["status"] == "doing"
    ok(act("staff", "undo"))
    assert show(act, uid("in-todo"))["status"] == "todo"
    notes = [n["text"] for n in show(act, uid("in-done"))["notes"]]
    assert "核查意见" in notes  # verifier's note stands: not staff's to undo


def test_undo_refused_when_someone_changed_the_task_since(managed: Path, act: Act) -> None:
    ok(act("staff", "start", uid("in-todo")))
    ok(act("verifier", "done", uid("in-todo")))
    before = dump(managed)
    r = act("staff", "undo")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.output
    assert "verifier" in r.stderr
    assert dump(managed) == before


def test_undo_with_nothing_of_ones_own(managed: Path, act: Act) -> None:
    before = dump(managed)
    r = act("leader", "undo")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.output
    assert dump(managed) == before
    assert show(act, uid("in-todo"))["due"] == DUE
