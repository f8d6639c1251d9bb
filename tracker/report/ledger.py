"""The task ledger (台账): every instance on one row, with the columns staff expect.

``export_ledger`` writes it as CSV, xlsx or JSON, filtered like ``list``; ``ledger_import``
reads an edited CSV/xlsx back. Both sides share the column list and the way each editable
cell (状态, 进度, 备注) is written, so an unedited row reads back as unchanged.

Every row carries the task's ``uid`` and its revision ``rev`` (cli-v2.md, the ledger round
trip): ``import`` recomputes from the event log what the row said at that rev, and applies only
the cells the person edited. No cell is ever a formula: a text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is stored as text in xlsx and behind a ``'`` in csv
(``tracker.present.safe``), which ``import`` removes again.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker import i18n
from tracker.domain import Status, Task
from tracker.domain.status import SETTABLE
from tracker.jsontext import dumps
from tracker.present.safe import csv_cell
from tracker.report.sheet import put
from tracker.store.db import Store
from tracker.store.figures import plans
from tracker.store.query import (
    TaskFilter,
    latest_notes,
    number,
    query_tasks,
    task_json,
    unit_names,
)

COLUMNS = (
    "seq",
    "uid",
    "campaign",
    "title",
    "owner",
    "support",
    "leader",
    "due",
    "status",
    "progress",
    "postponed",
    "note",
    "rev",
)
EDITABLE = ("status", "progress", "note")


@dataclass(slots=True)
class LedgerRow:
    """One ledger row: the cells by ``COLUMNS`` key, and the task they show."""

    cells: dict[str, str | int]
    task: Task


def headers(lang: str) -> list[str]:
    """Column titles in ``lang``: 序号, uid, 行动, 任务, … 备注."""
    return [i18n.t(f"ledger.col.{c}", lang) for c in COLUMNS]


def progress_cell(progress: float | None, target: float | None, unit: str | None) -> str:
    """``57/119 个行政村`` for a quantitative task, ``57`` or empty otherwise."""
    p = number(progress)
    if target is None:
        return "" if p is None else str(p)
    text = f"{p or 0}/{number(target)}"
    return f"{text} {unit}" if unit else text


def note_cell(task: Task, notes: dict[int, str]) -> str:
    """备注: the blocked reason of a blocked task, else its latest note."""
    if task.status == Status.BLOCKED and task.blocked_reason:
        return task.blocked_reason
    return notes.get(task.id, "")


def ledger_rows(db: Store, flt: TaskFilter, today: date, lang: str) -> list[LedgerRow]:
    """The ledger's rows, filtered like ``list``."""
    tasks = query_tasks(db, flt, today)
    names = unit_names(db)
    notes = latest_notes(db, [t.id for t in tasks])
    out: list[LedgerRow] = []
    for t in tasks:
        postponed = int(t.postponed or 0)
        cells: dict[str, str | int] = {
            "seq": t.id,  # 序号: the id people type on the command line (`tracker done 52`)
            "uid": t.uid,
            "campaign": t.campaign_name or t.campaign,
            "title": t.title,
            "owner": t.owner_name or t.owner,
            "support": "、".join(names.get((t.plan, s), s) for s in t.support),
            "leader": t.leader or "",
            "due": t.due,
            "status": i18n.status_label(t.status, lang),
            "progress": progress_cell(t.progress, t.target, t.unit),
            "postponed": i18n.t("ledger.postponed", lang, n=postponed, date=t.planned_due)
            if postponed
            else "",
            "note": note_cell(t, notes),
            "rev": t.rev,
        }
        out.append(LedgerRow(cells, t))
    return out


def _csv(rows: list[LedgerRow], lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers(lang))
    for r in rows:
        w.writerow([csv_cell(r.cells[c]) for c in COLUMNS])  # a formula-like text behind '
    return buf.getvalue()


def _json(rows: list[LedgerRow], today: date) -> str:
    """Each row: the task object of ``list --json`` (cli.md keys), plus the ledger's ``seq``,
    ``support_names`` (display names), ``note`` (the latest note, as in the 备注 column) and
    ``rev`` (the task's revision)."""
    items = []
    for r in rows:
        obj: dict[str, Any] = {"seq": r.cells["seq"]}
        obj.update(task_json(r.task, today))
        obj["support_names"] = r.cells["support"]
        obj["note"] = r.cells["note"]
        obj["rev"] = r.task.rev
        items.append(obj)
    return dumps(items) + "\n"


def _xlsx(rows: list[LedgerRow], lang: str, title: str) -> bytes:
    """The workbook, written streaming (openpyxl's write-only mode: a row at a time), set up
    to print: the title in the page header, the column header repeated on every page,
    landscape A4 fitted to the page's width, deadlines as real dates, a status dropdown. Row 1
    stays the column header, as every program reading the ledger expects."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from tracker.report.render_xlsx import text_width

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(i18n.t("ledger.sheet", lang))
    heads = headers(lang)
    widths = [text_width(h) for h in heads]
    for r in rows:
        for i, c in enumerate(COLUMNS):
            widths[i] = max(widths[i], text_width(str(r.cells[c])))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(40, w + 2)
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _print_setup(ws, len(rows), lang)
    ws.oddHeader.center.text = title.replace("&", "&&")  # "&" starts a header code
    ws.oddHeader.center.size = 12
    ws.oddFooter.center.text = "&P / &N"
    head_cells = []
    for h in heads:
        cell = put(WriteOnlyCell(ws), h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
        cell.alignment = Alignment(horizontal="center")
        head_cells.append(cell)
    ws.append(head_cells)
    for r in rows:
        ws.append([_cell(ws, c, r.cells[c], WriteOnlyCell) for c in COLUMNS])  # no formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Any, column: str, value: str | int, make: Any) -> Any:
    """A data cell: the deadline as an Excel date (sortable, printable as a date), the id as a
    number, everything else as the text it is (``put``: never a formula)."""
    if column == "due" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            cell = make(ws, value=date.fromisoformat(value))
            cell.number_format = "yyyy-mm-dd"
            return cell
    return put(make(ws), value)


def _print_setup(ws: Any, n_rows: int, lang: str) -> None:
    """Landscape A4, fitted to one page wide, the title and header rows on every page, and a
    dropdown of the statuses a person may set in the 状态 column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    choices = ",".join(i18n.status_label(s, lang) for s in SETTABLE)
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    col = get_column_letter(COLUMNS.index("status") + 1)
    dv.add(f"{col}2:{col}{max(2, n_rows + 1)}")
    ws.data_validations.append(dv)


def export_ledger(db: Store, flt: TaskFilter, today: date, lang: str, fmt: str) -> str | bytes:
    """The ledger in ``fmt`` (csv | xlsx | json): text, or bytes for xlsx."""
    rows = ledger_rows(db, flt, today, lang)
    if fmt == "json":
        return _json(rows, today)
    if fmt == "xlsx":
        titles = "、".join(
            dict.fromkeys(p.title for p in plans(db) if p.id in {r.task.plan for r in rows})
        )
        title = i18n.t(
            "ledger.title", lang, plan=titles or "tracker", date=today.isoformat(), n=len(rows)
        )
        return _xlsx(rows, lang, title)
    return _csv(rows, lang)
