"""Open and managed databases (people.md): nobody in the roster is version 1; the first admin
makes the database managed for good, and then every command needs a person in the roster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from people_helpers import (
    PLAN,
    Act,
    dump,
    ok,
    one_line,
    other_plan,
    refused,
    roster,
    show,
    uid,
)
from typer.testing import Result


@pytest.fixture
def open_db(db_path: Path, act: Act) -> Path:
    """plan.toml loaded, nobody in the roster."""
    ok(act("规划员", "load", str(PLAN)))
    return db_path


# ---------------------------------------------------------------------------------------- open


def test_open_database_works_for_anyone_as_version_1(open_db: Path, act: Act) -> None:
    """Any name acts, any command; no self-verify rule, no backdating rule, postpone moves."""
    assert json.loads(ok(act("随便谁", "people", "list", "--json")).stdout) == []
    assert "open database" in ok(act("随便谁", "people", "list")).stdout
    ok(act("张三", "start", uid("out-todo")))
    ok(act("张三", "done", uid("out-todo")))
    ok(act("张三", "verify", uid("out-todo")))  # version 1: the doer may verify
    t = show(act, uid("out-todo"), "张三")
    assert (t["status"], t["done_by"], t["verified_by"]) == ("verified", "张三", "张三")
    ok(act("李四", "postpone", uid("in-todo"), "2020-05-31", "--reason", "汛期"))
    t = show(act, uid("in-todo"), "李四")
    assert (t["due"], t["postponed"], t["postpone_request"]) == ("2020-05-31", 1, None)
    ok(act("王五", "done", uid("in-done"), today="2020-04-15"))  # replaying is anyone's
    assert show(act, uid("in-done"), "王五")["done_at"].startswith("2020-04-15")
    ok(act("王五", "note", uid("sup-todo"), "配合"))
    ok(act("王五", "undo"))
    ok(act("赵六", "load", str(other_plan(open_db.parent))))
    for args in (["list"], ["history"], ["report", "weekly", "--plan", "people-2020"], ["export"]):
        ok(act("赵六", *args))


def test_first_person_must_be_an_admin(open_db: Path, act: Act) -> None:
    before = dump(open_db)
    refused(act("张三", "people", "add", "张三", "--role", "staff"), "--role admin")
    refused(act("张三", "people", "add", "张三", "--role", "工作人员"), "--role admin")
    assert dump(open_db) == before
    ok(act("张三", "start", uid("in-todo")))  # still open


def test_first_roster_file_must_hold_an_admin(open_db: Path, act: Act, tmp_path: Path) -> None:
    staff_only = tmp_path / "staff.csv"
    staff_only.write_text("姓名,角色,单位\n张三,工作人员,chengguan\n", "utf-8")
    before = dump(open_db)
    refused(act("张三", "people", "import", str(staff_only)), "--role admin")
    assert dump(open_db) == before
    with_admin = tmp_path / "roster.csv"
    with_admin.write_text("姓名,角色,单位\n张三,工作人员,chengguan\n李局长,管理员,\n", "utf-8")
    ok(act("李局长", "people", "import", str(with_admin)))
    assert {n: p["role"] for n, p in roster(act, "李局长").items()} == {
        "张三": "staff",
        "李局长": "admin",
    }
    refused(act("随便谁", "list"), "随便谁", "not in the roster")  # managed now


@pytest.fixture
def first_admin(open_db: Path, act: Act) -> Path:
    ok(act("whoever", "people", "add", "局长", "--role", "admin"))
    return open_db


def test_first_admin_makes_it_managed(first_admin: Path, act: Act) -> None:
    assert list(roster(act, "局长")) == ["局长"]
    ok(act("局长", "start", uid("in-todo")))
    refused(act("whoever", "list"), "whoever", "not in the roster")


def test_managed_for_good(first_admin: Path, act: Act) -> None:
    """The last admin cannot be removed: a managed database never becomes open again."""
    ok(act("局长", "people", "add", "张三", "--role", "staff"))
    ok(act("局长", "people", "remove", "张三"))
    before = dump(first_admin)
    refused(act("局长", "people", "remove", "局长"), "last admin")
    assert dump(first_admin) == before
    refused(act("张三", "list"), "张三", "not in the roster")


COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", uid("in-todo")],
    ["history"],
    ["report", "weekly"],
    ["report", "weekly", "--format", "json"],
    ["export"],
    ["done", uid("in-todo")],
    ["start", uid("in-todo")],
    ["note", uid("in-todo"), "备注"],
    ["postpone", uid("in-todo"), "2020-05-31", "--reason", "汛期"],
    ["approve", uid("in-todo")],
    ["undo"],
    ["load", str(PLAN)],
    ["people", "list"],
    ["people", "add", "张三", "--role", "staff"],
    ["people", "passwd", "局长"],
    ["backup", "copy.db"],
    ["export", "-o", "copy.db"],
    ["report", "weekly", "-o", "copy.db"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]).replace("/", "_"))
def test_unknown_person_refused_by_every_command(
    args: list[str], first_admin: Path, act: Act
) -> None:
    before = dump(first_admin)
    r = act("陌生人", *args, input="pw\n")
    line = refused(r, "陌生人", "not in the roster")
    assert r.stdout == "", line
    assert dump(first_admin) == before
    assert not (first_admin.parent / "copy.db").exists()


def test_acting_person_from_the_environment(
    first_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TRACKER_USER names the person (the autouse fixture's "tester" is not in the roster)."""
    from typer.testing import CliRunner

    from tracker.cli import app

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    refused(run("list"), "tester", "not in the roster")
    monkeypatch.setenv("TRACKER_USER", "局长")
    ok(run("list"))


