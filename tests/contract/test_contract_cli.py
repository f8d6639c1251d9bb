"""cli.md, sentence by sentence: global options, commands, list filters, JSON, status, exits.

Every test drives the real CLI (the ``cli`` fixture, or ``python -m tracker``) against
tests/fixtures/contract/contract.toml (calendar "none": due dates exactly as written; the ids
are in the table at the top of that file). The weekly report is in test_contract_report.py.
"""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from contract_helpers import (
    ISO_DATE,
    ISO_STAMP,
    PLAN,
    TASK_KEYS,
    UIDS,
    Cli,
    as_json,
    fails,
    fails_one_line,
    ids,
    load_contract,
    ok,
    show,
    tasks,
)

REPO = Path(__file__).parent.parent.parent


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    """contract.toml loaded into the test's database."""
    load_contract(cli)
    return cli


# ------------------------------------------------------------------------------ global options


def test_db_default_is_tracker_db_in_cwd_created_on_first_use(
    cli: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_DB")
    assert not (isolated / "tracker.db").exists()
    assert as_json(cli("list", "--json")) == []
    assert (isolated / "tracker.db").is_file()


def test_db_option_and_env(cli: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_DB")
    ok(cli("--db", "one.db", "load", str(PLAN)))
    assert (isolated / "one.db").is_file() and not (isolated / "tracker.db").exists()
    assert len(as_json(cli("--db", "one.db", "list", "--json"))) == 10
    monkeypatch.setenv("TRACKER_DB", str(isolated / "one.db"))
    assert len(as_json(cli("list", "--json"))) == 10
    # the option wins over the environment
    assert as_json(cli("--db", str(isolated / "two.db"), "list", "--json")) == []


def test_today_option_and_env_decide_overdue(loaded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    t = {o["id"]: o for o in tasks(loaded, today="2020-04-09")}
    assert t[1]["overdue"] is True  # due 04-08
    assert t[2]["overdue"] is False  # due 04-10
    monkeypatch.setenv("TRACKER_TODAY", "2020-04-08")
    t = {o["id"]: o for o in tasks(loaded)}
    assert t[1]["overdue"] is False  # due today is not overdue
    assert t[6]["overdue"] is True  # due 04-03
    monkeypatch.setenv("TRACKER_TODAY", "2020-04-01")
    assert not any(o["overdue"] for o in tasks(loaded, today="2020-04-02"))
    assert [o["id"] for o in tasks(loaded, today="2020-04-09") if o["overdue"]] == [6, 1]


def test_today_default_is_the_real_date(loaded: Cli) -> None:
    # everything in contract.toml is due in 2020: with the real date, all of it is overdue
    assert all(o["overdue"] for o in tasks(loaded))
    due_today = tasks(loaded, "--due", "today")
    assert due_today == []


def _between(stamp: str, day: str, before: datetime, after: datetime) -> None:
    """``stamp`` is an ISO timestamp on ``day`` with the real time of day (before..after)."""
    assert ISO_STAMP.fullmatch(stamp), stamp
    when = datetime.fromisoformat(stamp)
    assert when.date() == date.fromisoformat(day)
    if before.date() == after.date():  # not across midnight
        lo = before.replace(microsecond=0).time()
        hi = (after + timedelta(seconds=1)).time()
        assert lo <= when.time() <= hi, (stamp, before, after)


def test_today_stamps_done_at_and_history_with_the_current_time(loaded: Cli) -> None:
    before = datetime.now()
    ok(loaded("--today", "2020-04-09", "done", "1", "--note", "现场核查"))
    ok(loaded("--today", "2020-04-10", "note", "2", "备注"))
    after = datetime.now()
    t = show(loaded, 1)
    _between(t["done_at"], "2020-04-09", before, after)
    hist = as_json(loaded("history", "--json"))
    assert [h["task_id"] for h in hist] == [2, 1]  # newest first
    _between(hist[0]["at"], "2020-04-10", before, after)
    _between(hist[1]["at"], "2020-04-09", before, after)
    text = ok(loaded("history", "1")).stdout
    assert "2020-04-09" in text


def test_user_option_env_and_default_login_name(
    loaded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(loaded("--user", "alice", "start", "1"))
    monkeypatch.setenv("TRACKER_USER", "bob")
    ok(loaded("start", "2"))
    monkeypatch.delenv("TRACKER_USER")
    ok(loaded("start", "3"))
    users = {h["task_id"]: h["user"] for h in as_json(loaded("history", "--json"))}
    assert users == {1: "alice", 2: "bob", 3: getpass.getuser()}
    assert "alice" in ok(loaded("history", "1")).stdout


@pytest.mark.parametrize(
    ("env_lang", "env_tracker", "args", "expect"),
    [
        ("zh_CN.UTF-8", None, (), "zh"),
        ("zh_TW.UTF-8", None, (), "zh"),
        ("en_US.UTF-8", None, (), "en"),
        ("C.UTF-8", None, (), "en"),
        ("C.UTF-8", "zh", (), "zh"),
        ("zh_CN.UTF-8", "en", (), "en"),
        ("C.UTF-8", None, ("--lang", "zh"), "zh"),
        ("zh_CN.UTF-8", "zh", ("--lang", "en"), "en"),
    ],
)
def test_lang_option_env_and_default(
    loaded: Cli,
    monkeypatch: pytest.MonkeyPatch,
    env_lang: str,
    env_tracker: str | None,
    args: tuple[str, ...],
    expect: str,
) -> None:
    monkeypatch.setenv("LANG", env_lang)
    if env_tracker is None:
        monkeypatch.delenv("TRACKER_LANG")
    else:
        monkeypatch.setenv("TRACKER_LANG", env_tracker)
    out = ok(loaded(*args, "--today", "2020-04-01", "show", "1")).stdout
    if expect == "zh":
        assert "未开始" in out
    else:
        assert "todo" in out and "未开始" not in out
    # JSON keys and values are never translated
    obj = json.loads(ok(loaded(*args, "--today", "2020-04-01", "show", "1", "--json")).stdout)
    assert obj["status"] == "todo"


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "fr", "list"),
        ("--today", "2020-13-01", "list"),
        ("--today", "yesterday", "list"),
        ("--today", "15/04/2020", "list"),
    ],
)
def test_bad_global_option_values_exit_2(loaded: Cli, args: tuple[str, ...]) -> None:
    fails_one_line(loaded(*args), 2)


def test_bad_env_values_exit_2(loaded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "not-a-date")
    fails_one_line(loaded("list"), 2)
    monkeypatch.delenv("TRACKER_TODAY")
    monkeypatch.setenv("TRACKER_LANG", "fr")
    fails_one_line(loaded("list"), 2)


def test_python_dash_m_tracker(isolated: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DB=str(isolated / "m.db"), TRACKER_LANG="en", PYTHONPATH=str(REPO))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=isolated,
            timeout=120,
        )

    r = run("--today", "2020-04-09", "load", str(PLAN))
    assert r.returncode == 0, r.stderr
    r = run("--today", "2020-04-09", "--user", "m", "done", "1")
    assert r.returncode == 0, r.stderr
    r = run("--today", "2020-04-09", "list", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data) == 10 and data[0]["uid"] == UIDS[6]
    r = run("show", "999")
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.strip()
    r = run("list", "--no-such-option")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("--help")
    assert r.returncode == 0 and "list" in r.stdout


