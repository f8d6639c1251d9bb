"""Page one of the report (issue #16): indicators, 整改 problems, urgent overdue items, risks,
against figures worked out by hand on tests/fixtures/report/outcomes.toml.

Every day of that plan is a working day (calendar = "none"), so the share of a window is a
count of days. The script (below), states at the end of W15 (as-of day d = 04-12):

- road (sum, 100 公里, 03-01..04-30, milestone 03-31 = 40 %): progress 20; share(d) =
  0.4 + 0.6 × days(03-31..04-12) / days(03-31..04-30) = 0.4 + 0.6 × 13/31.
- houses (sum, 10 户 × 3 villages, 03-01..05-31), town-c waived: target 20, progress 10 + 4,
  one owner reached; share = days(03-01..04-12) / days(03-01..05-31) = 43/92.
- insure (each: unit "%", 95 × 3, 03-01..06-30): town-a 96 reached, town-b 90 not: target 3
  owners, progress 1; expected = 3 × 43/122.
- income (sum, 5 万元, 04-01..06-30): 2; share 12/91. dividend (sum, 3 万元, 03-01..06-30): 0.
- noprog (no target) got progress 50: it counts in no indicator and no campaign figure.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import FIXTURES, run_ok

Cli = Callable[..., Result]
PLAN = FIXTURES / "outcomes.toml"
W15 = ("--today", "2020-04-20")

# (today, command...): ids follow the plan's expansion order (see the module docstring)
SCRIPT: list[tuple[str, tuple[str, ...]]] = [
    ("2020-03-10", ("progress", "out/zg/road", "20")),
    ("2020-03-20", ("waive", "out/zg/houses/town-c", "--reason", "已纳入异地搬迁")),
    ("2020-03-25", ("progress", "out/zg/houses/town-a", "10")),
    ("2020-03-25", ("progress", "out/zg/houses/town-b", "4")),
    ("2020-03-28", ("progress", "out/zg/insure/town-a", "96")),
    ("2020-03-28", ("progress", "out/zg/insure/town-b", "90")),
    ("2020-04-02", ("block", "out/zg/water/town-b", "--reason", "资金未到位")),
    ("2020-04-03", ("note", "out/zg/water/town-b", "下周协调县水利局")),
    ("2020-04-03", ("done", "out/zg/water/town-a")),
    ("2020-04-04", ("verify", "out/zg/water/town-a")),
    ("2020-04-05", ("progress", "out/zg/noprog", "50")),
    ("2020-04-06", ("note", "out/zg/risky", "融资方案未获批")),
    ("2020-04-08", ("note", "out/zg/risky", "已对接农商行")),
    ("2020-04-08", ("progress", "out/cy/income", "2")),
]


@pytest.fixture(scope="session")
def outcomes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from tracker.cli import app

    path = tmp_path_factory.mktemp("outcomes") / "outcomes.db"
    runner = CliRunner()

    def cli(*args: str) -> Result:
        return runner.invoke(app, ["--db", str(path), *args], catch_exceptions=False)

    run_ok(cli, "--today", "2020-03-01", "--user", "planner", "load", str(PLAN))
    for today, command in SCRIPT:
        run_ok(cli, "--today", today, "--user", "alice", *command)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def town(cli: Cli, outcomes_db: Path, db_path: Path) -> Cli:
    shutil.copyfile(outcomes_db, db_path)
    return cli


def weekly(cli: Cli, week: str, *extra: str) -> dict[str, Any]:
    out = run_ok(cli, *W15, "report", "weekly", "--week", week, "--format", "json", *extra)
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["task_key"]: i for i in data["indicators"]}


IND_KEYS = ["plan", "campaign", "task_key", "title", "unit", "measure", "target", "progress",
            "expected", "gap", "owners", "owners_reached"]  # fmt: skip


def test_indicators_by_measure_with_and_without_milestones(town: Cli) -> None:
    data = weekly(town, "2020-W15")
    assert [list(i) for i in data["indicators"]] == [IND_KEYS] * 5
    ind = by_key(data)
    assert list(ind) == ["road", "houses", "insure", "income", "dividend"]  # plan order
    road = ind["road"]
    assert (road["measure"], road["unit"], road["target"], road["progress"]) == (
        "sum",
        "公里",
        100,
        20,
    )
    assert road["expected"] == pytest.approx(100 * (0.4 + 0.6 * 13 / 31))
    assert road["gap"] == pytest.approx(20 - 100 * (0.4 + 0.6 * 13 / 31))
    houses = ind["houses"]  # town-c waived: counted nowhere
    assert houses["title"] == "危房改造"  # the fan-out's owner name left out
    assert (houses["target"], houses["progress"], houses["owners"], houses["owners_reached"]) == (
        20, 14, 2, 1)  # fmt: skip
    assert houses["expected"] == pytest.approx(20 * 43 / 92)
    insure = ind["insure"]  # a rate: owners reaching their target, never a sum of rates
    assert (insure["measure"], insure["target"], insure["progress"]) == ("each", 3, 1)
    assert (insure["owners"], insure["owners_reached"]) == (3, 1)
    assert insure["expected"] == pytest.approx(3 * 43 / 122)
    assert insure["gap"] == pytest.approx(1 - 3 * 43 / 122)
    assert ind["income"]["expected"] == pytest.approx(5 * 12 / 91)
    assert ind["dividend"]["gap"] == pytest.approx(-3 * 43 / 122)


def test_indicator_figures_are_not_rounded(town: Cli) -> None:
    """plan-format-v2.md: "Figures are not rounded (renderers show one decimal)": the JSON
    carries the float itself (43/122 has no short decimal form)."""
    ind = by_key(weekly(town, "2020-W15"))
    exact = {
        ("road", "expected"): 100 * (0.4 + 0.6 * 13 / 31),
        ("houses", "expected"): 20 * 43 / 92,
        ("insure", "expected"): 3 * 43 / 122,
        ("insure", "gap"): 1 - 3 * 43 / 122,
        ("income", "expected"): 5 * 12 / 91,
    }
    for (key, field), value in exact.items():
        assert ind[key][field] == pytest.approx(value, rel=1e-12, abs=0), (key, field)
        assert ind[key][field] != round(value, 6)


def test_campaign_sums_only_sum_indicators_of_one_unit(town: Cli) -> None:
    data = weekly(town, "2020-W15")
    camps = {c["key"]: c for c in data["campaigns"]}
    # 公里 + 户 + an "each" rate: no sum; noprog's progress (no target) inflates nothing
    assert (camps["zg"]["target"], camps["zg"]["progress"]) == (None, None)
    assert (camps["cy"]["target"], camps["cy"]["progress"]) == (5 + 3, 2)
    assert "noprog" not in by_key(data)


def test_a_past_week_as_it_stood(town: Cli) -> None:
    data = weekly(town, "2020-W12")  # d = 03-22: only road had progress
    ind = by_key(data)
    assert ind["road"]["expected"] == pytest.approx(40 * 22 / 31)
    assert ind["road"]["progress"] == 20
    assert (ind["houses"]["progress"], ind["houses"]["owners"]) == (0, 2)  # waived on 03-20
    assert (ind["insure"]["progress"], ind["insure"]["owners_reached"]) == (0, 0)
    assert ind["income"]["expected"] == 0  # before its start


def test_problems_totals_requests(town: Cli) -> None:
    data = weekly(town, "2020-W15")
    rows = [[p[k] for k in ("key", "title", "source", "leader", "measures", "done", "verified",
                            "overdue")] for p in data["problems"]]  # fmt: skip
    assert rows == [
        ["p1", "道路建设滞后", "2019年度考核反馈", "王镇长", 2, 0, 0, 1],  # meeting overdue
        ["p2", "饮水安全不稳定", None, "李副镇长", 3, 1, 1, 2],  # a verified, b blocked, c todo
        ["p3", "尚无措施的问题", None, None, 0, 0, 0, 0],
    ]
    t = data["totals"]
    assert (t["waived"], t["postpone_requests"], t["tasks"]) == (1, 0, 15)
    assert data["postpone_requests"] == []


def test_overdue_high_priority_first_and_grouped_by_unit(town: Cli) -> None:
    data = weekly(town, "2020-W15")
    assert [o["uid"] for o in data["overdue"]] == [
        "out/zg/meeting", "out/zg/water/town-b", "out/zg/water/town-c", "out/zg/report",
    ]  # fmt: skip
    groups = [(g["unit"], g["count"], g["oldest_due"], g["days_overdue"], g["worst"]["title"])
              for g in data["overdue_by_unit"]]  # fmt: skip
    assert groups == [
        ("town-b", 2, "2020-04-01", 11, "红星村饮水工程"),  # the high-priority one, not the oldest
        ("county", 1, "2020-03-20", 23, "整改推进会"),
        ("town-c", 1, "2020-04-10", 2, "光明村饮水工程"),
    ]
    assert [o["uid"] for o in data["risks"]] == ["out/zg/risky"]


def test_text_page_one_comes_first(town: Cli) -> None:
    out = run_ok(town, *W15, "--lang", "zh", "report", "weekly", "--week", "2020-W15").stdout
    lines = out.splitlines()
    order = ["要情摘要", "重点指标进度", "高优先级逾期事项", "整改问题清单", "一、总体情况",
             "五、逾期事项", "逾期事项明细", "七、存在问题和下步打算"]  # fmt: skip
    at = [lines.index(title) for title in order]
    assert at == sorted(at)
    road = next(line for line in lines if line.split()[1:2] == ["道路硬化"])
    assert road.split() == ["整改攻坚", "道路硬化", "公里", "100", "20", "65.2", "-45.2", "20.0%",
                            "滞后"]  # fmt: skip
    issues = "\n".join(lines[at[-1] :])
    assert "资金未到位" in issues and "下周协调县水利局" in issues  # the blocked task's notes
    assert "融资方案未获批" in issues and "已对接农商行" in issues  # the risk, tagged 风险
    # every 已完成 agrees: the summary table, the bar and the trend's last point count the same
    # instances (3: two of them done before their due day, which 到期完成数 says)
    summary = lines[lines.index("一、总体情况") :]
    assert next(line for line in summary if line.startswith("已完成 ")).split()[1] == "3"
    assert next(line for line in summary if line.startswith("到期完成数")).split()[1] == "1"
    assert any(line.strip().startswith("已完成 3/15") for line in summary)
    trend = next(line for line in summary if line.strip().startswith("已完成") and "▁" in line)
    assert trend.split()[-1] == "3"


def test_untrusted_text_on_page_one(town: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    title = '=HYPERLINK("http://x","y")<b>'
    run_ok(town, "--today", "2020-04-02", "add", "--title", title, "--owner", "town-a",
           "--due", "2020-04-03", "--priority", "high")  # fmt: skip
    run_ok(town, "--today", "2020-04-09", "note", "out/zg/risky", "x\x1b[31m<i>red")
    text = run_ok(town, *W15, "report", "weekly", "--week", "2020-W15").stdout
    assert "\x1b" not in text and "x\\x1b[31m<i>red" in text  # the risk's latest note
    html = tmp_path / "r.html"
    xlsx = tmp_path / "r.xlsx"
    run_ok(town, *W15, "report", "weekly", "--week", "2020-W15", "-o", str(html))
    run_ok(town, *W15, "report", "weekly", "--week", "2020-W15", "-o", str(xlsx))
    page = html.read_text(encoding="utf-8")
    assert '"y")<b>' not in page and '"y")&lt;b&gt;' in page.replace("&quot;", '"')
    assert "<i>red" not in page and "&lt;i&gt;red" in page
    ws = load_workbook(xlsx).worksheets[0]  # page one
    cells = [c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_campaign_sums_rule() -> None:
    """cli-v2.md: Σ of the ``sum`` indicators when they all share one unit; an ``each``
    indicator never enters it; none at all sums to 0; mixed units: null."""
    from tracker.report.outcomes import Indicator, campaign_sums

    def ind(camp: str, measure: str, unit: str, target: float, progress: float) -> Indicator:
        return Indicator("p", camp, f"{camp}{unit}", "t", unit, measure, target, progress,
                         0.0, progress, 1, 0)  # fmt: skip

    sums = campaign_sums([
        ind("a", "sum", "公里", 100, 20), ind("a", "each", "%", 3, 1),
        ind("a", "sum", "公里 ", 5, 1),
        ind("b", "sum", "公里", 100, 20), ind("b", "sum", "户", 10, 4),
        ind("c", "each", "%", 3, 2),
    ])  # fmt: skip
    assert sums == {"a": (105, 21), "b": (None, None), "c": (0, 0)}