def test_check_and_help_need_no_person(first_admin: Path, act: Act) -> None:
    assert "Usage" in ok(act("陌生人", "--help")).stdout
    for args in (["done", "--help"], ["people", "--help"], ["people", "add", "--help"]):
        assert "Usage" in ok(act("陌生人", *args)).stdout
    r = act("陌生人", "check", str(PLAN))
    assert r.exit_code == 0, r.output


def test_check_needs_no_database(act: Act, db_path: Path) -> None:
    r = act("陌生人", "check", str(PLAN))
    assert r.exit_code == 0, r.output
    assert not db_path.exists()


@pytest.mark.parametrize("name", ["   ", "", "张\n三", "张\r三", "a\tb", "\x1b[31m红", "张" * 65])
def test_bad_names_refused(name: str, open_db: Path, act: Act) -> None:
    before = dump(open_db)
    one_line(act("x", "people", "add", name, "--role", "admin"), 2)
    assert dump(open_db) == before


@pytest.mark.parametrize("name", ["   ", ""])
def test_blank_acting_person_refused(name: str, first_admin: Path, act: Act) -> None:
    before = dump(first_admin)
    r = act(name, "note", uid("in-todo"), "备注")
    assert r.exit_code in (1, 2), r.output
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
    assert dump(first_admin) == before


def test_acting_person_with_a_newline_refused_in_one_line(first_admin: Path, act: Act) -> None:
    before = dump(first_admin)
    refused(act("局长\nadmin", "note", uid("in-todo"), "备注"), "not in the roster")
    assert dump(first_admin) == before


def test_names_are_trimmed(open_db: Path, act: Act) -> None:
    ok(act("x", "people", "add", "  局长 ", "--role", "admin"))
    assert list(roster(act, "局长")) == ["局长"]
    ok(act(" 局长 ", "note", uid("in-todo"), "前后空格"))


def test_padded_acting_name_is_recorded_as_the_person(open_db: Path, act: Act) -> None:
    ok(act("x", "people", "add", "局长", "--role", "admin"))
    ok(act(" 局长 ", "note", uid("in-todo"), "前后空格"))
    assert [h["user"] for h in show(act, uid("in-todo"), "局长")["history"]] == ["局长"]