# ---------------------------------------------------------------------------- the command table

COMMANDS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("check",), ()),
    (("load",), ("--dry-run",)),
    (("list",), ("--plan", "--campaign", "--owner", "--status", "--due", "--search", "--all",
                 "--json")),
    (("show",), ("--json",)),
    (("start",), ()),
    (("done",), ("--note",)),
    (("verify",), ("--note",)),
    (("reopen",), ("--note",)),
    (("block",), ("--reason",)),
    (("progress",), ("--note",)),
    (("postpone",), ("--reason",)),
    (("note",), ()),
    (("history",), ()),
    (("undo",), ()),
    (("report", "weekly"), ("--week", "--format", "-o")),
    (("export",), ("--format", "-o")),
    (("tui",), ()),
]  # fmt: skip


@pytest.mark.parametrize(("command", "options"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_every_command_and_option_exists(
    cli: Cli, command: tuple[str, ...], options: tuple[str, ...]
) -> None:
    out = ok(cli(*command, "--help")).stdout
    for option in options:
        assert option in out, (command, option)


def test_global_options_exist(cli: Cli) -> None:
    out = ok(cli("--help")).stdout
    for option, env in (
        ("--db", "TRACKER_DB"),
        ("--today", "TRACKER_TODAY"),
        ("--user", "TRACKER_USER"),
        ("--lang", "TRACKER_LANG"),
    ):
        assert option in out and env in out


def test_task_is_a_short_id_or_a_uid(loaded: Cli) -> None:
    assert show(loaded, 3)["uid"] == UIDS[3]
    assert show(loaded, UIDS[3])["id"] == 3
    ok(loaded("--today", "2020-04-02", "done", UIDS[6], "1"))
    assert {o["id"] for o in tasks(loaded, "--status", "done")} == {1, 6}
    fails_one_line(loaded("show", "ct-2020/spring/nope"), 1)
    fails_one_line(loaded("show", "99"), 1)


def test_ids_are_stable_across_reloads(loaded: Cli, tmp_path: Path) -> None:
    before = {o["uid"]: o["id"] for o in tasks(loaded)}
    edited = tmp_path / "edited.toml"
    edited.write_text(
        PLAN.read_text("utf-8").replace("巡视反馈问题整改", "巡视反馈问题整改（修订）"), "utf-8"
    )
    ok(loaded("load", str(edited)))
    after = {o["uid"]: o["id"] for o in tasks(loaded)}
    assert after == before
    assert show(loaded, 1)["title"] == "巡视反馈问题整改（修订）"


# ------------------------------------------------------------------------------ check and load


def test_check_prints_warnings_moved_dates_and_count_and_writes_nothing(
    cli: Cli, isolated: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "moved.toml"
    plan.write_text(
        PLAN.read_text("utf-8").replace('calendar = "none"', 'calendar = "weekends"'), "utf-8"
    )
    r = ok(cli("check", str(plan)))
    assert "10" in r.stdout  # the number of instances it expands to
    assert "2020-04-18" not in r.stdout + r.stderr
    plan.write_text(
        PLAN.read_text("utf-8")
        .replace('calendar = "none"', 'calendar = "weekends"')
        .replace("due = 2020-04-15", "due = 2020-04-18"),  # a Saturday
        "utf-8",
    )
    r = ok(cli("check", str(plan)))
    out = r.stdout + r.stderr
    assert "2020-04-18" in out and "2020-04-17" in out  # moved before, and listed
    assert "warning" in out.lower()
    assert not (isolated / "tracker.db").exists()


def test_load_prints_the_four_counts(cli: Cli, tmp_path: Path) -> None:
    out = ok(cli("load", str(PLAN))).stdout
    for word in ("added", "changed", "removed", "withdrawn"):
        assert word in out
    assert "10" in out


def test_load_dry_run_writes_nothing(cli: Cli) -> None:
    out = ok(cli("load", "--dry-run", str(PLAN))).stdout
    assert "added" in out and "10" in out
    assert tasks(cli, "--all") == []
    assert as_json(cli("history", "--json")) == []


def test_load_dry_run_does_not_create_the_database(cli: Cli, db_path: Path) -> None:
    ok(cli("load", "--dry-run", str(PLAN)))
    assert not db_path.exists()


# -------------------------------------------------------------------------------------- JSON


def test_list_json_keys_types_and_values(loaded: Cli) -> None:
    items = tasks(loaded, today="2020-04-09")
    assert len(items) == 10
    for o in items:
        assert set(TASK_KEYS) <= set(o), set(TASK_KEYS) - set(o)
        for key in ("start", "due", "planned_due"):
            assert isinstance(o[key], str) and ISO_DATE.fullmatch(o[key]), (key, o[key])
        assert isinstance(o["overdue"], bool)
        assert o["done_at"] is None
        assert o["postponed"] == 0 and o["planned_due"] == o["due"]
        assert isinstance(o["support"], list) and isinstance(o["tags"], list)
        assert isinstance(o["id"], int)
    t = {o["id"]: o for o in items}
    assert {k: t[1][k] for k in TASK_KEYS} == {
        "id": 1, "uid": "ct-2020/spring/zhenggai", "plan": "ct-2020", "campaign": "spring",
        "campaign_name": "春季攻势", "task_key": "zhenggai", "title": "巡视反馈问题整改",
        "owner": "fpb", "owner_name": "县扶贫办", "support": ["town-a"], "leader": "李明",
        "start": "2020-04-01", "due": "2020-04-08", "period": None, "status": "todo",
        "overdue": True, "target": None, "progress": None, "unit": None, "priority": "high",
        "tags": ["整改"], "done_at": None, "planned_due": "2020-04-08", "postponed": 0,
    }  # fmt: skip
    assert (t[2]["title"], t[2]["owner"], t[2]["owner_name"], t[2]["leader"]) == (
        "城关镇村庄清洁行动", "town-a", "城关镇", None,
    )  # fmt: skip
    assert (t[4]["target"], t[4]["unit"], t[4]["due"], t[4]["priority"]) == (
        10,
        "个",
        "2020-04-30",
        "normal",
    )
    assert t[4]["progress"] in (None, 0)
    assert (t[7]["period"], t[7]["title"], t[7]["leader"]) == (
        "2020-W15",
        "周报 2020-W15",
        "张县长",
    )


def test_show_json_is_one_object_with_notes_and_history(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-09", "start", "2"))
    ok(loaded("--today", "2020-04-09", "note", "2", "已组织三次清洁"))
    obj = show(loaded, 2, today="2020-04-09")
    assert set(TASK_KEYS) <= set(obj)
    assert obj["status"] == "doing"
    text = ok(loaded("--today", "2020-04-09", "show", "2")).stdout
    assert "已组织三次清洁" in text  # its notes
    assert UIDS[2] in text
    listed = {o["id"]: o for o in tasks(loaded, today="2020-04-09")}[2]
    assert {k: obj[k] for k in TASK_KEYS} == {k: listed[k] for k in TASK_KEYS}


# ------------------------------------------------------------------------------ list filters


def test_list_soonest_due_first(loaded: Cli) -> None:
    items = tasks(loaded, "--all", today="2020-04-01")
    dues = [o["due"] for o in items]
    assert dues == sorted(dues)
    assert ids(items)[0] == 6 and ids(items)[-1] == 10


def test_list_filter_plan_beside_a_second_plan(loaded: Cli) -> None:
    from contract_helpers import MERGED

    ok(loaded("load", str(MERGED)))
    assert len(tasks(loaded)) == 14
    assert {o["plan"] for o in tasks(loaded, "--plan", "ct-2020")} == {"ct-2020"}
    assert len(tasks(loaded, "--plan", "ct-2020")) == 10
    assert len(tasks(loaded, "--plan", "merged-2020")) == 4
    # cli-v2.md: an unknown --plan is bad input with the nearest known key, not an empty list
    line = fails_one_line(loaded("list", "--plan", "ct-2021", "--json"), 2)
    assert "ct-2021" in line and "ct-2020" in line


def test_list_filter_campaign(loaded: Cli) -> None:
    assert ids(tasks(loaded, "--campaign", "summer")) == [10]
    assert len(tasks(loaded, "--campaign", "spring")) == 9


def test_list_filter_owner_includes_units_below(loaded: Cli) -> None:
    assert sorted(ids(tasks(loaded, "--owner", "town-a"))) == [2, 5]  # and its village cun-1
    assert sorted(ids(tasks(loaded, "--owner", "cun-1"))) == [5]
    assert sorted(ids(tasks(loaded, "--owner", "fpb"))) == [1, 4]
    assert len(tasks(loaded, "--owner", "county")) == 10  # the root: everything


def test_list_filter_status_repeatable(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-02", "done", "6"))
    ok(loaded("--today", "2020-04-02", "block", "3", "--reason", "资金未到位"))
    ok(loaded("--today", "2020-04-02", "start", "4"))
    assert ids(tasks(loaded, "--status", "done")) == [6]
    assert sorted(ids(tasks(loaded, "--status", "done", "--status", "blocked"))) == [3, 6]
    assert sorted(ids(tasks(loaded, "--status", "doing", "--status", "blocked"))) == [3, 4]
    assert len(tasks(loaded, "--status", "todo")) == 7


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        ("2020-04-10", "today", [2, 3, 7]),
        ("2020-04-09", "today", []),
        # week = due from today through the coming Sunday (04-10 is a Friday: .. 04-12)
        ("2020-04-10", "week", [2, 3, 7]),
        ("2020-04-06", "week", [1, 2, 3, 7]),  # Monday .. Sunday 04-12
        ("2020-04-13", "week", [5, 8]),  # Monday 04-13 .. Sunday 04-19
        ("2020-04-16", "week", [8]),  # from today: 5 (04-15) is not in it
        # DATE = due on or before it
        ("2020-04-01", "2020-04-08", [6, 1]),
        ("2020-04-01", "2020-04-10", [6, 1, 2, 3, 7]),
        ("2020-04-01", "2020-04-02", []),
        # overdue = today after due, status todo, doing or blocked
        ("2020-04-11", "overdue", [6, 1, 2, 3, 7]),
        ("2020-04-10", "overdue", [6, 1]),
    ],
)
def test_list_filter_due(loaded: Cli, today: str, due: str, expected: list[int]) -> None:
    got = ids(tasks(loaded, "--due", due, today=today))
    assert sorted(got) == sorted(expected)
    assert [o["due"] for o in tasks(loaded, "--due", due, today=today)] == sorted(
        o["due"] for o in tasks(loaded, "--due", due, today=today)
    )


def test_list_due_week_on_a_sunday_is_that_sunday_only(loaded: Cli) -> None:
    """Ambiguous in cli.md ("the coming Sunday" on a Sunday): read as today itself, so that
    ``--due week`` never reaches into the next ISO week."""
    assert ids(tasks(loaded, "--due", "week", today="2020-04-12")) == []
    assert ids(tasks(loaded, "--due", "week", today="2020-04-19")) == []
    assert ids(tasks(loaded, "--due", "week", today="2020-04-11")) == []  # Saturday


def test_list_due_overdue_excludes_finished_tasks(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-02", "done", "6"))
    ok(loaded("--today", "2020-04-09", "done", "1"))
    ok(loaded("--today", "2020-04-09", "verify", "1"))
    ok(loaded("--today", "2020-04-09", "block", "3", "--reason", "x"))
    ok(loaded("--today", "2020-04-09", "start", "2"))
    assert sorted(ids(tasks(loaded, "--due", "overdue", today="2020-04-11"))) == [2, 3, 7]


def test_list_filter_search_title_and_notes(loaded: Cli) -> None:
    assert sorted(ids(tasks(loaded, "--search", "村庄清洁"))) == [2, 3]  # title
    assert ids(tasks(loaded, "--search", "haystack-needle")) == [1]  # the plan's notes
    ok(loaded("note", "5", "路基已完成 gravel-xyz"))
    assert ids(tasks(loaded, "--search", "gravel-xyz")) == [5]  # a note added by staff
    ok(loaded("done", "8", "--note", "会议纪要 minutes-abc"))
    assert ids(tasks(loaded, "--search", "minutes-abc")) == [8]  # a --note
    assert tasks(loaded, "--search", "no such text anywhere") == []


def test_list_all_includes_withdrawn(loaded: Cli, tmp_path: Path) -> None:
    ok(loaded("note", "10", "等待批复"))  # touched: kept as withdrawn when it leaves the plan
    text = PLAN.read_text("utf-8")
    spring_only = tmp_path / "spring.toml"
    spring_only.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], "utf-8")
    ok(loaded("load", str(spring_only)))
    assert 10 not in ids(tasks(loaded))
    assert len(tasks(loaded)) == 9
    everything = {o["id"]: o for o in tasks(loaded, "--all")}
    assert len(everything) == 10 and everything[10]["status"] == "withdrawn"
    assert ids(tasks(loaded, "--all", "--campaign", "summer")) == [10]
    assert ids(tasks(loaded, "--status", "withdrawn")) == [10]


def test_list_filters_combine(loaded: Cli) -> None:
    got = tasks(loaded, "--owner", "county", "--campaign", "spring", "--due", "2020-04-10")
    assert sorted(ids(got)) == [1, 2, 3, 6, 7]
    got = tasks(loaded, "--owner", "town-b", "--campaign", "spring", "--search", "清洁")
    assert ids(got) == [3]
    got = tasks(loaded, "--plan", "ct-2020", "--owner", "fpb", "--status", "todo", "--due", "today",
                today="2020-04-08")  # fmt: skip
    assert ids(got) == [1]


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--status", "finished"),
        ("list", "--due", "tomorrow"),
        ("list", "--due", "2020-02-30"),
        ("list", "--bogus"),
    ],
)
def test_list_bad_filter_values_exit_2(loaded: Cli, args: tuple[str, ...]) -> None:
    fails_one_line(loaded(*args), 2)


