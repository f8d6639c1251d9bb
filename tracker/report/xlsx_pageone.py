"""Page one of the xlsx report: its tables stacked on the first sheet, the rows of the
indicators coloured by gap as the HTML report colours them (``pageone.py``)."""

from __future__ import annotations

from typing import Any

from tracker import i18n
from tracker.present import cell_width
from tracker.report.sections import Dec, Pct, Table
from tracker.report.sheet import put

FILLS = {"good": "E3F4E1", "warn": "FFF4D6", "bad": "FBE1DF"}


def value(cell: Any) -> Any:
    """What a cell of the report holds in a workbook: a rate or a decimal as its number."""
    return cell.value if isinstance(cell, (Pct, Dec)) else cell


def number_format(cell: Any) -> str | None:
    if isinstance(cell, Pct):
        return "0.0%"
    if isinstance(cell, Dec):
        return "+0.0;-0.0;0.0" if cell.signed else "0.0"
    return None


def _block(ws: Any, t: Table, row: int, lang: str, widths: dict[int, int]) -> int:
    """One table from ``row``: its title, its header, its rows; returns the next free row."""
    from openpyxl.styles import Font, PatternFill

    put(ws.cell(row=row, column=1), t.title).font = Font(bold=True, size=12)
    row += 1
    for c, h in enumerate(t.headers, start=1):
        put(ws.cell(row=row, column=c), h).font = Font(bold=True)
        widths[c] = max(widths.get(c, 6), cell_width(h))
    row += 1
    if not t.rows:
        put(ws.cell(row=row, column=1), i18n.t("report.none", lang))
        row += 1
    for n, cells in enumerate(t.rows):
        tone = t.tones[n] if n < len(t.tones) else ""
        for c, v in enumerate(cells, start=1):
            cell = put(ws.cell(row=row, column=c), value(v))  # never a formula
            fmt = number_format(v)
            if fmt:
                cell.number_format = fmt
            if tone:
                cell.fill = PatternFill("solid", fgColor=FILLS[tone])
            widths[c] = max(widths.get(c, 6), cell_width("" if v is None else str(v)))
        row += 1
    if t.more:
        put(ws.cell(row=row, column=1), i18n.t("report.more", lang, count=t.more))
        row += 1
    return row + 1


def page_sheet(wb: Any, tables: list[Table], top_line: str, sub: str, lang: str) -> Any:
    """The first sheet: the headline, then page one's tables one under another."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(i18n.t("report.p1.sheet", lang)[:31], 0)
    put(ws.cell(row=1, column=1), top_line).font = Font(bold=True, size=13)
    put(ws.cell(row=2, column=1), sub).font = Font(color="555555")
    row = 4
    widths: dict[int, int] = {}
    for t in tables:
        row = _block(ws, t, row, lang, widths)
    for c, w in widths.items():
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(50, w + 2)
    return ws
