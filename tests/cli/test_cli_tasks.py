"""The task commands through the CLI: output, exit statuses, show, history, undo."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]


def task(cli: Cli, ref: str) -> dict[str, Any]:
    r = cli("show", ref, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def ok(r: Result) -> Result:
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    return r


def refused(r: Result, code: int = 1) -> Result:
    assert r.exit_code == code, r.output
    assert r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    return r


def test_status_walk_through(cli: Cli, loaded: Path) -> None:
    assert "todo → doing" in ok(cli("start", "1")).stdout
    assert "doing → done" in ok(cli("done", "1", "--note", "现场核查")).stdout
    assert "done → verified" in ok(cli("verify", "1")).stdout
    assert "verified → doing" in ok(cli("reopen", "1", "--note", "材料不全")).stdout
    assert "doing → blocked" in ok(cli("block", "1", "--reason", "资金未到位")).stdout
    assert "blocked → doing" in ok(cli("start", "1")).stdout
    t = task(cli, "1")
    assert (t["status"], t["done_at"]) == ("doing", None)
    assert [n["text"] for n in t["notes"]] == ["现场核查", "材料不全", "资金未到位"]
    assert [h["action"] for h in t["history"]] == [
        "start", "block", "reopen", "verify", "done", "start",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        ([], ("verify", "1")),
        ([], ("reopen", "1")),
        ([("start", "1")], ("start", "1")),
        ([("done", "1")], ("start", "1")),
        ([("done", "1")], ("block", "1", "--reason", "x")),
        ([("block", "1", "--reason", "x")], ("done", "1")),
        ([("block", "1", "--reason", "x")], ("block", "1", "--reason", "y")),
        ([("done", "1"), ("verify", "1")], ("verify", "1")),
        ([("done", "1")], ("progress", "1", "5")),
        ([("done", "1")], ("postpone", "1", "2020-06-01", "--reason", "x")),
        ([], ("postpone", "1", "2020-04-01", "--reason", "earlier")),
    ],
)
def test_refused_transitions_exit_1_and_change_nothing(
    cli: Cli, loaded: Path, setup: list[tuple[str, ...]], args: tuple[str, ...]
) -> None:
    for step in setup:
        ok(cli(*step))
    before = task(cli, "1")
    r = refused(cli(*args))
    assert "#1" in r.stderr
    assert task(cli, "1") == before


def test_refusal_in_chinese(cli: Cli, loaded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_LANG", "zh")
    r = refused(cli("verify", "2"))
    assert "未开始" in r.stderr and "销号" in r.stderr
    r = refused(cli("show", "99"))
    assert "找不到任务" in r.stderr


def test_refusal_follows_lang_option(cli: Cli, loaded: Path) -> None:
    r = refused(cli("--lang", "zh", "verify", "2"))
    assert "未开始" in r.stderr


def test_unknown_task_exit_1(cli: Cli, loaded: Path) -> None:
    for args in (("show", "99"), ("done", "1", "99"), ("note", "nope/x", "t"), ("history", "77")):
        r = refused(cli(*args))
        assert "99" in r.stderr or "nope/x" in r.stderr or "77" in r.stderr
    assert task(cli, "1")["status"] == "todo"  # `done 1 99` changed nothing


def test_multi_task_done_is_atomic(cli: Cli, loaded: Path) -> None:
    ok(cli("done", "3"))
    ok(cli("verify", "3"))
    refused(cli("done", "1", "2", "3"))
    assert [task(cli, str(i))["status"] for i in (1, 2)] == ["todo", "todo"]
    r = ok(cli("done", "1", "2"))
    assert r.stdout.count("→ done") == 2


@pytest.mark.parametrize(
    "args",
    [
        ("progress", "4", "abc"),
        ("progress", "4", "+x"),
        ("postpone", "1", "2020-02-30", "--reason", "x"),
        ("postpone", "1", "tomorrow", "--reason", "x"),
        ("postpone", "1", "2020-06-01"),  # --reason is required
        ("block", "1"),
        ("block", "1", "--reason", " "),
        ("note", "1", ""),
        ("done",),
        ("--today", "2020-13-01", "list"),
        ("--lang", "fr", "list"),
    ],
)
def test_bad_input_exit_2(cli: Cli, loaded: Path, args: tuple[str, ...]) -> None:
    refused(cli(*args), code=2)


def test_progress_output_and_target(cli: Cli, loaded: Path) -> None:
    r = ok(cli("progress", "4", "100"))
    assert "0 → 100/119" in r.stdout and "todo → doing" in r.stdout
    r = ok(cli("progress", "4", "+19", "--note", "全部完成"))
    assert "100 → 119/119" in r.stdout and "doing → done" in r.stdout
    t = task(cli, "4")
    assert (t["status"], t["progress"]) == ("done", 119)
    assert t["done_at"].startswith("2020-04-20T")


def test_postpone_output_and_json(cli: Cli, loaded: Path) -> None:
    r = ok(cli("postpone", "7", "2020-04-24", "--reason", "书记出差"))
    assert "2020-04-15 → 2020-04-24" in r.stdout
    t = task(cli, "7")
    assert (t["due"], t["planned_due"], t["postponed"], t["overdue"]) == (
        "2020-04-24",
        "2020-04-15",
        1,
        False,
    )
    assert "postponed 1×" in ok(cli("show", "7")).stdout


def test_show_human_and_json(cli: Cli, loaded: Path) -> None:
    ok(cli("note", "1", "已召开专题会"))
    r = ok(cli("--lang", "zh", "show", "1"))
    for text in (
        "#1",
        "开展中央专项巡视反馈问题整改推进行动",
        "县纪委监委",
        "已召开专题会",
        "备注",
    ):
        assert text in r.stdout
    t = task(cli, "xx-county-2020/spring/xunshi")
    assert t["id"] == 1 and t["notes"][0]["text"] == "已召开专题会"
    assert t["notes"][0]["user"] == "tester"
    assert t["history"][0]["action"] == "note"


def test_history_newest_first(cli: Cli, loaded: Path) -> None:
    assert "no history" in ok(cli("history")).stdout
    ok(cli("start", "1"))
    ok(cli("--user", "amy", "done", "2", "--note", "ok"))
    lines = ok(cli("history")).stdout.strip().split("\n")
    assert len(lines) == 2
    assert "amy" in lines[0] and "#2" in lines[0] and "todo → done" in lines[0] and "ok" in lines[0]
    assert "tester" in lines[1] and "#1" in lines[1] and lines[1].startswith("2020-04-20 ")
    assert len(ok(cli("history", "1")).stdout.strip().split("\n")) == 1
    data = json.loads(ok(cli("history", "--json")).stdout)
    assert [(e["task_id"], e["user"]) for e in data] == [(2, "amy"), (1, "tester")]
    zh = ok(cli("--lang", "zh", "history")).stdout
    assert "未开始 → 已完成" in zh


def test_undo_via_cli(cli: Cli, loaded: Path) -> None:
    refused(cli("undo"))
    ok(cli("done", "1", "2"))
    ok(cli("note", "3", "note text"))
    r = ok(cli("undo"))
    assert "note text" in r.stdout
    assert task(cli, "3")["notes"] == []
    r = ok(cli("undo"))
    assert r.stdout.count("#") == 2 and "done → todo" in r.stdout
    assert task(cli, "1")["status"] == "todo"
    assert "(undone)" in ok(cli("history", "1")).stdout
    refused(cli("undo"))


def test_undo_conflict_exit_1(cli: Cli, loaded: Path) -> None:
    ok(cli("--user", "amy", "done", "1"))
    ok(cli("--user", "bob", "verify", "1"))
    r = refused(cli("--user", "amy", "undo"))
    assert "bob" in r.stderr
    assert task(cli, "1")["status"] == "verified"


def test_env_vars_for_global_options(
    cli: Cli, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_USER", "王五")
    monkeypatch.setenv("TRACKER_TODAY", "2020-03-01")
    monkeypatch.setenv("TRACKER_LANG", "zh")
    r = ok(cli("done", "5"))
    assert "未开始 → 已完成" in r.stdout
    t = task(cli, "5")
    assert t["done_at"].startswith("2020-03-01T")
    assert t["history"][0]["user"] == "王五"
    assert t["overdue"] is False
    other = loaded.parent / "other.db"
    monkeypatch.setenv("TRACKER_DB", str(other))
    assert json.loads(ok(cli("list", "--json")).stdout) == []
    assert other.exists()
    # options beat the environment
    r = ok(cli("--db", str(loaded), "--lang", "en", "--user", "li", "start", "6"))
    assert "todo → doing" in r.stdout


def test_lang_default_follows_LANG(cli: Cli, loaded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "编号" in ok(cli("list")).stdout
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "编号" not in ok(cli("list")).stdout


def test_newer_schema_refused_exit_2(cli: Cli, loaded: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(loaded)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tracker', 'm900_future', '2031-01-01')"
    )
    conn.commit()
    conn.close()
    for args in (("list",), ("done", "1"), ("show", "1")):
        r = refused(cli(*args), code=2)
        assert "newer" in r.stderr and "m900_future" in r.stderr
