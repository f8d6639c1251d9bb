"""The 红黑榜 case of the people issue: "A unit can postpone its own deadline the day before it
falls due, finish on the new date and land on the 红榜, while a unit that finished the same day
without postponing lands on the 黑榜."

Staff may not backdate, so the days of the story pass on a travelling clock: the wall clock
(``Context.real_now``) is set to each day, and every command runs with ``--today`` that day.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from people_helpers import ok

from tracker.context import Context

PLAN = """
[plan]
id = "rank-2020"
title = "红黑榜"
year = 2020

[units.county]
name = "县委县政府"

[units.jia]
name = "甲镇"
parent = "county"

[units.yi]
name = "乙镇"
parent = "county"

[[campaign]]
key = "spring"
name = "春季攻势"
start = 2020-03-02
end = 2020-04-30

  [[campaign.task]]
  key = "qingjie"
  title = "{unit}开展村庄清洁行动"
  each = ["jia", "yi"]
  due = "2020-04-22"
"""
JIA, YI = "rank-2020/spring/qingjie/jia", "rank-2020/spring/qingjie/yi"
EVE, DUE, LATE = "2020-04-21", "2020-04-22", "2020-04-24"  # the day before, the due day, +2

Run = Callable[..., Any]


@pytest.fixture
def on_day(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``on_day(DAY, person, *args)``: the CLI run as ``person`` with the wall clock at DAY."""

    def run(day: str, person: str, *args: str) -> Any:
        moment = datetime.combine(date.fromisoformat(day), time(10, 0))
        monkeypatch.setattr(Context, "real_now", lambda self: moment)
        return ok(cli("--user", person, "--today", day, *args))

    return run


def _story(on_day: Run, tmp_path: Path, *, managed: bool, approve: bool = False) -> dict[str, Any]:
    plan = tmp_path / "rank.toml"
    plan.write_text(PLAN, "utf-8")
    on_day(EVE, "局长", "load", str(plan))
    if managed:
        on_day(EVE, "局长", "people", "add", "局长", "--role", "admin")
        for name, role, unit in (("甲", "staff", "jia"), ("乙", "staff", "yi")):
            on_day(EVE, "局长", "people", "add", name, "--role", role, "--unit", unit)
        on_day(EVE, "局长", "people", "add", "督办", "--role", "verifier", "--unit", "county")
    on_day(EVE, "甲", "postpone", JIA, LATE, "--reason", "雨天无法施工")
    if approve:
        on_day(EVE, "督办", "approve", JIA)
    on_day(LATE, "甲", "done", JIA)
    on_day(LATE, "乙", "done", YI)
    out = on_day(LATE, "督办", "report", "weekly", "--week", "2020-W17", "--format", "json")
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _units(report: dict[str, Any]) -> dict[str, tuple[int, int, float | None]]:
    return {
        u["key"]: (u["due_to_date"], u["done"], u["on_time_rate"])
        for u in report["units"]
        if u["key"] in ("jia", "yi")
    }


def _ranks(report: dict[str, Any]) -> dict[str, int | None]:
    """The peer-group ranks (cli-v2.md ``rankings``). With two units each qualifies for both
    the 红榜 and the 黑榜, so both lists are empty: the order is in the ranks."""
    assert report["red"] == [] and report["black"] == []
    return {u["key"]: u["rank"] for g in report["rankings"] for u in g["units"]}


def test_open_database_the_issue_as_reported(on_day: Run, tmp_path: Path) -> None:
    """Version 1 (an open database): 甲 postponed itself and is on the 红榜, 乙 on the 黑榜."""
    report = _story(on_day, tmp_path, managed=False)
    assert _units(report) == {"jia": (1, 1, 1.0), "yi": (1, 1, 0.0)}
    assert _ranks(report) == {"jia": 1, "yi": 2}


def test_managed_staff_postpone_is_only_a_request(on_day: Run, tmp_path: Path) -> None:
    """Managed: 甲's postponement is a request nobody approved; finishing after the original
    due date is late, the same as 乙, and neither is on the 红榜."""
    report = _story(on_day, tmp_path, managed=True)
    assert _units(report) == {"jia": (1, 1, 0.0), "yi": (1, 1, 0.0)}
    assert report["totals"]["on_time"] == 0
    assert _ranks(report) == {"jia": 1, "yi": 1}  # a tie: neither ahead of the other


def test_managed_approved_postponement_counts(on_day: Run, tmp_path: Path) -> None:
    """With a verifier's approval the new date is the deadline: 甲 is on time."""
    report = _story(on_day, tmp_path, managed=True, approve=True)
    assert _units(report) == {"jia": (1, 1, 1.0), "yi": (1, 1, 0.0)}
    assert _ranks(report) == {"jia": 1, "yi": 2}
