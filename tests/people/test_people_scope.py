"""Scopes (people.md): a person's units and every unit below them in the ``parent`` tree, in
every plan; no unit: every unit. And refusals of commands over several tasks or ledger rows."""

from __future__ import annotations

import csv
import getpass
import json
from pathlib import Path

import pytest
from people_helpers import (
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
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
COUNTY = REPO / "campaigns" / "county-2020.toml"


@pytest.fixture
def county(db_path: Path, act: Act) -> dict[str, list[str]]:
    """The bundled county plan, managed: uids of its tasks by owner unit."""
    assert act("x", "load", str(COUNTY)).exit_code == 0  # its warnings go to stderr
    ok(act("x", "people", "add", "县长", "--role", "admin"))
    ok(act("县长", "people", "add", "县办", "--role", "staff", "--unit", "county"))
    ok(act("县长", "people", "add", "城关", "--role", "staff", "--unit", "chengguan"))
    ok(act("县长", "people", "add", "扶贫办", "--role", "staff", "--unit", "fpb"))
    found = json.loads(ok(act("县长", "list", "--json")).stdout)
    by_owner: dict[str, list[str]] = {}
    for t in found:
        by_owner.setdefault(t["owner"], []).append(t["uid"])
    return by_owner


def test_county_plan_parent_covers_its_towns(county: dict[str, list[str]], act: Act) -> None:
    """县委县政府 (county) is the parent of 城关镇 and 石桥镇: its staff reach both."""
    ok(act("县办", "start", county["chengguan"][0], county["shiqiao"][0]))
    ok(act("城关", "done", county["chengguan"][1]))
    refused(act("城关", "done", county["shiqiao"][1]), "is outside", "城关")
    refused(act("扶贫办", "done", county["chengguan"][2]), "is outside", "扶贫办")


def test_county_plan_support_reaches_notes_only(county: dict[str, list[str]], act: Act) -> None:
    """扶贫办 (fpb) supports the towns' 产业 tasks: a note, not a status change."""
    shown = [show(act, ref, "县长") for ref in county["chengguan"]]
    supported = [t["uid"] for t in shown if "fpb" in t["support"] and t["status"] == "todo"]
    assert supported
    ok(act("扶贫办", "note", supported[0], "配合单位意见"))
    refused(act("扶贫办", "start", supported[0]), "is outside")


def test_no_unit_is_every_unit(managed: Path, act: Act) -> None:
    ok(act("admin", "people", "add", "全县", "--role", "staff"))
    assert roster(act)["全县"]["units"] == []
    ok(act("全县", "start", uid("out-todo"), uid("in-todo")))


def test_scope_holds_in_every_plan(managed: Path, act: Act, tmp_path: Path) -> None:
    ok(act("planner", "load", str(other_plan(tmp_path))))
    ok(act("admin", "people", "add", "石桥", "--role", "staff", "--unit", "shiqiao"))
    ok(act("石桥", "start", "other-2020/summer/gonglu", uid("out-todo")))
    refused(act("staff", "start", "other-2020/summer/gonglu"), "is outside")


def test_several_tasks_one_outside_changes_none(managed: Path, act: Act) -> None:
    before = dump(managed)
    refused(act("staff", "done", uid("in-todo"), uid("out-todo")), "is outside", "staff")
    refused(act("verifier", "verify", uid("in-done"), uid("sup-done")), "is outside")
    refused(act("staff", "done", uid("in-todo"), uid("sup-todo")), "is outside")
    assert dump(managed) == before


def test_ledger_with_one_row_outside_changes_none(managed: Path, act: Act, tmp_path: Path) -> None:
    path = export_edited(act, "staff", tmp_path / "l.csv", uid("in-todo"), "doing")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    head = table[0]
    for row in table[1:]:
        if row[head.index("uid")] == uid("out-todo"):
            row[head.index("Status")] = "doing"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    before = dump(managed)
    refused(act("staff", "import", str(path)), "is outside", "staff")
    assert dump(managed) == before
    ok(act("admin", "import", str(path)))  # an admin's import: every row
    assert show(act, uid("out-todo"))["status"] == "doing"


def test_ledger_done_counts_for_self_verify(managed: Path, act: Act, tmp_path: Path) -> None:
    path = export_edited(act, "verifier", tmp_path / "l.csv", uid("in-todo"), "done")
    ok(act("verifier", "import", str(path)))
    assert show(act, uid("in-todo"))["done_by"] == "verifier"
    refused(act("verifier", "verify", uid("in-todo")), "no self-verification", "verifier")


def test_ledger_dry_run_changes_nothing(managed: Path, act: Act, tmp_path: Path) -> None:
    path = export_edited(act, "staff", tmp_path / "l.csv", uid("in-todo"), "doing")
    before = dump(managed)
    r = act("staff", "import", str(path), "--dry-run")
    assert r.exit_code == 0, r.output
    assert dump(managed) == before


def test_tracker_today_counts_as_today(managed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.cli import app

    monkeypatch.setenv("TRACKER_TODAY", "2020-04-15")
    before = dump(managed)
    r = CliRunner().invoke(app, ["--user", "staff", "note", uid("in-todo"), "补记"])
    refused(r, "no backdating")
    assert dump(managed) == before


def test_the_login_name_is_the_default_person(
    managed: Path, act: Act, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.cli import app

    monkeypatch.delenv("TRACKER_USER")
    login = getpass.getuser()
    r = CliRunner().invoke(app, ["list"])
    refused(r, login, "not in the roster")
    ok(act("admin", "people", "add", login, "--role", "leader"))
    assert CliRunner().invoke(app, ["list"]).exit_code == 0


@pytest.mark.parametrize("status", ["verified", "doing"], ids=["verify", "reopen"])
def test_staff_ledger_cannot_verify_or_reopen(
    status: str, managed: Path, act: Act, tmp_path: Path
) -> None:
    path = export_edited(act, "staff", tmp_path / "l.csv", uid("in-done"), status)
    before = dump(managed)
    refused(act("staff", "import", str(path)), "may not do this", "staff")
    assert dump(managed) == before