# ------------------------------------------------------------------------------------ status

REACH: dict[str, list[tuple[str, ...]]] = {
    "todo": [],
    "doing": [("start", "1")],
    "done": [("done", "1")],
    "verified": [("done", "1"), ("verify", "1")],
    "blocked": [("block", "1", "--reason", "资金未到位")],
}

ALLOWED = [
    ("todo", ("start", "1"), "doing"),
    ("todo", ("done", "1"), "done"),
    ("doing", ("done", "1"), "done"),
    ("done", ("verify", "1"), "verified"),
    ("done", ("reopen", "1"), "doing"),
    ("verified", ("reopen", "1"), "doing"),
    ("todo", ("block", "1", "--reason", "r"), "blocked"),
    ("doing", ("block", "1", "--reason", "r"), "blocked"),
    ("blocked", ("start", "1"), "doing"),
]

REFUSED = [
    ("todo", ("verify", "1")),
    ("todo", ("reopen", "1")),
    ("doing", ("start", "1")),
    ("doing", ("verify", "1")),
    ("doing", ("reopen", "1")),
    ("done", ("start", "1")),
    ("done", ("done", "1")),
    ("done", ("block", "1", "--reason", "r")),
    ("verified", ("start", "1")),
    ("verified", ("done", "1")),
    ("verified", ("verify", "1")),
    ("verified", ("block", "1", "--reason", "r")),
    ("blocked", ("done", "1")),
    ("blocked", ("verify", "1")),
    ("blocked", ("reopen", "1")),
    ("blocked", ("block", "1", "--reason", "r")),
]


