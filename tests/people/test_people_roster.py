"""The roster commands (people.md): add, list, remove, import (csv, xlsx) and passwd."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from people_helpers import Act, dump, ok, one_line, refused, roster, rows, show, uid

KEYS = {"name", "role", "units", "phone", "wecom", "dingtalk", "has_password"}
ZH_ROWS = [
    ["姓名", "角色", "单位", "手机"],
    ["王芳", "工作人员", "城关镇", "13900000001"],  # a unit by its name
    ["李娜", "督办员", "dongcun、shiqiao", "13900000002"],  # several, split by 、
    ["周强", "领导", "", ""],  # no unit: every unit in scope
    ["吴敏", "计划员", "county", ""],
    ["郑华", "管理员", "", ""],
]
EN_ROWS = [
    ["name", "role", "units", "phone", "wecom", "dingtalk"],
    ["王芳", "staff", "chengguan", "13900000001", "wangfang", ""],
    ["李娜", "verifier", "dongcun,shiqiao", "13900000002", "", "lina01"],
    ["周强", "leader", "", "", "", ""],
    ["吴敏", "planner", "county", "", "", ""],
    ["郑华", "admin", "", "", "", ""],
]
EXPECTED = {
    "王芳": ("staff", ["chengguan"], "13900000001"),
    "李娜": ("verifier", ["dongcun", "shiqiao"], "13900000002"),
    "周强": ("leader", [], None),
    "吴敏": ("planner", ["county"], None),
    "郑华": ("admin", [], None),
}


def _csv(path: Path, table: list[list[str]], encoding: str) -> Path:
    text = "\r\n".join(",".join(row) for row in table) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, table: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in table:
        ws.append(row)
    wb.save(path)
    return path


def _imported(act: Act) -> dict[str, tuple[str, list[str], str | None]]:
    people = roster(act)
    return {n: (people[n]["role"], people[n]["units"], people[n]["phone"]) for n in EXPECTED}


@pytest.mark.parametrize(
    "encoding",
    [
        "utf-8-sig",
        "utf-8",
        "gbk",
        "gb18030",
    ],
)
def test_import_csv_chinese_headers_and_roles(
    encoding: str, managed: Path, act: Act, tmp_path: Path
) -> None:
    f = _csv(tmp_path / "名单.csv", ZH_ROWS, encoding)
    assert "5" in ok(act("admin", "people", "import", str(f))).stdout
    assert _imported(act) == EXPECTED


def test_import_csv_english_headers(managed: Path, act: Act, tmp_path: Path) -> None:
    rows_ = [[f'"{c}"' if "," in c else c for c in row] for row in EN_ROWS]
    f = _csv(tmp_path / "roster.csv", rows_, "utf-8")
    ok(act("admin", "people", "import", str(f)))
    assert _imported(act) == EXPECTED
    people = roster(act)
    assert (people["王芳"]["wecom"], people["李娜"]["dingtalk"]) == ("wangfang", "lina01")


def test_import_xlsx(managed: Path, act: Act, tmp_path: Path) -> None:
    table: list[list[Any]] = [list(r) for r in ZH_ROWS]
    table[1][3] = 13900000001  # a phone typed into Excel is a number
    f = _xlsx(tmp_path / "名单.xlsx", table)
    ok(act("admin", "people", "import", str(f)))
    assert _imported(act) == EXPECTED


def test_imported_people_act_in_their_scope(managed: Path, act: Act, tmp_path: Path) -> None:
    ok(act("admin", "people", "import", str(_csv(tmp_path / "r.csv", ZH_ROWS, "utf-8"))))
    ok(act("王芳", "start", uid("in-todo")))  # chengguan covers the village dongcun
    refused(act("王芳", "start", uid("out-todo")), "is outside", "王芳")
    ok(act("李娜", "verify", uid("out-done")))  # shiqiao is 李娜's
    ok(act("郑华", "people", "remove", "王芳"))


def test_import_updates_and_keeps_the_password(managed: Path, act: Act, tmp_path: Path) -> None:
    ok(act("staff", "people", "passwd", "staff", input="口令-123\n"))
    f = _csv(
        tmp_path / "r.csv", [["姓名", "角色", "单位"], ["staff", "督办员", "shiqiao"]], "utf-8"
    )
    ok(act("admin", "people", "import", str(f)))
    p = roster(act)["staff"]
    assert (p["role"], p["units"], p["has_password"]) == ("verifier", ["shiqiao"], True)


def test_import_errors_each_on_its_row(managed: Path, act: Act, tmp_path: Path) -> None:
    table = [
        ["姓名", "角色", "单位", "手机"],
        ["王芳", "主任", "chengguan", ""],  # 2: bad role
        ["李娜", "督办员", "dongcun", ""],  # 3: fine
        ["李娜", "工作人员", "shiqiao", ""],  # 4: duplicate
        ["周强", "领导", "no-such-unit", ""],  # 5: unknown unit
        ["   ", "领导", "", ""],  # 6: blank name
        ["吴敏", "计划员", "county", ""],  # 7: fine
    ]
    f = _csv(tmp_path / "名单.csv", table, "utf-8-sig")
    before = dump(managed)
    r = act("admin", "people", "import", str(f))
    assert r.exit_code == 2 and r.stdout == "", r.output
    lines = r.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [f"{f}:{n}" for n in (2, 4, 5, 6)]
    assert "主任" in lines[0] and "李娜" in lines[1] and "3" in lines[1]
    assert "no-such-unit" in lines[2]
    assert "4" in lines[-1] and "nothing was changed" in lines[-1]
    assert "Traceback" not in r.stderr
    assert dump(managed) == before


def test_import_errors_in_xlsx(managed: Path, act: Act, tmp_path: Path) -> None:
    table = [["name", "role", "units"], ["王芳", "boss", ""], ["李娜", "staff", "nowhere"]]
    f = _xlsx(tmp_path / "r.xlsx", table)
    before = dump(managed)
    r = act("admin", "people", "import", str(f))
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 3, r.stderr
    assert lines[0].startswith(f"{f}:2: ") and "boss" in lines[0]
    assert lines[1].startswith(f"{f}:3: ") and "nowhere" in lines[1]
    assert len(lines) == 3 and "nothing was changed" in lines[2]
    assert dump(managed) == before


@pytest.mark.parametrize(
    "content",
    ["", "姓名,手机\n王芳,139\n", "名字,角色\n王芳,staff\n"],
    ids=["empty", "no-role", "no-name"],
)
def test_import_bad_file(content: str, managed: Path, act: Act, tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text(content, "utf-8")
    before = dump(managed)
    r = act("admin", "people", "import", str(f))
    assert r.exit_code == 2 and "Traceback" not in r.stderr, r.output
    assert dump(managed) == before


def test_import_missing_file(managed: Path, act: Act, tmp_path: Path) -> None:
    one_line(act("admin", "people", "import", str(tmp_path / "none.csv")), 2)


# ---------------------------------------------------------------------------------------- list


def test_list_json_keys(managed: Path, act: Act) -> None:
    ok(
        act(
            "admin", "people", "add", "王芳", "--role", "督办员", "--unit", "城关镇",
            "--unit", "shiqiao", "--phone", "13900000001", "--wecom", "wf", "--dingtalk", "dd",
        )
    )  # fmt: skip
    found = json.loads(ok(act("staff", "people", "list", "--json")).stdout)
    assert isinstance(found, list)
    for p in found:
        assert set(p) == KEYS
    [p] = [p for p in found if p["name"] == "王芳"]
    assert p == {
        "name": "王芳",
        "role": "verifier",
        "units": ["chengguan", "shiqiao"],
        "phone": "13900000001",
        "wecom": "wf",
        "dingtalk": "dd",
        "has_password": False,
    }
    assert {q["name"] for q in found} == {
        "admin",
        "staff",
        "verifier",
        "leader",
        "planner",
        "doer",
        "王芳",
    }


def test_list_text(managed: Path, act: Act) -> None:
    out = ok(act("leader", "people", "list")).stdout
    for name in ("admin", "staff", "verifier", "leader", "planner", "doer"):
        assert name in out


@pytest.mark.parametrize(
    ("role", "stored"),
    [
        ("管理员", "admin"),
        ("计划员", "planner"),
        ("督办员", "verifier"),
        ("领导", "leader"),
        ("工作人员", "staff"),
        ("Staff", "staff"),
    ],
)
def test_add_role_names(role: str, stored: str, managed: Path, act: Act) -> None:
    ok(act("admin", "people", "add", "新人", "--role", role))
    assert roster(act)["新人"]["role"] == stored


@pytest.mark.parametrize(
    "args",
    [
        ["新人", "--role", "主任"],
        ["新人", "--role", "staff", "--unit", "no-such-unit"],
        ["staff", "--role", "staff"],  # already in the roster
    ],
    ids=["bad-role", "unknown-unit", "duplicate"],
)
def test_add_bad_input(args: list[str], managed: Path, act: Act) -> None:
    before = dump(managed)
    one_line(act("admin", "people", "add", *args), 2)
    assert dump(managed) == before


def test_remove_keeps_history(managed: Path, act: Act) -> None:
    ok(act("staff", "note", uid("in-todo"), "走访记录"))
    ok(act("admin", "people", "remove", "staff"))
    assert "staff" not in roster(act)
    history = ok(act("admin", "history", uid("in-todo"))).stdout
    assert "staff" in history and "走访记录" in history
    assert "staff" in [n["user"] for n in show(act, uid("in-todo"))["notes"]]
    refused(act("staff", "list"), "staff", "not in the roster")


def test_remove_unknown(managed: Path, act: Act) -> None:
    before = dump(managed)
    refused(act("admin", "people", "remove", "无此人"), "无此人")
    assert dump(managed) == before


# -------------------------------------------------------------------------------------- passwd

SECRET = "Qiu-口令-8421"


def _stored(db: Path, name: str) -> str:
    [(value,)] = rows(db, "SELECT password FROM people WHERE name = ?", (name,))
    return str(value)


def _db_bytes(db: Path) -> bytes:
    """The database and its WAL (where a fresh write may still be)."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


