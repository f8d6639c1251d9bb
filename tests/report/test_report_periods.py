"""``report monthly`` and ``report quarterly`` (cli-v2.md) over the scripted season.

The season (conftest.py): ids 1 fpb due 03-20, 2 town-a 04-03, 3 town-b 04-03, 4 fpb 04-30
(target 119), 5 county 03-27, 6 county 04-10, 7 cun-1 04-08 (postponed to 04-17 on 04-07),
8 town-b 05-15. Done: 1 on 03-18 (verified 04-06), 5 on 03-30 (late; reopened 04-15), 2 on
04-02, 6 on 04-09, 3 on 04-14 (late).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import run_ok

Cli = Callable[..., Result]


def period(cli: Cli, today: str, kind: str, *extra: str) -> dict[str, Any]:
    args = ["--today", today, "report", kind, "--format", "json", *extra]
    data: dict[str, Any] = json.loads(run_ok(cli, *args).stdout)
    return data


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [o["id"] for o in items]


def counts(t: dict[str, Any]) -> tuple[int, ...]:
    keys = ("tasks", "due_to_date", "done", "verified", "overdue", "blocked", "on_time")
    return tuple(t[k] for k in keys)


def test_april_as_it_stood_at_its_end(season: Cli) -> None:
    # at the end of 04-30: due 1, 2, 3, 4 (04-30), 5, 6, 7 = 7; done 1 (verified), 2, 3, 6;
    # overdue (due before 04-30, open) 5 (reopened) and 7; on time 1, 2, 6
    data = period(season, "2020-05-20", "monthly", "--month", "2020-04")
    assert (data["month"], data["from"], data["to"], data["as_of"]) == (
        "2020-04", "2020-04-01", "2020-04-30", "2020-04-30",
    )  # fmt: skip
    assert "week" not in data
    assert counts(data["totals"]) == (8, 7, 4, 1, 2, 0, 3)
    assert data["totals"]["completion_rate"] == pytest.approx(4 / 7)
    assert data["totals"]["on_time_rate"] == pytest.approx(3 / 7)
    assert ids(data["done_this_week"]) == [2, 6, 3]  # done in April, in the order done
    assert ids(data["due_next_week"]) == [8]  # due in May
    assert ids(data["overdue"]) == [5, 7]
    prev = data["previous"]  # the end of March: 1 and 5 due, both done then
    assert (prev["due_to_date"], prev["done"]) == (2, 2)


def test_quarters(season: Cli) -> None:
    q2 = period(season, "2020-05-20", "quarterly", "--quarter", "2020-Q2")
    assert (q2["quarter"], q2["from"], q2["to"], q2["as_of"]) == (
        "2020-Q2", "2020-04-01", "2020-06-30", "2020-05-20",
    )  # fmt: skip
    # as of 05-20 everything is due; open and due before it: 4, 5, 7, 8
    assert counts(q2["totals"]) == (8, 8, 4, 1, 4, 0, 3)
    assert ids(q2["done_this_week"]) == [2, 6, 3]
    assert q2["due_next_week"] == []  # nothing due in Q3
    q1 = period(season, "2020-05-20", "quarterly", "--quarter", "2020q1")
    assert (q1["quarter"], q1["as_of"]) == ("2020-Q1", "2020-03-31")
    assert counts(q1["totals"]) == (8, 2, 2, 0, 0, 0, 1)  # 5 was done (late), not reopened yet
    assert ids(q1["done_this_week"]) == [1, 5]
    assert set(ids(q1["due_next_week"])) == {2, 3, 4, 6, 7, 8}  # every Q2 deadline


def test_default_period_holds_today(season: Cli) -> None:
    month = period(season, "2020-04-15", "monthly")
    quarter = period(season, "2020-04-15", "quarterly")
    assert (month["month"], month["as_of"]) == ("2020-04", "2020-04-15")
    assert (quarter["quarter"], quarter["from"], quarter["to"]) == (
        "2020-Q2", "2020-04-01", "2020-06-30",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "option", "value"),
    [
        ("monthly", "--month", "2020-13"),
        ("monthly", "--month", "april"),
        ("monthly", "--month", "2020-W15"),
        ("quarterly", "--quarter", "2020-Q5"),
        ("quarterly", "--quarter", "2020-04"),
        ("quarterly", "--quarter", "Q2"),
    ],
)
def test_bad_period_is_one_line_exit_2(season: Cli, kind: str, option: str, value: str) -> None:
    r = season("--today", "2020-04-15", "report", kind, option, value)
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and value in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_monthly_human_formats_name_the_month(season: Cli) -> None:
    base = ["--lang", "zh", "--today", "2020-05-20", "report", "monthly", "--month", "2020-04"]
    text = run_ok(season, *base).stdout
    assert text.splitlines()[0].startswith("测试县2020年工作计划 月报  2020年4月（4月1日—4月30日）")
    assert "本月" in text and "上月" in text and "四、本月完成" in text and "六、下月计划" in text
    q = run_ok(season, "--lang", "zh", "--today", "2020-05-20", "report", "quarterly").stdout
    assert q.splitlines()[0].startswith("测试县2020年工作计划 季报  2020年第2季度")