def _reach(cli: Cli, status: str) -> None:
    for step in REACH[status]:
        ok(cli("--today", "2020-04-05", *step))
    assert show(cli, 1)["status"] == status


@pytest.mark.parametrize(
    ("start", "command", "end"),
    ALLOWED,
    ids=[f"{a[0]}-{a[1][0]}" for a in ALLOWED],
)
def test_allowed_transitions(loaded: Cli, start: str, command: tuple[str, ...], end: str) -> None:
    _reach(loaded, start)
    ok(loaded("--today", "2020-04-06", *command))
    assert show(loaded, 1)["status"] == end


@pytest.mark.parametrize(("start", "command"), REFUSED, ids=[f"{s}-{c[0]}" for s, c in REFUSED])
def test_refused_transitions_exit_1_and_change_nothing(
    loaded: Cli, start: str, command: tuple[str, ...]
) -> None:
    _reach(loaded, start)
    before = show(loaded, 1)
    history = as_json(loaded("history", "--json"))
    fails_one_line(loaded("--today", "2020-04-06", *command), 1)
    assert show(loaded, 1) == before
    assert as_json(loaded("history", "--json")) == history


def test_done_at_set_by_done_kept_by_verify_cleared_by_reopen(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-07", "done", "1"))
    stamp = show(loaded, 1)["done_at"]
    assert stamp.startswith("2020-04-07T")
    ok(loaded("--today", "2020-04-08", "verify", "1"))
    assert show(loaded, 1)["done_at"] == stamp
    ok(loaded("--today", "2020-04-09", "reopen", "1", "--note", "材料不全"))
    t = show(loaded, 1)
    assert (t["status"], t["done_at"]) == ("doing", None)
    assert any("材料不全" in json.dumps(n, ensure_ascii=False) for n in t.get("notes", []))


def test_multi_task_commands_change_all_or_nothing(loaded: Cli) -> None:
    ok(loaded("done", "1", "2", "3"))
    assert {o["id"] for o in tasks(loaded, "--status", "done")} == {1, 2, 3}
    fails_one_line(loaded("verify", "1", "4", "2"), 1)  # 4 is todo: refused, none verified
    assert {o["id"] for o in tasks(loaded, "--status", "verified")} == set()
    fails_one_line(loaded("verify", "1", "999"), 1)  # unknown: nothing changes
    assert {o["id"] for o in tasks(loaded, "--status", "verified")} == set()
    ok(loaded("verify", "1", "2"))
    assert {o["id"] for o in tasks(loaded, "--status", "verified")} == {1, 2}
    ok(loaded("block", "4", "5", "--reason", "雨季"))
    assert {o["id"] for o in tasks(loaded, "--status", "blocked")} == {4, 5}


def test_withdrawn_only_by_reload_and_then_refused(loaded: Cli, tmp_path: Path) -> None:
    fails(loaded("withdraw", "1"), 2)  # there is no command for it
    ok(loaded("note", "10", "x"))
    text = PLAN.read_text("utf-8")
    spring_only = tmp_path / "spring.toml"
    spring_only.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], "utf-8")
    ok(loaded("load", str(spring_only)))
    assert show(loaded, 10)["status"] == "withdrawn"
    for command in (("start", "10"), ("done", "10"), ("verify", "10"), ("reopen", "10"),
                    ("block", "10", "--reason", "r")):  # fmt: skip
        fails_one_line(loaded(*command), 1)
        assert show(loaded, 10)["status"] == "withdrawn"


