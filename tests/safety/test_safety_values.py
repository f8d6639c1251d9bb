"""Values bounded where they enter, text shown as data, undo across reloads, a damaged
database refused (issue #14)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from safety_helpers import SMALL, TODAY, Cli, fails, ok, tasks

ESC = ["\x1b]52;c;aGVsbG8=\x07", "\x1b]0;owned\x07", "\x1b[2J", "\x9b31m", "a\nforged line"]


@pytest.mark.parametrize("value", ["1e20", "1e308", "+1e16", "inf", "nan", "-1", "1" * 400])
def test_progress_out_of_range_is_bad_input(small: Cli, value: str) -> None:
    before = ok(small, "history", "--json").stdout
    fails(small, 2, "--today", TODAY, "progress", "1", "--", value)
    assert ok(small, "history", "--json").stdout == before


def test_relative_progress_cannot_overflow(small: Cli) -> None:
    ok(small, "--today", TODAY, "progress", "1", "1e15")
    r = fails(small, 2, "--today", TODAY, "progress", "1", "+1e15")
    assert "out of range" in r.stderr
    for fmt in ("text", "md", "html", "json"):
        ok(small, "--today", TODAY, "report", "weekly", "--format", fmt)


def test_a_stored_huge_value_does_not_break_every_json_output(small: Cli, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)  # as versions before the bounds could store it
    conn.execute("UPDATE tasks SET progress = 1e20, target = 1e300 WHERE id = 1")
    conn.execute("UPDATE tasks SET progress = 9e999 WHERE id = 2")  # Infinity
    conn.commit()
    conn.close()
    rows = json.loads(ok(small, "--today", TODAY, "list", "--json").stdout)
    assert {r["id"]: r["progress"] for r in rows}[1] == 1e20
    ok(small, "show", "1", "--json")
    ok(small, "--today", TODAY, "report", "weekly", "--format", "json")
    ok(small, "--today", TODAY, "export", "--format", "json")


def test_a_plan_target_out_of_range_is_an_error_at_its_line(cli: Cli, tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    assert "target = 119" in text
    line = text[: text.index("target = 119")].count("\n") + 1
    for value in ("1" * 400, "1e16", "inf"):
        plan = tmp_path / "p.toml"
        plan.write_text(text.replace("target = 119", f"target = {value}"), encoding="utf-8")
        r = fails(cli, 2, "check", str(plan))
        assert r.stderr.startswith(f"{plan}:{line}: "), r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--today", "9999-12-31", "list"),
        ("--today", "0001-01-01", "report", "weekly"),
        ("report", "weekly", "--week", "9999-W52"),
        ("report", "weekly", "--week", "9999-12-31"),
        ("report", "weekly", "--week", "1000-W01"),
        ("postpone", "1", "9999-12-31", "--reason", "x"),
        ("list", "--due", "9999-12-31"),
        ("export", "--due", "0001-01-01"),
    ],
)
def test_out_of_range_dates_are_bad_input(small: Cli, args: tuple[str, ...]) -> None:
    r = fails(small, 2, *args)
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("ref", ["99999999999999999999999999", "9223372036854775808", "0"])
def test_huge_ids_are_no_such_task(small: Cli, ref: str) -> None:
    r = fails(small, 1, "--today", TODAY, "done", ref)
    assert "no such task" in r.stderr


def test_plan_text_with_control_characters_is_refused_at_its_line(cli: Cli, tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    title = next(ln for ln in text.splitlines() if ln.startswith("title = "))
    line = text.splitlines().index(title) + 1
    for bad in ("\\u001b]0;x\\u0007", "\\u001b[2J", "a\\u009bb", "\\u202eevil"):
        plan = tmp_path / "p.toml"
        plan.write_text(text.replace(title, title[:-1] + bad + '"', 1), encoding="utf-8")
        r = fails(cli, 2, "check", str(plan))
        assert r.stderr.startswith(f"{plan}:{line}: ") and "control character" in r.stderr


def test_escape_sequences_never_reach_the_terminal(small: Cli, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)  # a title and a unit's name from before the check
    conn.execute("UPDATE tasks SET title = ?, unit = ? WHERE id = 4", ("T" + ESC[1], "个" + ESC[2]))
    conn.execute("UPDATE units SET name = ? WHERE key = 'fpb'", ("县扶贫办" + ESC[0],))
    conn.execute("UPDATE plans SET title = title || ?", (ESC[2],))
    conn.commit()
    conn.close()
    for i, text in enumerate(ESC, 1):
        ok(small, "--today", TODAY, "note", str(i), text)
    ok(small, "--today", TODAY, "block", "4", "--reason", ESC[3])
    outputs = [
        ok(small, "--today", TODAY, *args)
        for args in (
            ["list"], ["show", "4"], ["show", "1"], ["history"], ["undo"],
            ["report", "weekly"], ["report", "weekly", "--format", "md"],
        )
    ]  # fmt: skip
    for args in (
        ["note", "3", "n"],
        ["undo"],
    ):  # a name with ESC is refused (people.md), shown safe
        refused = small("--today", TODAY, "--user", "x\x1b[2Jy", *args)
        assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1
        outputs.append(refused)
    for r in outputs:
        assert "\x1b" not in r.output and "\x9b" not in r.output and "\x07" not in r.output
        assert "forged line" not in r.output or "\\x0aforged line" in r.output
    joined = "".join(r.output for r in outputs)
    assert "\\x1b]52;c;aGVsbG8=\\x07" in joined and "\\x1b[2J" in joined


def test_undo_after_a_reload_restores_the_plans_deadline(cli: Cli, tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    p1 = tmp_path / "p1.toml"
    p1.write_text(text, encoding="utf-8")
    p2 = tmp_path / "p2.toml"
    p2.write_text(text.replace("2020-04-03", "2020-04-06"), encoding="utf-8")
    ok(cli, "--today", "2020-03-01", "load", str(p2))
    uid = "small/spring/qingjie/town-a"
    assert tasks(cli)[uid]["due"] == "2020-04-06"
    ok(cli, "--today", "2020-03-02", "postpone", "2", "2020-06-01", "--reason", "雨季")
    ok(cli, "--today", "2020-03-03", "load", str(p1))
    assert (tasks(cli)[uid]["due"], tasks(cli)[uid]["planned_due"]) == ("2020-06-01", "2020-04-03")
    ok(cli, "--today", "2020-03-04", "undo")
    t = tasks(cli)[uid]
    assert (t["due"], t["postponed"], t["planned_due"]) == ("2020-04-03", 0, "2020-04-03")
    ok(cli, "--today", "2020-03-05", "load", str(p1))
    assert tasks(cli)[uid]["due"] == "2020-04-03"
    # and the other way round: a change, then a reload that moves the deadline, then undo
    ok(cli, "--today", "2020-03-06", "done", "2")
    ok(cli, "--today", "2020-03-07", "load", str(p2))
    ok(cli, "--today", "2020-03-08", "undo")
    t = tasks(cli)[uid]
    assert (t["status"], t["due"]) == ("todo", "2020-04-06")


def test_undo_of_a_task_withdrawn_since_is_refused_with_its_reason(
    small: Cli, tmp_path: Path
) -> None:
    ok(small, "--today", TODAY, "done", "8")
    v2 = tmp_path / "v2.toml"
    text = SMALL.read_text(encoding="utf-8")
    v2.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], encoding="utf-8")
    ok(small, "--today", TODAY, "--user", "planner", "load", str(v2))
    r = fails(small, 1, "--today", TODAY, "undo")
    assert "withdrawn by a plan reload" in r.stderr


def test_a_damaged_database_accepts_no_more_writes(
    small: Cli, db_path: Path, tmp_path: Path
) -> None:
    ok(small, "--today", TODAY, "note", "1", "x")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xab" * page_size
    db_path.write_bytes(bytes(data))
    shutil.copy(db_path, tmp_path / "damaged-copy.db")
    accepted = 0
    for i in range(20):
        r = small("--today", TODAY, "note", str(1 + i % 8), f"w{i}")
        accepted += r.exit_code == 0
        if r.exit_code:
            assert r.exit_code == 2 and "damaged" in r.stderr and "Traceback" not in r.output
    assert accepted == 0
    fails(small, 2, "backup", str(tmp_path / "b.db"))
    assert not (tmp_path / "b.db").exists()
