"""The permission table of people.md, cell by cell, through the CLI (managed database).

Every cell of "What each role may do" is one or more cases: a scoped cell ("in scope", "tasks
owned in scope", "owned or supported in scope") is tried on a task owned in the person's scope
(``in``: owned by a village *below* the person's town, so the scope's tree counts), on one only
supported by it (``sup``) and on one outside it (``out``); an "all" cell on all three; a "—"
cell once. A refusal must exit 1 with one line on stderr naming the rule and the person, and
leave the database byte for byte as it was; an allowed case exits 0 and has its effect.

The table is written out here from people.md, not taken from ``tracker.domain.people``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from people_helpers import (
    DUE,
    REQUESTED,
    ROLES,
    Act,
    dump,
    export_edited,
    ok,
    other_plan,
    refused,
    roster,
    show,
    uid,
)

# people.md, "What each role may do": per action, the cell of each role in ROLES order
# (staff, verifier, leader, planner, admin).
OWNED, SUPPORTED, REQUEST, ALL, NONE = "owned", "supported", "request", "all", "-"
TASK_TABLE: dict[str, tuple[str, ...]] = {
    "start": (OWNED, OWNED, NONE, NONE, ALL),
    "done": (OWNED, OWNED, NONE, NONE, ALL),
    "block": (OWNED, OWNED, NONE, NONE, ALL),
    "progress": (OWNED, OWNED, NONE, NONE, ALL),
    "note": (SUPPORTED, OWNED, ALL, ALL, ALL),
    "verify": (NONE, OWNED, NONE, NONE, ALL),
    "reopen": (NONE, OWNED, NONE, NONE, ALL),
    "postpone": (REQUEST, OWNED, NONE, NONE, ALL),
    "approve": (NONE, OWNED, ALL, NONE, ALL),
    "reject": (NONE, OWNED, ALL, NONE, ALL),
    "import": (OWNED, OWNED, NONE, NONE, ALL),  # of a ledger: the rows it changes
    "waive": (NONE, OWNED, NONE, OWNED, ALL),
    # a new 交办 item, owned by the owner of the variant's task (in: the village below 城关镇)
    "add": (NONE, OWNED, ALL, ALL, ALL),
}
GLOBAL_TABLE: dict[str, tuple[bool, ...]] = {
    "load": (False, False, False, True, True),
    "people add": (False, False, False, False, True),
    "people remove": (False, False, False, False, True),
    "people import": (False, False, False, False, True),
    "people passwd own": (True, True, True, True, True),
    "people passwd other": (False, False, False, False, True),
}

# Which variants a cell is tried on, and whether each is allowed.
VARIANTS: dict[str, tuple[tuple[str, bool], ...]] = {
    OWNED: (("in", True), ("sup", False), ("out", False)),
    SUPPORTED: (("in", True), ("sup", True), ("out", False)),
    REQUEST: (("in", True), ("sup", False), ("out", False)),
    ALL: (("in", True), ("sup", True), ("out", True)),
    NONE: (("in", False),),
}
SUFFIX = {"verify": "done", "reopen": "done", "approve": "req", "reject": "req"}
NOTE, NEW_DUE = "入户核查完毕", "2020-05-31"
WAIVED, ADDED = "本期免报", "督查交办：补齐入户台账"
# the owner of an ``add``'s new item: the owner of the variant's tasks
ADD_OWNER = {"in": "dongcun", "sup": "shiqiao", "out": "shiqiao"}


@dataclass(frozen=True)
class Cell:
    action: str
    role: str
    reach: str
    variant: str
    allowed: bool

    @property
    def ref(self) -> str:
        return uid(f"{self.variant}-{SUFFIX.get(self.action, 'todo')}")

    @property
    def rule(self) -> str:
        """The words of the refusal: the role's rule, or the scope's."""
        return "may not do this" if self.reach == NONE else "is outside"


def _cells(table: dict[str, tuple[str, ...]]) -> list[Cell]:
    return [
        Cell(action, role, reach, variant, allowed)
        for action, reaches in table.items()
        for role, reach in zip(ROLES, reaches, strict=True)
        for variant, allowed in VARIANTS[reach]
    ]


TASK_CELLS = _cells(TASK_TABLE)
GLOBAL_CELLS = [
    (action, role, allowed)
    for action, allowed_by_role in GLOBAL_TABLE.items()
    for role, allowed in zip(ROLES, allowed_by_role, strict=True)
]


def _cell_id(c: Cell) -> str:
    return f"{c.action}-{c.role}-{c.variant}"


def _args(cell: Cell, act: Act, tmp: Path) -> list[str]:
    ref = cell.ref
    commands: dict[str, Callable[[], list[str]]] = {
        "start": lambda: ["start", ref],
        "done": lambda: ["done", ref],
        "block": lambda: ["block", ref, "--reason", "资金未到位"],
        "progress": lambda: ["progress", ref, "3"],
        "note": lambda: ["note", ref, NOTE],
        "verify": lambda: ["verify", ref],
        "reopen": lambda: ["reopen", ref, "--note", "材料不全"],
        "postpone": lambda: ["postpone", ref, NEW_DUE, "--reason", "汛期"],
        "approve": lambda: ["approve", ref],
        "reject": lambda: ["reject", ref, "--reason", "理由不充分"],
        "import": lambda: [
            "import",
            str(export_edited(act, cell.role, tmp / "ledger.csv", ref, "doing")),
        ],
        "waive": lambda: ["waive", ref, "--reason", WAIVED],
        "add": lambda: [
            "add",
            "--title",
            ADDED,
            "--owner",
            ADD_OWNER[cell.variant],
            "--due",
            DUE,
            "--json",
        ],
    }
    return commands[cell.action]()


def _check_effect(cell: Cell, t: dict[str, Any]) -> None:
    person, today = cell.role, date.today().isoformat()
    expected: dict[str, dict[str, Any]] = {
        "start": {"status": "doing"},
        "done": {"status": "done", "done_by": person},
        "block": {"status": "blocked", "blocked_reason": "资金未到位"},
        "progress": {"progress": 3},
        "note": {},
        "verify": {"status": "verified", "verified_by": person, "done_by": "doer"},
        "reopen": {"status": "doing", "done_at": None},
        "postpone": {"due": NEW_DUE, "postponed": 1, "planned_due": DUE, "postpone_request": None},
        "approve": {"due": REQUESTED, "postponed": 1, "planned_due": DUE, "postpone_request": None},
        "reject": {"due": DUE, "postponed": 0, "postpone_request": None},
        "import": {"status": "doing"},
        "waive": {"status": "waived", "due": DUE},
        "add": {"adhoc": True, "title": ADDED, "owner": ADD_OWNER[cell.variant], "due": DUE},
    }
    want = dict(expected[cell.action])
    if cell.reach == REQUEST:  # staff: a request, the deadline does not move
        want = {"due": DUE, "postponed": 0, "planned_due": DUE}
        req = t["postpone_request"]
        assert req is not None and set(req) == {"due", "reason", "by", "at"}
        assert (req["due"], req["reason"], req["by"]) == (NEW_DUE, "汛期", person)
        assert req["at"].startswith(today)
    assert {k: t[k] for k in want} == want
    if cell.action == "note":
        assert [(n["user"], n["text"]) for n in t["notes"] if n["text"] == NOTE] == [(person, NOTE)]
    actions = {"import": "import", "postpone": "request" if cell.reach == REQUEST else "postpone"}
    newest = t["history"][0]
    assert (newest["user"], newest["action"]) == (person, actions.get(cell.action, cell.action))


@pytest.mark.parametrize("cell", TASK_CELLS, ids=_cell_id)
def test_task_cell(cell: Cell, managed: Path, act: Act, tmp_path: Path) -> None:
    args = _args(cell, act, tmp_path)
    before = dump(managed)
    r = act(cell.role, *args)
    if not cell.allowed:
        refused(r, cell.rule, cell.role)
        assert r.stdout == ""
        assert dump(managed) == before
        return
    ok(r)
    assert dump(managed) != before
    ref = json.loads(r.stdout)["uid"] if cell.action == "add" else cell.ref
    if cell.action == "add":
        assert ref == "people-2020/spring/adhoc-1"
    _check_effect(cell, show(act, ref))


def _global_args(action: str, person: str, tmp: Path) -> tuple[list[str], str | None]:
    if action == "load":
        return ["load", str(other_plan(tmp))], None
    if action == "people add":
        return ["people", "add", "王芳", "--role", "staff", "--unit", "shiqiao"], None
    if action == "people remove":
        return ["people", "remove", "doer"], None
    if action == "people import":
        f = tmp / "roster.csv"
        f.write_text("姓名,角色,单位,手机\n李娜,督办员,dongcun,13800000000\n", "utf-8")
        return ["people", "import", str(f)], None
    name = person if action == "people passwd own" else "doer"
    return ["people", "passwd", name], "pw-ok-123\n"


def _check_global_effect(action: str, person: str, act: Act) -> None:
    people = roster(act)
    if action == "load":
        found = json.loads(ok(act(person, "list", "--plan", "other-2020", "--json")).stdout)
        assert [t["uid"] for t in found] == ["other-2020/summer/gonglu"]
    elif action == "people add":
        assert people["王芳"]["role"] == "staff" and people["王芳"]["units"] == ["shiqiao"]
    elif action == "people remove":
        assert "doer" not in people
    elif action == "people import":
        assert people["李娜"]["role"] == "verifier" and people["李娜"]["units"] == ["dongcun"]
        assert people["李娜"]["phone"] == "13800000000"
    else:
        name = person if action == "people passwd own" else "doer"
        assert people[name]["has_password"] is True
        others = {n for n, p in people.items() if p["has_password"]}
        assert others == {name}


@pytest.mark.parametrize(
    ("action", "person", "allowed"),
    GLOBAL_CELLS,
    ids=[f"{a.replace(' ', '-')}-{p}" for a, p, _ in GLOBAL_CELLS],
)
def test_global_cell(
    action: str, person: str, allowed: bool, managed: Path, act: Act, tmp_path: Path
) -> None:
    args, stdin = _global_args(action, person, tmp_path)
    before = dump(managed)
    r = act(person, *args, input=stdin)
    if not allowed:
        rule = "may set only their own password" if "passwd" in action else "may not do this"
        refused(r, rule, person)
        assert r.stdout == ""
        assert dump(managed) == before
        return
    ok(r)
    assert dump(managed) != before
    _check_global_effect(action, person, act)


# 13 task actions (145 cases, waive and add among them), 6 global actions (30).
MATRIX_SIZE = 175


def test_matrix_covers_every_cell_of_the_table() -> None:
    """Every role of every action of people.md's table is tried."""
    tried = {(c.action, c.role) for c in TASK_CELLS}
    tried |= {(a, r) for a, r, _ in GLOBAL_CELLS}
    actions = [*TASK_TABLE, *GLOBAL_TABLE]
    assert tried == {(a, r) for a in actions for r in ROLES}
    assert len(TASK_CELLS) + len(GLOBAL_CELLS) == MATRIX_SIZE