def test_overdue_definition(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-01", "start", "1"))
    ok(loaded("--today", "2020-04-01", "block", "2", "--reason", "r"))
    ok(loaded("--today", "2020-04-01", "done", "3"))
    ok(loaded("--today", "2020-04-01", "done", "7"))
    ok(loaded("--today", "2020-04-01", "verify", "7"))
    t = {o["id"]: o["overdue"] for o in tasks(loaded, today="2020-04-10")}
    assert t[1] is True  # doing, due 04-08
    assert t[2] is False and t[3] is False and t[7] is False  # due today / finished
    t = {o["id"]: o["overdue"] for o in tasks(loaded, today="2020-04-11")}
    assert (t[1], t[2], t[3], t[7], t[6]) == (True, True, False, False, True)


def test_progress_absolute_plus_n_and_target_reached_makes_done(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-05", "progress", "4", "4"))
    t = show(loaded, 4)
    assert (t["progress"], t["status"], t["done_at"]) == (4, "doing", None)
    ok(loaded("--today", "2020-04-06", "progress", "4", "+3", "--note", "新增3个"))
    assert show(loaded, 4)["progress"] == 7
    ok(loaded("--today", "2020-04-07", "progress", "4", "6.5"))
    assert show(loaded, 4)["progress"] == 6.5
    ok(loaded("--today", "2020-04-08", "progress", "4", "+3.5"))
    t = show(loaded, 4)
    assert (t["progress"], t["status"]) == (10, "done")
    assert t["done_at"].startswith("2020-04-08T")


def test_progress_past_the_target_makes_done(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-05", "progress", "4", "12"))
    t = show(loaded, 4)
    assert (t["progress"], t["status"]) == (12, "done")


def test_progress_without_target_is_recorded(loaded: Cli) -> None:
    ok(loaded("progress", "1", "3"))
    t = show(loaded, 1)
    assert t["progress"] == 3 and t["status"] != "done"


@pytest.mark.parametrize("value", ["abc", "+", "+x", "1,5", "nan", "--5"])
def test_progress_bad_value_exits_2(loaded: Cli, value: str) -> None:
    fails_one_line(loaded("progress", "4", value), 2)
    assert show(loaded, 4)["progress"] in (None, 0)


def test_postpone_moves_due_keeps_planned_due_counts_and_survives_reload(
    loaded: Cli, tmp_path: Path
) -> None:
    ok(loaded("--today", "2020-04-14", "postpone", "5", "2020-04-22", "--reason", "雨季施工受阻"))
    t = show(loaded, 5, today="2020-04-16")
    assert (t["due"], t["planned_due"], t["postponed"], t["overdue"]) == (
        "2020-04-22", "2020-04-15", 1, False,
    )  # fmt: skip
    ok(loaded("--today", "2020-04-20", "postpone", "5", "2020-04-29", "--reason", "再延"))
    t = show(loaded, 5)
    assert (t["due"], t["planned_due"], t["postponed"]) == ("2020-04-29", "2020-04-15", 2)
    # a reload (the planner moves the plan's date) keeps the postponement
    edited = tmp_path / "edited.toml"
    edited.write_text(
        PLAN.read_text("utf-8").replace("due = 2020-04-15", "due = 2020-04-16"), "utf-8"
    )
    ok(loaded("load", str(edited)))
    t = show(loaded, 5)
    assert (t["due"], t["planned_due"], t["postponed"]) == ("2020-04-29", "2020-04-16", 2)
    assert 5 not in ids(tasks(loaded, "--due", "overdue", today="2020-04-28"))
    assert 5 in ids(tasks(loaded, "--due", "overdue", today="2020-04-30"))


def test_postpone_needs_a_reason_and_a_date(loaded: Cli) -> None:
    fails_one_line(loaded("postpone", "5", "2020-04-22"), 2)
    fails_one_line(loaded("postpone", "5", "next week", "--reason", "r"), 2)
    fails_one_line(loaded("postpone", "999", "2020-04-22", "--reason", "r"), 1)
    assert show(loaded, 5)["postponed"] == 0


def test_block_needs_a_reason(loaded: Cli) -> None:
    fails_one_line(loaded("block", "1"), 2)
    assert show(loaded, 1)["status"] == "todo"


def test_note_is_shown_and_in_history(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-09", "note", "1", "已召开专题会议"))
    assert "已召开专题会议" in ok(loaded("show", "1")).stdout
    assert "已召开专题会议" in json.dumps(show(loaded, 1), ensure_ascii=False)
    hist = as_json(loaded("history", "1", "--json"))
    assert len(hist) == 1 and hist[0]["at"].startswith("2020-04-09")


def test_history_newest_first_all_or_one_task(loaded: Cli) -> None:
    ok(loaded("--today", "2020-04-02", "start", "1"))
    ok(loaded("--today", "2020-04-03", "done", "6"))
    ok(loaded("--today", "2020-04-04", "done", "1"))
    everything = as_json(loaded("history", "--json"))
    assert [(h["task_id"], h["action"]) for h in everything] == [(1, "done"), (6, "done"),
                                                                 (1, "start")]  # fmt: skip
    stamps = [h["at"] for h in everything]
    assert stamps == sorted(stamps, reverse=True)
    one = as_json(loaded("history", "1", "--json"))
    assert [h["action"] for h in one] == ["done", "start"]
    lines = ok(loaded("history")).stdout.strip().splitlines()
    assert lines[0].startswith("2020-04-04") and lines[-1].startswith("2020-04-02")
    fails_one_line(loaded("history", "999"), 1)


def test_undo_the_acting_users_last_change(loaded: Cli) -> None:
    ok(loaded("--user", "alice", "--today", "2020-04-05", "done", "1"))
    ok(loaded("--user", "bob", "--today", "2020-04-05", "done", "2"))
    ok(loaded("--user", "alice", "--today", "2020-04-06", "progress", "4", "5"))
    ok(loaded("--user", "alice", "undo"))  # alice's progress on 4
    assert show(loaded, 4)["progress"] in (None, 0) and show(loaded, 4)["status"] == "todo"
    assert show(loaded, 2)["status"] == "done"  # bob's change stays
    ok(loaded("--user", "alice", "undo"))  # alice's done on 1
    t = show(loaded, 1)
    assert (t["status"], t["done_at"]) == ("todo", None)
    assert show(loaded, 2)["status"] == "done"
    fails_one_line(loaded("--user", "alice", "undo"), 1)  # nothing left to undo
    fails_one_line(loaded("--user", "carol", "undo"), 1)
    ok(loaded("--user", "bob", "undo"))
    assert show(loaded, 2)["status"] == "todo"


def test_undo_undoes_a_whole_multi_task_command(loaded: Cli) -> None:
    ok(loaded("done", "1", "2", "3"))
    ok(loaded("undo"))
    assert {o["status"] for o in tasks(loaded)} == {"todo"}


# ------------------------------------------------------------------------------ exit statuses


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("show", "999"), 1),
        (("done", "999"), 1),
        (("note", "999", "x"), 1),
        (("progress", "999", "1"), 1),
        (("history", "999"), 1),
        (("verify", "1"), 1),
        (("list", "--nope"), 2),
        (("nope",), 2),
        (("show",), 2),
        (("progress", "4", "lots"), 2),
        (("postpone", "5", "2020-99-01", "--reason", "r"), 2),
        (("block", "1"), 2),
        (("report", "weekly", "--week", "2020-W99"), 2),
        (("report", "weekly", "--format", "pdf"), 2),
        (("export", "--format", "pdf"), 2),
        (("load", "no-such-plan.toml"), 2),
        (("check", "no-such-plan.toml"), 2),
    ],
)
def test_exit_status_and_one_line_errors(loaded: Cli, args: tuple[str, ...], code: int) -> None:
    r = loaded(*args)
    fails_one_line(r, code)


def test_bad_plan_exits_2_with_no_traceback(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[plan]\nid = "x"\n', "utf-8")
    for command in ("check", "load"):
        err = fails(cli(command, str(bad)), 2)
        assert all(line.startswith(str(bad)) for line in err.strip().splitlines()), err
    assert tasks(cli, "--all") == []
