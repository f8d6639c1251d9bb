"""A past period as it stood (instances created later count nowhere), several plans reported
together, and every 已完成 on one report agreeing (progress completions included)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import SMALL, run_ok

Cli = Callable[..., Result]

EXTRA_TASK = """
  [[campaign.task]]
  key = "extra"
  title = "七月新增任务"
  owner = "town-b"
  due = 2020-04-07
"""


def report(cli: Cli, today: str, *args: str) -> dict[str, Any]:
    out = run_ok(cli, "--today", today, "report", *args, "--format", "json").stdout
    data: dict[str, Any] = json.loads(out)
    return data


def _grown_plan(tmp_path: Path) -> Path:
    """small.toml with one more spring task, due in week 15 (04-07)."""
    text = SMALL.read_text("utf-8")
    at = text.index('  [[campaign.task]]\n  key = "qingjie"')
    path = tmp_path / "small2.toml"
    path.write_text(text[:at] + EXTRA_TASK.lstrip("\n") + "\n" + text[at:], "utf-8")
    return path


def test_past_week_and_month_ignore_instances_created_later(cli: Cli, tmp_path: Path) -> None:
    run_ok(cli, "--today", "2020-03-01", "load", str(SMALL))
    run_ok(cli, "--today", "2020-04-08", "done", "2")
    week = report(cli, "2020-04-20", "weekly", "--week", "2020-W15")
    month = report(cli, "2020-05-02", "monthly", "--month", "2020-04")
    # July: a reload adds a task due 04-07, and a 交办 item due 04-08 is added
    run_ok(cli, "--today", "2020-07-01", "load", str(_grown_plan(tmp_path)))
    run_ok(
        cli, "--today", "2020-07-01", "add", "--title", "督查交办", "--owner", "town-a",
        "--due", "2020-04-08", "--campaign", "spring",
    )  # fmt: skip
    week_later = report(cli, "2020-07-02", "weekly", "--week", "2020-W15")
    month_later = report(cli, "2020-07-02", "monthly", "--month", "2020-04")
    for before, after in ((week, week_later), (month, month_later)):
        before.pop("today")
        after.pop("today")
        assert after == before  # every figure, list and trend point as it stood
    assert week["totals"]["tasks"] == 8 and week["totals"]["due_to_date"] == 6
    july = report(cli, "2020-07-02", "weekly", "--week", "2020-W27")
    assert july["totals"]["tasks"] == 10  # once created, they count
    assert july["totals"]["due_to_date"] == 10
    assert {o["title"] for o in july["overdue"]} >= {"七月新增任务", "督查交办"}


def test_first_load_counts_in_every_period(cli: Cli) -> None:
    """A plan first loaded in July reports March and April as if loaded on time."""
    run_ok(cli, "--today", "2020-07-01", "load", str(SMALL))
    week = report(cli, "2020-07-02", "weekly", "--week", "2020-W15")
    # due by 04-12: 1 (03-20), 2 and 3 (04-03), 5 (03-27), 7 (04-08), 6 (04-10); all todo,
    # all due before 04-12: overdue
    t = week["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"], t["overdue"]) == (8, 6, 0, 6)


def _second_plan(tmp_path: Path) -> Path:
    text = SMALL.read_text("utf-8").replace('id = "small"', 'id = "other"')
    text = text.replace('title = "测试县2020年工作计划"', 'title = "另一县2020年工作计划"')
    path = tmp_path / "other.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def two_plans(cli: Cli, tmp_path: Path) -> Cli:
    """small (ids 1-8) and other (9-16), loaded on 03-01; small's 1 done on time (03-18),
    other's 9 (its copy of 1, due 03-20) done late (03-25), other's 13 (due 03-27) on time."""
    run_ok(cli, "--today", "2020-03-01", "load", str(SMALL))
    run_ok(cli, "--today", "2020-03-01", "load", str(_second_plan(tmp_path)))
    run_ok(cli, "--today", "2020-03-18", "done", "1")
    run_ok(cli, "--today", "2020-03-25", "done", "9", "13")
    return cli


def test_several_plans_each_a_section_and_the_totals(two_plans: Cli) -> None:
    both = report(two_plans, "2020-04-20", "weekly", "--week", "2020-W15")
    small = report(two_plans, "2020-04-20", "weekly", "--week", "2020-W15", "--plan", "small")
    other = report(two_plans, "2020-04-20", "weekly", "--week", "2020-W15", "--plan", "other")
    assert both["plan"] is None and both["plans"] == ["other", "small"]
    assert both["reports"] == [other, small]  # each plan exactly as --plan gives it
    # by hand: each plan 8 tasks, 6 due by 04-12 (1, 2, 3, 5, 6, 7 and their copies); done:
    # small 1 (on time), other 9 (late) and 13 (on time)
    t = both["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"], t["on_time"]) == (16, 12, 3, 2)
    assert t["completion_rate"] == pytest.approx(3 / 12)
    assert t["on_time_rate"] == pytest.approx(2 / 12)
    for key in ("tasks", "due_to_date", "done", "verified", "overdue", "blocked", "waived"):
        assert t[key] == small["totals"][key] + other["totals"][key]
    assert both["week"] == "2020-W15" and both["from"] == "2020-04-06"
    assert [c["plan"] for c in both["campaigns"]] == ["other", "other", "small", "small"]
    assert len(both["overdue"]) == len(small["overdue"]) + len(other["overdue"])
    assert both["chart"][-1]["done"] == t["done"]


def test_several_plans_keep_every_key_of_one_plan(two_plans: Cli) -> None:
    """cli-v2.md's report keys (``indicators``, ``problems``, …) are at the top level of the
    combined report too: each plan's rows one after the other, each with its plan."""
    both = report(two_plans, "2020-04-20", "weekly", "--week", "2020-W15")
    small = report(two_plans, "2020-04-20", "weekly", "--week", "2020-W15", "--plan", "small")
    assert set(small) - set(both) == set()
    for key in ("indicators", "problems", "overdue_by_unit", "risks"):
        assert len(both[key]) == sum(len(r[key]) for r in both["reports"]), key
    assert [u["plan"] for u in both["overdue_by_unit"]] == sorted(
        u["plan"] for u in both["overdue_by_unit"]
    )
    assert {u["plan"] for u in both["overdue_by_unit"]} == {"other", "small"}