def test_passwd_from_stdin_is_a_salted_scrypt_hash(managed: Path, act: Act) -> None:
    ok(act("staff", "people", "passwd", "staff", input=SECRET + "\n"))
    ok(act("admin", "people", "passwd", "doer", input=SECRET + "\n"))
    people = roster(act)
    assert people["staff"]["has_password"] is True and people["doer"]["has_password"] is True
    assert people["verifier"]["has_password"] is False
    stored = _stored(managed, "staff")
    assert SECRET not in stored
    kind, n, r, p, salt, digest = stored.split("$")
    assert kind == "scrypt" and len(base64.b64decode(salt)) >= 16
    want = hashlib.scrypt(
        SECRET.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    assert base64.b64decode(digest) == want  # the line read, without its newline
    assert _stored(managed, "doer") != stored  # salted: same password, another hash
    data = _db_bytes(managed)
    assert SECRET.encode() not in data and SECRET.encode("utf-16-le") not in data


@pytest.mark.parametrize("stdin", ["", "\n", "\r\n"], ids=["eof", "newline", "crlf"])
def test_passwd_empty_refused(stdin: str, managed: Path, act: Act) -> None:
    before = dump(managed)
    one_line(act("staff", "people", "passwd", "staff", input=stdin), 2)
    assert dump(managed) == before
    assert roster(act)["staff"]["has_password"] is False


def test_passwd_unknown_person(managed: Path, act: Act) -> None:
    before = dump(managed)
    refused(act("admin", "people", "passwd", "无此人", input="x\n"), "无此人")
    assert dump(managed) == before


def test_passwd_changes_the_hash(managed: Path, act: Act) -> None:
    ok(act("staff", "people", "passwd", "staff", input="first\n"))
    first = _stored(managed, "staff")
    ok(act("staff", "people", "passwd", "staff", input="second\n"))
    assert _stored(managed, "staff") != first


def test_import_cannot_demote_the_last_admin(managed: Path, act: Act, tmp_path: Path) -> None:
    f = _csv(tmp_path / "r.csv", [["姓名", "角色"], ["admin", "工作人员"]], "utf-8")
    before = dump(managed)
    refused(act("admin", "people", "import", str(f)), "last admin")
    assert dump(managed) == before


def test_a_non_admin_is_told_who_may_before_what_is_wrong_with_the_input(
    managed: Path, act: Act, tmp_path: Path
) -> None:
    """people.md: the roster is the admin's. Staff giving a bad role, an unknown unit or a
    missing file hear that rule (exit 1), not a complaint about their input (exit 2)."""
    before = dump(managed)
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,角色,单位\n某人,boss,nosuch\n", encoding="utf-8")
    for args in (
        ("people", "add", "x", "--role", "boss"),
        ("people", "add", "x", "--role", "staff", "--unit", "nosuch"),
        ("people", "import", str(bad)),
        ("people", "import", str(tmp_path / "missing.csv")),
    ):
        refused(act("staff", *args), "staff", "roster")
    assert dump(managed) == before
    one_line(act("admin", "people", "add", "x", "--role", "boss"), 2)  # the admin: the input


def test_removing_someone_not_in_the_roster_names_them_only(managed: Path, act: Act) -> None:
    line = refused(act("admin", "people", "remove", "无此人"), "无此人", "not in the roster")
    assert "--user" not in line and "managed" not in line
    line = refused(act("admin", "people", "passwd", "无此人", input="x\n"), "无此人")
    assert "--user" not in line
