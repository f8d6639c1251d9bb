"""The five formats carry the same figures (issue #16): each is read back (the text and the
Markdown parsed, the HTML parsed, the workbook opened with openpyxl, the JSON loaded) and page
one's tables compared with what the JSON says, and the HTML report is drawn by headless
Chromium to a PNG."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import REPO
from tests.report.conftest import run_ok
from tests.report.test_report_pageone import W15, outcomes_db, town  # noqa: F401 (fixtures)

Cli = Callable[..., Result]
WEEK = ("report", "weekly", "--week", "2020-W15")
TONES = {"good": "正常", "warn": "偏慢", "bad": "滞后"}
Rows = list[list[Any]]


def _tone(i: dict[str, Any]) -> str:
    """The rule of docs/report.md, computed here from the JSON alone."""
    if i["gap"] >= 0:
        return "good"
    return "warn" if -i["gap"] < 0.1 * i["target"] else "bad"


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def expected(data: dict[str, Any]) -> dict[str, Rows]:
    """Page one's rows as the JSON gives them: numbers exact (the workbook's), and how text,
    Markdown and HTML show them (one decimal, a percentage)."""
    names = {c["key"]: c["name"] for c in data["campaigns"]}
    inds = []
    for i in data["indicators"]:
        unit = i["unit"] if i["measure"] == "sum" else f"达标单位数（{i['unit']}）"
        rate = i["progress"] / i["target"]
        inds.append([names[i["campaign"]], i["title"], unit, i["target"], i["progress"],
                     i["expected"], i["gap"], rate, TONES[_tone(i)]])  # fmt: skip
    probs = [[p["title"], p["source"], p["leader"], p["measures"], p["done"], p["verified"],
              p["overdue"], p["done"] / p["measures"] if p["measures"] else None]
             for p in data["problems"]]  # fmt: skip
    t = data["totals"]
    done_due = round(t["completion_rate"] * t["due_to_date"])
    counters = [["任务总数", t["tasks"]], ["应完成", t["due_to_date"]], ["已完成", t["done"]],
                ["已销号", t["verified"]], ["逾期", t["overdue"]], ["受阻", t["blocked"]],
                ["完成率", t["completion_rate"]], ["按时完成率", t["on_time_rate"]],
                ["到期完成数", done_due], ["已免除", t["waived"]]]  # fmt: skip
    units = [[g["unit_name"], g["count"], g["oldest_due"], f"{g['days_overdue']}天",
              g["worst"]["title"]] for g in data["overdue_by_unit"]]  # fmt: skip
    return {"重点指标进度": inds, "整改问题清单": probs, "一、总体情况": counters,
            "五、逾期事项": units}  # fmt: skip


def shown(rows: Rows, title: str) -> list[list[str]]:
    """How text, Markdown and HTML write those cells."""
    out = []
    for row in rows:
        cells = []
        for n, v in enumerate(row):
            if v is None:
                cells.append("—" if title == "整改问题清单" and n == 7 else "")
            elif title == "重点指标进度" and n in (5, 6):
                cells.append(f"{v:+.1f}" if n == 6 else f"{v:.1f}")
            elif isinstance(v, float) and (title != "一、总体情况" or n == 1) and v <= 1:
                cells.append(f"{v * 100:.1f}%")
            else:
                cells.append(_n(v) if isinstance(v, (int, float)) else str(v))
        out.append(cells)
    return out


def text_tables(out: str) -> dict[str, list[list[str]]]:
    """Each table of the text report by its title: rows as their whitespace-split words."""
    lines = out.splitlines()
    found: dict[str, list[list[str]]] = {}
    for j, line in enumerate(lines):
        if line.strip() and set(line.strip()) == {"─"}:
            rows = []
            for row in lines[j + 1 :]:
                if not row.strip() or "░" in row or "█" in row:  # the end, or the bar
                    break
                rows.append(row.split())
            found[lines[j - 2].strip()] = rows
    return found


def md_tables(out: str) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    lines = out.splitlines()
    for j, line in enumerate(lines):
        if line.startswith("#") and j + 2 < len(lines) and lines[j + 2].startswith("| "):
            rows = []
            for row in lines[j + 4 :]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip("|").split(" | ")])
            found[line.lstrip("# ").strip()] = rows
    return found


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[list[str]]] = {}
        self.title = ""
        self.tones: dict[str, list[str]] = {}
        self._text: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "td"):
            self._text = []
        if tag == "tr":
            self._row = []
            cls = dict(attrs).get("class") or ""
            self.tones.setdefault(self.title, []).append(cls.removeprefix("tone-"))

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text or [])
        if tag in ("h2", "h3"):
            self.title = text.strip()
            self.found[self.title] = []
            self.tones[self.title] = []
        elif tag == "td" and self._row is not None:
            self._row.append(text)
        elif tag == "tr" and self._row:
            self.found[self.title].append(self._row)
        if tag in ("h2", "h3", "td"):
            self._text = None


def xlsx_tables(path: Path) -> dict[str, Rows]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    page = [list(r) for r in wb["首页"].iter_rows(values_only=True)]
    found: dict[str, Rows] = {}
    for j, row in enumerate(page):
        if row[0] in ("重点指标进度", "整改问题清单"):
            rows = []
            for r in page[j + 2 :]:
                if all(v is None for v in r):
                    break
                rows.append(r)
            found[str(row[0])] = rows
    summary = list(wb["总体情况"].iter_rows(min_row=4, values_only=True))
    found["一、总体情况"] = [list(r[:2]) for r in summary]
    units = list(wb["逾期单位"].iter_rows(min_row=4, values_only=True))
    found["五、逾期事项"] = [list(r) for r in units]
    return found


def _same(got: Rows, want: Rows) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert len(g) >= len(w), (g, w)
        for a, b in zip(g, w, strict=False):
            if isinstance(b, float) and not isinstance(b, bool):
                assert a == pytest.approx(b), (g, w)
            else:
                assert a == b, (g, w)


def test_five_formats_carry_the_same_figures(town: Cli, tmp_path: Path) -> None:  # noqa: F811
    zh = (*W15, "--lang", "zh")
    data = json.loads(run_ok(town, *zh, *WEEK, "--format", "json").stdout)
    want = expected(data)
    assert [r[-1] for r in want["重点指标进度"]] == ["滞后", "正常", "偏慢", "正常", "滞后"]
    text = text_tables(run_ok(town, *zh, *WEEK).stdout)
    md = md_tables(run_ok(town, *zh, *WEEK, "--format", "md").stdout)
    html_file, xlsx_file = tmp_path / "r.html", tmp_path / "r.xlsx"
    run_ok(town, *zh, *WEEK, "-o", str(html_file))
    run_ok(town, *zh, *WEEK, "-o", str(xlsx_file))
    parser = _Tables()
    parser.feed(html_file.read_text(encoding="utf-8"))
    book = xlsx_tables(xlsx_file)
    for title, rows in want.items():
        words = shown(rows, title)
        width = len(words[0])  # the counters: this week's column only
        assert [r[:width] for r in text[title]] == [[w for w in r if w] for r in words], title
        assert [r[:width] for r in md[title]] == words, title
        assert [r[:width] for r in parser.found[title]] == words, title
        _same(book[title], rows)
    # coloured by gap: the HTML rows' classes and the workbook's fills follow the same tones
    tones = [_tone(i) for i in data["indicators"]]
    assert parser.tones["重点指标进度"][1:] == tones  # the first row is the header's
    _fills(xlsx_file, tones)


def _fills(path: Path, tones: list[str]) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(path)["首页"]
    start = next(c.row for c in ws["A"] if c.value == "重点指标进度") + 2
    colours = {"good": "E3F4E1", "warn": "FFF4D6", "bad": "FBE1DF"}
    for n, tone in enumerate(tones):
        assert str(ws.cell(row=start + n, column=9).fill.fgColor.rgb).endswith(colours[tone])


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium is not installed: the HTML report cannot be drawn to a PNG here",
)
def test_page_one_renders_in_headless_chromium(town: Cli, tmp_path: Path) -> None:  # noqa: F811
    html = tmp_path / "page-one.html"
    png = tmp_path / "page-one.png"
    run_ok(town, *W15, "--lang", "zh", *WEEK, "-o", str(html))
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "render_html_png.sh"), str(html), str(png)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # text, coloured rows and a chart: not a blank page
    keep = Path("/tmp/rptpage-page-one.png")  # for a person to look at (issue #16)
    shutil.copyfile(png, keep)