def test_several_plans_in_text_and_xlsx(two_plans: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    text = run_ok(
        two_plans, "--lang", "zh", "--today", "2020-04-20", "report", "monthly",
        "--month", "2020-04",
    ).stdout  # fmt: skip
    assert "各计划合计" in text
    assert "测试县2020年工作计划：一、总体情况" in text
    assert "另一县2020年工作计划：一、总体情况" in text
    out = tmp_path / "both.xlsx"
    run_ok(two_plans, "--today", "2020-04-20", "report", "weekly", "-o", str(out))
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert len(wb.sheetnames) > 10


def test_every_done_figure_agrees_with_progress_completions(cli: Cli) -> None:
    """1 done on time; 4 (target 119, due 04-30) completed by progress in two steps, before it
    is due; 8 (due 05-15) done early. As of 04-12 (week 15): 6 due (1, 2, 3, 5, 6, 7), 3 done,
    1 of them due."""
    run_ok(cli, "--today", "2020-03-01", "load", str(SMALL))
    run_ok(cli, "--today", "2020-03-18", "done", "1")
    run_ok(cli, "--today", "2020-04-01", "progress", "4", "60")
    run_ok(cli, "--today", "2020-04-08", "progress", "4", "+59")  # 119: done
    run_ok(cli, "--today", "2020-04-09", "done", "8")
    data = report(cli, "2020-04-20", "weekly", "--week", "2020-W15")
    t = data["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"]) == (8, 6, 3)
    assert t["completion_rate"] == pytest.approx(1 / 6)  # done among due: 1 only
    assert sum(c["done"] for c in data["campaigns"]) == 3
    assert {c["key"]: c["done"] for c in data["campaigns"]} == {"spring": 2, "summer": 1}
    assert data["chart"][-1]["done"] == 3  # the trend's last point
    assert sorted(o["id"] for o in data["done_this_week"]) == [4, 8]
    text = run_ok(cli, "--today", "2020-04-20", "report", "weekly", "--week", "2020-W15").stdout
    assert re.search(r"^\s+Done 3/8 ", text, re.M)  # the progress bar
    assert "done  " in text and text.split("done  ", 1)[1].split("\n", 1)[0].rstrip().endswith(" 3")
    html = run_ok(
        cli, "--today", "2020-04-20", "report", "weekly", "--week", "2020-W15", "-f", "html"
    ).stdout
    assert '<div class="kpi"><b>3</b><span>Done</span>' in html
