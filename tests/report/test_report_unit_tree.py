"""The unit roll-up through the ``parent`` tree: JSON ``subtree`` and ``unit_tree``, and the
human unit table with a 合计含下级 row above a unit's own (本级) row.

TREE below, every day a working day, report for W15 (04-06..04-12) run on 04-20, so the
as-of day is 04-12:

- 城关镇 (town-a) owns t1, due 04-01, done 03-30: on time;
- 东村 (cun-1) owns t2, due 04-02, done 04-05: late; and t3, due 04-20: not yet due;
- 西村 (cun-2) owns t4, due 04-03, still todo: overdue;
- 县委县政府 (county) owns nothing; 石桥乡 (town-b) and its 南村 own nothing at all.

Own figures (tasks, due_to_date, done, overdue, on_time_rate): town-a (1, 1, 1, 0, 1.0),
cun-1 (2, 1, 1, 0, 0.0), cun-2 (1, 1, 0, 1, 0.0). Subtree of town-a = town-a + cun-1 +
cun-2 = (4, 3, 2, 1, 1/3); county's subtree is the same (it adds nothing of its own).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import run_ok

Cli = Callable[..., Result]

TREE = """
[plan]
id = "tree"
title = "测试镇村工作计划"
year = 2020
calendar = "none"

[units.county]
name = "县委县政府"

[units.town-a]
name = "城关镇"
parent = "county"

[units.cun-1]
name = "东村"
parent = "town-a"

[units.cun-2]
name = "西村"
parent = "town-a"

[units.town-b]
name = "石桥乡"
parent = "county"

[units.cun-3]
name = "南村"
parent = "town-b"

[[campaign]]
key = "spring"
name = "春季攻势"
start = 2020-03-02
end = 2020-04-30

  [[campaign.task]]
  key = "t1"
  title = "城关镇环境整治"
  owner = "town-a"
  due = 2020-04-01

  [[campaign.task]]
  key = "t2"
  title = "东村道路硬化"
  owner = "cun-1"
  due = 2020-04-02

  [[campaign.task]]
  key = "t3"
  title = "东村水渠修缮"
  owner = "cun-1"
  due = 2020-04-20

  [[campaign.task]]
  key = "t4"
  title = "西村厕所改造"
  owner = "cun-2"
  due = 2020-04-03
