"""cli.md, ``report weekly`` and ``export``: the JSON keys, the definitions worked by hand.

The season played on contract.toml (calendar "none"), in date order:

  04-02 alice  done 6      (周报 W14, due 04-03: on time)
  04-07 bob    done 1      (整改, due 04-08: on time)
  04-08 alice  verify 1
  04-09 alice  start 2
  04-09 bob    block 3     (town-b 清洁, due 04-10)
  04-10 alice  progress 4 4   (target 10)
  04-11 alice  done 2      (due 04-10: late)
  04-13 bob    done 7      (周报 W15, due 04-10: late)
  04-14 alice  postpone 5 → 04-20 (was due 04-15)

Report for W16 (04-13 .. 04-19) on Thursday 04-16:

  due_to_date = {1, 2, 3, 6, 7} = 5 (5 now due 04-20, 8 due 04-17: not yet)
  done = {1, 2, 6, 7} = 4, verified = {1}, overdue = {3}, blocked = {3}
  completion_rate = 4/5, on_time_rate = {1, 6} = 2/5
  units (own instances): fpb {1,4} 1/1 on time → 1.0; county {6..9} 1 of 2 → 0.5;
  town-a {2} 0/1, no overdue → 0.0; town-b {3,10} 0/1, 1 overdue → 0.0; cun-1 {5} nothing due.
  done_this_week = [7]; overdue = [3]; due_next_week (04-20 .. 04-26) = [5, 9]; blocked = [3].
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from contract_helpers import (
    ISO_DATE,
    PLAN,
    TASK_KEYS,
    UIDS,
    Cli,
    as_json,
    fails_one_line,
    ids,
    load_contract,
    ok,
    tasks,
)

SEASON: list[tuple[str, str, tuple[str, ...]]] = [
    ("2020-04-02", "alice", ("done", "6")),
    ("2020-04-07", "bob", ("done", "1")),
    ("2020-04-08", "alice", ("verify", "1")),
    ("2020-04-09", "alice", ("start", "2")),
    ("2020-04-09", "bob", ("block", "3", "--reason", "资金未到位")),
    ("2020-04-10", "alice", ("progress", "4", "4")),
    ("2020-04-11", "alice", ("done", "2")),
    ("2020-04-13", "bob", ("done", "7")),
    ("2020-04-14", "alice", ("postpone", "5", "2020-04-20", "--reason", "雨季施工受阻")),
]

TOTAL_KEYS = {"tasks", "due_to_date", "done", "verified", "overdue", "blocked", "completion_rate",
              "on_time_rate"}  # fmt: skip
CAMPAIGN_KEYS = {"key", "name", "tasks", "due_to_date", "done", "overdue", "completion_rate",
                 "target", "progress"}  # fmt: skip
UNIT_KEYS = {"key", "name", "tasks", "due_to_date", "done", "overdue", "on_time_rate", "rank"}
LISTS = ("done_this_week", "overdue", "due_next_week", "blocked")


def play(cli: Cli, until: str = "9999-12-31") -> Cli:
    load_contract(cli, "--today", "2020-04-01", "--user", "planner")
    for today, user, command in SEASON:
        if today <= until:
            ok(cli("--today", today, "--user", user, *command))
    return cli


def weekly(cli: Cli, today: str, *args: str) -> dict[str, Any]:
    data = as_json(cli("--today", today, "report", "weekly", "--format", "json", *args))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def season(cli: Cli) -> Cli:
    return play(cli)


def test_weekly_json_keys(season: Cli) -> None:
    data = weekly(season, "2020-04-16")
    for key in ("plan", "week", "from", "to", "today", "totals", "campaigns", "units", *LISTS):
        assert key in data, key
    assert set(data["totals"]) >= TOTAL_KEYS
    for c in data["campaigns"]:
        assert set(c) >= CAMPAIGN_KEYS
    for u in data["units"]:
        assert set(u) >= UNIT_KEYS
    for key in LISTS:
        assert isinstance(data[key], list)
        for obj in data[key]:
            assert set(TASK_KEYS) <= set(obj), (key, set(TASK_KEYS) - set(obj))
    assert data["plan"] == "ct-2020"


def test_weekly_default_week_contains_today_monday_to_sunday(season: Cli) -> None:
    for today, week, monday, sunday in [
        ("2020-04-16", "2020-W16", "2020-04-13", "2020-04-19"),
        ("2020-04-13", "2020-W16", "2020-04-13", "2020-04-19"),  # a Monday
        ("2020-04-19", "2020-W16", "2020-04-13", "2020-04-19"),  # a Sunday
        ("2020-04-20", "2020-W17", "2020-04-20", "2020-04-26"),
        ("2021-01-01", "2020-W53", "2020-12-28", "2021-01-03"),  # ISO year ≠ calendar year
        ("2020-01-01", "2020-W01", "2019-12-30", "2020-01-05"),
    ]:
        data = weekly(season, today)
        assert (data["week"], data["from"], data["to"], data["today"]) == (
            week, monday, sunday, today,
        ), today  # fmt: skip


def test_weekly_week_option(season: Cli) -> None:
    data = weekly(season, "2020-04-16", "--week", "2020-W15")
    assert (data["week"], data["from"], data["to"], data["today"]) == (
        "2020-W15", "2020-04-06", "2020-04-12", "2020-04-16",
    )  # fmt: skip
    assert weekly(season, "2020-04-16", "--week", "2020-W02")["from"] == "2020-01-06"


def test_weekly_totals_by_hand(season: Cli) -> None:
    t = weekly(season, "2020-04-16")["totals"]
    counts = {k: t[k] for k in ("tasks", "due_to_date", "done", "verified", "overdue", "blocked")}
    assert counts == {
        "tasks": 10, "due_to_date": 5, "done": 4, "verified": 1, "overdue": 1, "blocked": 1,
    }  # fmt: skip
    assert t["completion_rate"] == pytest.approx(4 / 5)
    assert t["on_time_rate"] == pytest.approx(2 / 5)


def test_weekly_campaigns_by_hand(season: Cli) -> None:
    camps = {c["key"]: c for c in weekly(season, "2020-04-16")["campaigns"]}
    spring = camps["spring"]
    assert (spring["name"], spring["tasks"], spring["due_to_date"], spring["done"],
            spring["overdue"], spring["target"], spring["progress"]) == (
        "春季攻势", 9, 5, 4, 1, 10, 4,
    )  # fmt: skip
    assert spring["completion_rate"] == pytest.approx(0.8)
    summer = camps["summer"]
    assert (summer["tasks"], summer["due_to_date"], summer["done"], summer["overdue"]) == (
        1, 0, 0, 0,
    )  # fmt: skip
    assert summer["completion_rate"] is None  # the denominator is 0
    assert summer["target"] == 0 and summer["progress"] == 0


def test_weekly_units_ranked_by_on_time_rate_ties_by_fewer_overdue(season: Cli) -> None:
    units = weekly(season, "2020-04-16")["units"]
    got = [
        (u["key"], u["tasks"], u["due_to_date"], u["done"], u["overdue"], u["on_time_rate"])
        for u in units
    ]
    assert got == [
        ("fpb", 2, 1, 1, 0, pytest.approx(1.0)),
        ("county", 4, 2, 2, 0, pytest.approx(0.5)),
        ("town-a", 1, 1, 1, 0, pytest.approx(0.0)),  # 0.0 like town-b, but fewer overdue
        ("town-b", 2, 1, 0, 1, pytest.approx(0.0)),
        ("cun-1", 1, 0, 0, 0, None),  # nothing due yet: no rate
    ]
    ranks = [u["rank"] for u in units]
    assert ranks[:4] == [1, 2, 3, 4]
    assert ranks[4] is None
    assert units[0]["name"] == "县扶贫办"


def test_weekly_units_add_up_to_the_totals(season: Cli) -> None:
    data = weekly(season, "2020-04-16")
    for key in ("tasks", "due_to_date", "done", "overdue"):
        assert sum(u[key] for u in data["units"]) == data["totals"][key], key


def test_weekly_lists_by_hand(season: Cli) -> None:
    data = weekly(season, "2020-04-16")
    assert ids(data["done_this_week"]) == [7]
    assert ids(data["overdue"]) == [3]
    assert ids(data["due_next_week"]) == [5, 9]
    assert ids(data["blocked"]) == [3]
    assert data["overdue"][0]["overdue"] is True
    assert data["due_next_week"][0]["planned_due"] == "2020-04-15"
    assert data["due_next_week"][0]["postponed"] == 1
    listed = {o["id"]: o for o in tasks(season, today="2020-04-16")}
    for key in LISTS:
        for obj in data[key]:
            assert {k: obj[k] for k in TASK_KEYS} == {k: listed[obj["id"]][k] for k in TASK_KEYS}


def test_weekly_due_to_date_stops_at_today_when_earlier_than_to(cli: Cli) -> None:
    play(cli, until="2020-04-08")
    data = weekly(cli, "2020-04-08")  # W15: 04-06 .. 04-12; today first
    assert (data["from"], data["to"]) == ("2020-04-06", "2020-04-12")
    t = data["totals"]
    # due on or before 04-08: 6 (04-03) and 1 (04-08); both done on time
    assert (t["due_to_date"], t["done"], t["overdue"]) == (2, 2, 0)
    assert t["completion_rate"] == pytest.approx(1.0) and t["on_time_rate"] == pytest.approx(1.0)


def test_weekly_past_week_due_to_date_stops_at_to(season: Cli) -> None:
    data = weekly(season, "2020-04-16", "--week", "2020-W14")  # 03-30 .. 04-05
    assert data["totals"]["due_to_date"] == 1  # only 6 (04-03)
    assert data["totals"]["tasks"] == 10


def test_weekly_on_time_means_done_on_or_before_due(cli: Cli) -> None:
    load_contract(cli)
    ok(cli("--today", "2020-04-08", "done", "1"))  # due 04-08: on the day is on time
    ok(cli("--today", "2020-04-04", "done", "6"))  # due 04-03: a day late
    t = weekly(cli, "2020-04-09")["totals"]
    assert (t["due_to_date"], t["done"]) == (2, 2)
    assert t["completion_rate"] == pytest.approx(1.0)
    assert t["on_time_rate"] == pytest.approx(0.5)


def test_weekly_rates_null_where_nothing_is_due(cli: Cli) -> None:
    load_contract(cli)
    data = weekly(cli, "2020-04-01")
    t = data["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"]) == (10, 0, 0)
    assert t["completion_rate"] is None and t["on_time_rate"] is None
    for c in data["campaigns"]:
        assert c["completion_rate"] is None
    for u in data["units"]:
        assert u["on_time_rate"] is None and u["rank"] is None


def test_weekly_rates_are_numbers_between_0_and_1(season: Cli) -> None:
    data = weekly(season, "2020-04-16")
    rates = [data["totals"]["completion_rate"], data["totals"]["on_time_rate"]]
    rates += [c["completion_rate"] for c in data["campaigns"]]
    rates += [u["on_time_rate"] for u in data["units"]]
    for rate in rates:
        assert rate is None or (isinstance(rate, int | float) and 0 <= rate <= 1)


def test_weekly_withdrawn_count_nowhere(season: Cli, tmp_path: Path) -> None:
    ok(season("--today", "2020-04-15", "note", "10", "等待批复"))
    ok(season("--today", "2020-04-15", "done", "9"))  # done, then withdrawn
    text = PLAN.read_text("utf-8")
    cut = text[: text.index('[[campaign]]\nkey = "summer"')]
    cut = cut.replace('every = "week"', 'every = "week"\n  due = 2020-04-20')  # drops W17 (9)
    edited = tmp_path / "edited.toml"
    edited.write_text(cut, "utf-8")
    out = ok(season("--today", "2020-04-16", "load", str(edited))).stdout
    assert "withdrawn" in out
    assert {o["status"] for o in tasks(season, "--status", "withdrawn")} == {"withdrawn"}
    assert sorted(ids(tasks(season, "--status", "withdrawn"))) == [9, 10]
    data = weekly(season, "2020-04-16")
    t = data["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"], t["verified"]) == (8, 5, 4, 1)
    camps = {c["key"]: c for c in data["campaigns"]}
    assert camps["spring"]["tasks"] == 8
    assert "summer" not in camps or camps["summer"]["tasks"] == 0
    units = {u["key"]: u for u in data["units"]}
    assert units["town-b"]["tasks"] == 1 and units["county"]["tasks"] == 3
    for key in LISTS:
        assert not {9, 10} & set(ids(data[key])), key


def test_weekly_formats(season: Cli, tmp_path: Path) -> None:
    text = ok(season("--today", "2020-04-16", "report", "weekly")).stdout
    assert "2020" in text and text.strip()
    assert (
        ok(season("--today", "2020-04-16", "report", "weekly", "--format", "text")).stdout == text
    )
    md = ok(season("--today", "2020-04-16", "report", "weekly", "--format", "md")).stdout
    assert md.lstrip().startswith("#") and "|" in md
    html = ok(season("--today", "2020-04-16", "report", "weekly", "--format", "html")).stdout
    assert "<html" in html.lower() and "</html>" in html.lower()
    out = tmp_path / "w16.xlsx"
    r = ok(season("--today", "2020-04-16", "report", "weekly", "--format", "xlsx", "-o", str(out)))
    assert r.stdout == ""
    from openpyxl import load_workbook

    assert load_workbook(out).sheetnames
    out = tmp_path / "w16.json"
    r = ok(season("--today", "2020-04-16", "report", "weekly", "--format", "json", "-o", str(out)))
    assert r.stdout == ""
    assert json.loads(out.read_text("utf-8")) == weekly(season, "2020-04-16")
    out = tmp_path / "w16.md"
    ok(season("--today", "2020-04-16", "report", "weekly", "--format", "md", "-o", str(out)))
    assert out.read_text("utf-8") == md


def test_export_formats(season: Cli, tmp_path: Path) -> None:
    listed = {o["uid"] for o in tasks(season)}
    data = as_json(season("--today", "2020-04-16", "export", "--format", "json"))
    assert isinstance(data, list) and {o["uid"] for o in data} == listed
    for o in data:  # the ledger's JSON rows are the task objects, plus ledger columns
        assert set(TASK_KEYS) <= set(o)
        assert ISO_DATE.fullmatch(o["due"])
    plain = ok(season("--today", "2020-04-16", "export")).stdout  # csv by default
    rows = list(csv.reader(io.StringIO(plain)))
    assert "uid" in rows[0] and len(rows) == 1 + len(listed)
    uid_col = rows[0].index("uid")
    assert {r[uid_col] for r in rows[1:]} == listed
    assert ok(season("--today", "2020-04-16", "export", "--format", "csv")).stdout == plain
    out = tmp_path / "ledger.xlsx"
    ok(season("--today", "2020-04-16", "export", "--format", "xlsx", "-o", str(out)))
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None and ws.max_row == 1 + len(listed)
    out = tmp_path / "ledger.csv"
    ok(season("--today", "2020-04-16", "export", "-o", str(out)))
    assert UIDS[1] in out.read_text("utf-8-sig")


def test_export_default_excludes_withdrawn_like_list(season: Cli) -> None:
    data = as_json(season("export", "--format", "json"))
    assert len(data) == len(tasks(season)) == 10


@pytest.mark.parametrize(
    "args",
    [
        ("report", "weekly", "--week", "W15"),
        ("report", "weekly", "--week", "2020-W60"),
        ("report", "weekly", "--format", "docx"),
        ("export", "--format", "pdf"),
    ],
)
def test_report_bad_input_exits_2(season: Cli, args: tuple[str, ...]) -> None:
    fails_one_line(season(*args), 2)
