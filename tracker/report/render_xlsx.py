"""The weekly report as an Excel workbook: one sheet per section, frozen header rows and
column widths that fit Chinese text (a wide character counts two). openpyxl is imported here,
lazily, so that no other command pays for it.
"""

from __future__ import annotations

import io
from typing import Any

from tracker import i18n
from tracker.present import cell_width
from tracker.report import xlsx_pageone
from tracker.report.pageone import page_one
from tracker.report.rank_sections import rankings_table
from tracker.report.sections import Dec, Pct, Table, chart_table, headline, sections, subline
from tracker.report.sheet import cell_value, put
from tracker.report.weekly import WeeklyReport

SHEETS = {
    "summary": "summary",
    "campaigns": "campaigns",
    "targets": "targets",
    "units": "units",
    "done": "done",
    "overdue_units": "overdue_units",
    "overdue": "overdue",
    "next": "next",
    "blocked": "blocked",
    "postponed": "postponed",
    "requests": "requests",
    "chart": "chart",
    "rankings": "rankings",
}


def text_width(text: str) -> int:
    """A column width estimate in Excel character units: a wide (CJK) character counts two,
    as it takes two terminal cells."""
    return cell_width(text)


def _value(cell: Any) -> Any:
    return xlsx_pageone.value(cell)  # a rate or a one-decimal figure: its number


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Border, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "head": PatternFill("solid", fgColor="EEF1F5"),
    }


def _sheet(wb: Any, t: Table, name: str, top_line: str, sub_text: str, lang: str) -> Any:
    """One table on its own sheet: title row, subtitle row, the header on row 3 (frozen)."""
    from openpyxl.styles import Alignment, Font

    st = _styles()
    ws = wb.create_sheet(name[:31])
    put(ws.cell(row=1, column=1), top_line).font = Font(bold=True, size=13)
    put(ws.cell(row=2, column=1), f"{t.title} · {sub_text}").font = Font(color="555555")
    widths = [text_width(h) for h in t.headers]
    for c, h in enumerate(t.headers, start=1):
        cell = put(ws.cell(row=3, column=c), h)
        cell.font = Font(bold=True)
        cell.fill = st["head"]
        cell.border = st["border"]
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for n, row in enumerate(t.rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = put(ws.cell(row=n, column=c), _value(value))  # never a formula
            cell.border = st["border"]
            if isinstance(value, (Pct, Dec)):
                cell.number_format = xlsx_pageone.number_format(value)
                shown = str(value)
            else:
                shown = "" if value is None else str(value)
            widths[c - 1] = max(widths[c - 1], text_width(shown))
            if c - 1 in t.numeric or isinstance(value, Pct):
                cell.alignment = Alignment(horizontal="right")
    if t.more:
        ws.cell(row=len(t.rows) + 4, column=1, value=i18n.t("report.more", lang, count=t.more))
    for c, w in enumerate(widths, start=1):
        letter = ws.cell(row=3, column=c).column_letter
        ws.column_dimensions[letter].width = min(60, max(6, w + 2))
    ws.freeze_panes = "A4"
    return ws


def _chart(ws: Any, t: Table) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.title = cell_value(t.title)
    chart.y_axis.title = None
    data = Reference(ws, min_col=2, max_col=3, min_row=3, max_row=3 + len(t.rows))
    cats = Reference(ws, min_col=1, min_row=4, max_row=3 + len(t.rows))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.width, chart.height = 22, 9
    ws.add_chart(chart, "E3")


def _save(wb: Any, top_line: str) -> bytes:
    wb.properties.title = cell_value(top_line)
    wb.properties.creator = "tracker"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_xlsx(r: WeeklyReport, lang: str) -> bytes:
    """The workbook as bytes. Each sheet: a title row, a subtitle row, then the table with its
    header on row 3, frozen below it so the headers stay visible while scrolling."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    tables = [t for t in sections(r, lang) if t.key not in ("red", "black")]
    tables.append(chart_table(r, lang))
    tables.append(rankings_table(r, lang))  # the 红黑榜 by peer group, every unit marked
    top_line = headline(r, lang)
    # page one first: indicators, urgent overdue, 整改, requests; the counters follow
    xlsx_pageone.page_sheet(wb, page_one(r, lang), top_line, subline(r, lang), lang)
    for t in tables:
        name = i18n.t(f"report.sheet.{SHEETS[t.key]}", lang)
        ws = _sheet(wb, t, name, top_line, subline(r, lang), lang)
        if t.key == "chart" and t.rows:
            _chart(ws, t)
    return _save(wb, top_line)


def render_tables(head: str, sub: str, tables: list[tuple[str, Table]], lang: str) -> bytes:
    """Titled tables, one sheet each (named by the pair's first item), as the weekly
    report's workbook lays out its own (the province's roll-up)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, t in tables:
        _sheet(wb, t, name, head, sub, lang)
    return _save(wb, head)