"""

# key: (tasks, due_to_date, done, overdue, on_time_rate)
OWN = {
    "county": (0, 0, 0, 0, None),
    "town-a": (1, 1, 1, 0, 1.0),
    "cun-1": (2, 1, 1, 0, 0.0),
    "cun-2": (1, 1, 0, 1, 0.0),
}
SUBTREE = {
    "county": (4, 3, 2, 1, 1 / 3),
    "town-a": (4, 3, 2, 1, 1 / 3),
    "cun-1": (2, 1, 1, 0, 0.0),
    "cun-2": (1, 1, 0, 1, 0.0),
}


def figs(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["tasks"], d["due_to_date"], d["done"], d["overdue"], d["on_time_rate"])


@pytest.fixture
def tree(cli: Cli, tmp_path: Path) -> Cli:
    plan = tmp_path / "tree.toml"
    plan.write_text(TREE, encoding="utf-8")
    run_ok(cli, "--today", "2020-03-01", "load", str(plan))
    run_ok(cli, "--today", "2020-03-30", "done", "1")
    run_ok(cli, "--today", "2020-04-05", "done", "2")
    return cli


def weekly(cli: Cli, lang: str, *extra: str) -> Result:
    args = ("--today", "2020-04-20", "--lang", lang, "report", "weekly", "--week", "2020-W15")
    return run_ok(cli, *args, *extra)


def test_json_unit_tree_rolls_villages_into_their_town(tree: Cli) -> None:
    data = json.loads(weekly(tree, "zh", "--format", "json").stdout)
    nodes = data["unit_tree"]
    # tree order; 石桥乡 and 南村 own nothing anywhere below them: left out
    assert [(n["key"], n["parent"], n["depth"]) for n in nodes] == [
        ("county", None, 0),
        ("town-a", "county", 1),
        ("cun-1", "town-a", 2),
        ("cun-2", "town-a", 2),
    ]
    assert {n["key"]: figs(n["own"]) for n in nodes} == pytest.approx(OWN)
    assert {n["key"]: figs(n["subtree"]) for n in nodes} == pytest.approx(SUBTREE)
    assert set(nodes[0]["own"]) == {"tasks", "due_to_date", "done", "overdue", "on_time_rate"}
    town = nodes[1]  # the town's subtree is the sum of its own and its two villages'
    for i, key in enumerate(("tasks", "due_to_date", "done", "overdue")):
        parts = [OWN["town-a"][i], OWN["cun-1"][i], OWN["cun-2"][i]]
        assert town["subtree"][key] == sum(parts)
    assert figs(nodes[0]["subtree"])[:4] == tuple(
        data["totals"][k] for k in ("tasks", "due_to_date", "done", "overdue")
    )


def test_json_units_stay_own_and_ranked_with_a_subtree_beside(tree: Cli) -> None:
    data = json.loads(weekly(tree, "zh", "--format", "json").stdout)
    units = data["units"]
    # only units owning instances, ranked on their own figures (ties: fewer overdue first)
    assert [(u["key"], u["rank"]) for u in units] == [("town-a", 1), ("cun-1", 2), ("cun-2", 3)]
    assert {u["key"]: figs(u) for u in units} == pytest.approx(
        {k: v for k, v in OWN.items() if k != "county"}
    )
    assert {u["key"]: figs(u["subtree"]) for u in units} == pytest.approx(
        {k: v for k, v in SUBTREE.items() if k != "county"}
    )
    for key in ("tasks", "due_to_date", "done", "overdue"):
        assert sum(u[key] for u in units) == data["totals"][key]


def test_text_shows_the_town_total_above_its_own_row(tree: Cli) -> None:
    lines = weekly(tree, "zh").stdout.splitlines()
    start = lines.index("三、分单位情况")
    table = lines[start + 3 : lines.index("红榜") - 1]
    rows = [[c for c in line.split(" ") if c] for line in table]  # keep the ideographic indent
    assert rows == [
        ["县委县政府（合计含下级）", "4", "3", "2", "1", "33.3%"],
        ["　城关镇（合计含下级）", "4", "3", "2", "1", "33.3%"],
        ["　　城关镇（本级）", "1", "1", "1", "0", "100.0%", "1"],
        ["　　东村", "2", "1", "1", "0", "0.0%", "2"],
        ["　　西村", "1", "1", "0", "1", "0.0%", "3"],
    ]


def test_markdown_html_and_xlsx_carry_the_same_tree(tree: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    md = weekly(tree, "en", "--format", "md").stdout
    assert "| 　城关镇 (incl. units below) | 4 | 3 | 2 | 1 | 33.3% |  |" in md
    assert "| 　　城关镇 (own) | 1 | 1 | 1 | 0 | 100.0% | 1 |" in md
    html_path = tmp_path / "w15.html"
    weekly(tree, "zh", "--format", "html", "-o", str(html_path))
    html = html_path.read_text(encoding="utf-8")
    assert '<tr class="lvl1"><td>城关镇（合计含下级）</td><td class="n">4</td>' in html
    assert '<tr class="lvl2"><td>西村</td>' in html
    xlsx = tmp_path / "w15.xlsx"
    weekly(tree, "zh", "--format", "xlsx", "-o", str(xlsx))
    sheet = load_workbook(xlsx)["分单位"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[1] == ["　城关镇（合计含下级）", 4, 3, 2, 1, pytest.approx(1 / 3), None]
    assert values[2] == ["　　城关镇（本级）", 1, 1, 1, 0, pytest.approx(1.0), 1]
    assert len(values) == 5
