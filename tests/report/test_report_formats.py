"""The weekly report's human formats: text, Markdown, HTML (and its A4 picture), xlsx."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import REPO
from tests.report.conftest import run_ok

Cli = Callable[..., Result]
W15 = ("--today", "2020-04-20")


def report(cli: Cli, lang: str, *args: str) -> Result:
    return run_ok(cli, *W15, "--lang", lang, "report", "weekly", "--week", "2020-W15", *args)


def test_text_zh_headline_sections_and_chart(season: Cli) -> None:
    out = report(season, "zh").stdout
    lines = out.splitlines()
    assert lines[0] == "测试县2020年工作计划 周报  2020年第15周（4月6日—4月12日）"
    titles = ["一、总体情况", "二、分行动进展", "三、分单位情况", "红榜", "黑榜", "四、本周完成",
              "五、逾期事项", "六、下周计划", "七、存在问题和下步打算", "八、延期事项"]  # fmt: skip
    for title in titles:
        assert title in lines, title
    assert "\x1b[" not in out  # no terminal styles when not a terminal
    spark = [line for line in lines if "▁" in line or "█" in line]
    assert len(spark) >= 2
    assert any("57" in line and "119" in line and "个行政村" in line for line in lines)
    assert "+10.0个百分点" in out  # on-time rate 50% -> 60%


def test_text_aligns_chinese_columns(season: Cli) -> None:
    from tracker.present import cell_width

    lines = report(season, "zh").stdout.splitlines()
    start = lines.index("三、分单位情况")
    rows = [line for line in lines[start + 3 : start + 8]]
    # the rank column ends at the same terminal cell in every row (East Asian width)
    ends = {cell_width(line.rstrip()) for line in rows if line.rstrip()[-1].isdigit()}
    assert len(ends) == 1, rows


def test_text_en(season: Cli) -> None:
    out = report(season, "en").stdout
    assert out.splitlines()[0] == "测试县2020年工作计划 weekly report, 2020 week 15 (6–12 Apr)"
    assert "1. Overview" in out and "5. Overdue" in out and "Best units" in out


def test_headline_across_months_and_years(season: Cli) -> None:
    r = run_ok(season, *W15, "--lang", "zh", "report", "weekly", "--week", "2020-W14")
    assert r.stdout.splitlines()[0].endswith("2020年第14周（3月30日—4月5日）")
    r = run_ok(season, *W15, "--lang", "en", "report", "weekly", "--week", "2020-W14")
    assert r.stdout.splitlines()[0].endswith("2020 week 14 (30 Mar – 5 Apr)")
    r = run_ok(season, *W15, "--lang", "zh", "report", "weekly", "--week", "2020-W53")
    assert r.stdout.splitlines()[0].endswith("2020年第53周（12月28日—2021年1月3日）")


def test_markdown(season: Cli) -> None:
    out = report(season, "zh", "--format", "md").stdout
    assert out.startswith("# 测试县2020年工作计划 周报  2020年第15周（4月6日—4月12日）\n")
    assert "## 五、逾期事项" in out
    assert "| 3 | 石桥乡村庄清洁行动 | 石桥乡 | 2020-04-03 | 9天 | 进行中 |" in out


def test_html_is_self_contained(season: Cli, tmp_path: Path) -> None:
    out = tmp_path / "w15.html"
    report(season, "zh", "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "@page" in html and "A4" in html
    assert (
        "src=" not in html
        and "href=" not in html
        and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "石桥乡村庄清洁行动" in html and "周报" in html


def test_binary_needs_output_and_bad_format(season: Cli) -> None:
    r = season("report", "weekly", "--format", "xlsx")
    assert r.exit_code == 2 and "-o" in r.stderr
    r = season("report", "weekly", "--format", "pdf")
    assert r.exit_code == 2 and "pdf" in r.stderr


def test_an_output_extension_no_format_of_ours_names_is_bad_input(
    season: Cli, tmp_path: Path
) -> None:
    """cli-v2.md: an extension "that the command cannot write, is bad input"; a suffix that
    is part of a name, or one given with --format, is the user's file name."""
    for name, args in (("w.pdf", ()), ("w.docx", ()), ("ledger.pdf", ("export",))):
        cmd = args or ("report", "weekly")
        r = season(*W15, *cmd, "-o", str(tmp_path / name))
        assert r.exit_code == 2 and name in r.stderr, (name, r.stderr)
        assert not (tmp_path / name).exists()
    for name, extra in (("周报.2020-W15", ()), ("w.log", ("--format", "text")), ("w.htm", ())):
        report(season, "en", "-o", str(tmp_path / name), *extra)
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "w.htm").read_text("utf-8").lstrip().lower().startswith("<!doctype html")


def test_xlsx_sheets_cells_frozen_widths(season: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tracker.report.render_xlsx import text_width

    out = tmp_path / "w15.xlsx"
    report(season, "zh", "--format", "xlsx", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["首页", "总体情况", "分行动", "分单位", "本周完成", "逾期单位",
                             "逾期事项", "下周计划", "存在问题", "延期事项", "走势",
                             "分组排名"]  # fmt: skip
    for ws in wb.worksheets[1:]:  # page one (首页) stacks its tables: tested apart
        assert ws.freeze_panes == "A4", ws.title
        assert ws["A1"].value.startswith("测试县2020年工作计划 周报")
    s = wb["总体情况"]
    assert [c.value for c in s[3]] == ["指标", "本周", "上周", "变化"]
    assert [c.value for c in s[5]] == ["应完成", 5, 4, "+1"]
    assert s["A10"].value == "完成率" and s["B10"].value == pytest.approx(0.8)
    assert s["B10"].number_format == "0.0%"
    u = wb["分单位"]
    assert [c.value for c in u[4]] == [  # county: everything below it, no rank of its own
        "县委县政府（合计含下级）", 8, 5, 4, 1, pytest.approx(0.6), None,
    ]  # fmt: skip
    assert [c.value for c in u[5]] == ["　县委县政府（本级）", 2, 2, 2, 0, pytest.approx(0.5), 3]
    o = wb["逾期事项"]
    assert [c.value for c in o[4]] == [
        3,
        "石桥乡村庄清洁行动",
        "石桥乡",
        "2020-04-03",
        "9天",
        "进行中",
        None,  # 责任领导: the task has none
    ]
    width = o.column_dimensions["B"].width
    assert width >= text_width("石桥乡村庄清洁行动")  # 9 wide characters: 18


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", head[16:24])
    return int(w), int(h)


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium is not installed",
)
def test_html_renders_in_headless_chromium(season: Cli, tmp_path: Path) -> None:
    html = tmp_path / "w15.html"
    png = tmp_path / "w15.png"
    report(season, "zh", "--format", "html", "-o", str(html))
    script = REPO / "scripts" / "render_html_png.sh"
    done = subprocess.run(
        ["bash", str(script), str(html), str(png)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _png_size(png) == (1240, 1754)
    assert png.stat().st_size > 20_000  # a page with text and a chart, not a blank one
