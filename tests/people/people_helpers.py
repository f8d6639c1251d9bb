"""Shared helpers of the people tests (people.md): task refs, result checks, database dumps."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

HERE = Path(__file__).parent
PLAN = HERE / "plan.toml"
PLAN_ID = "people-2020"
DUE = "2020-04-20"  # every task of plan.toml is due then
REQUESTED = "2020-05-20"  # the due date of the requests filed in the template

Cli = Callable[..., Result]
Act = Callable[..., Result]  # act(person, *args, input=None): the CLI run as that person

# The roster of the template database: a person of each role over 城关镇 (chengguan, with the
# village dongcun below it), and `doer`, a staff member over the whole county, who did the
# template's done tasks and filed its other requests.
ROSTER: list[tuple[str, str, tuple[str, ...]]] = [
    ("admin", "admin", ("chengguan",)),
    ("staff", "staff", ("chengguan",)),
    ("verifier", "verifier", ("chengguan",)),
    ("leader", "leader", ("chengguan",)),
    ("planner", "planner", ("chengguan",)),
    ("doer", "staff", ("county",)),
]
ROLES = ("staff", "verifier", "leader", "planner", "admin")


def uid(key: str) -> str:
    """The uid of one of plan.toml's tasks (``in-todo``, ``out-done``…)."""
    return f"{PLAN_ID}/spring/{key}"


def dump(db: Path) -> list[str]:
    """Every row of the database as SQL text: what a refused command must leave alone."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def ok(r: Result) -> Result:
    assert r.exit_code == 0, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr == "", r.stderr
    return r


def one_line(r: Result, code: int) -> str:
    """The one stderr line of a failed command (no traceback, nothing on stdout)."""
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and r.stderr.endswith("\n"), r.stderr
    assert lines[0].strip(), r.stderr
    return lines[0]


def refused(r: Result, *phrases: str) -> str:
    """Exit 1 and one line on stderr that holds every phrase (the rule, the person…)."""
    line = one_line(r, 1)
    for phrase in phrases:
        assert phrase in line, (phrase, line)
    return line


def show(act: Act, ref: str, person: str = "admin") -> dict[str, Any]:
    r = ok(act(person, "show", ref, "--json"))
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def roster(act: Act, person: str = "admin") -> dict[str, dict[str, Any]]:
    r = ok(act(person, "people", "list", "--json"))
    return {p["name"]: p for p in json.loads(r.stdout)}


def export_edited(act: Act, person: str, path: Path, ref: str, status: str) -> Path:
    """Export the ledger as ``person`` (csv), then set one row's status cell to ``status``."""
    r = act(person, "export", "-o", str(path))
    assert r.exit_code == 0, r.output  # "written to FILE" goes to stderr
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    head = table[0]
    col_uid, col_status = head.index("uid"), head.index("Status")
    hits = [row for row in table[1:] if row and row[col_uid] == ref]
    assert len(hits) == 1, ref
    hits[0][col_status] = status
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    return path


OTHER_PLAN = """
[plan]
id = "other-2020"
title = "另一计划"
year = 2020

[units.shiqiao]
name = "石桥镇"

[[campaign]]
key = "summer"
name = "夏季提升"
start = 2020-05-01
end = 2020-07-31

  [[campaign.task]]
  key = "gonglu"
  title = "完成通村公路"
  owner = "shiqiao"
  due = "2020-06-30"
"""


def other_plan(tmp: Path) -> Path:
    """A second plan (other-2020, one task owned by shiqiao) to load."""
    path = tmp / "other.toml"
    path.write_text(OTHER_PLAN, "utf-8")
    return path
