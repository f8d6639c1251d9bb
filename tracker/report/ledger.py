"""The task ledger (台账): every instance on one row, with the columns staff expect.

``export_ledger`` writes it as CSV, xlsx or JSON, filtered like ``list``; ``ledger_import``
reads an edited CSV/xlsx back. Both sides share the column list and the way each editable
cell (状态, 进度, 备注) is written, so an unedited row reads back as unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from tracker import i18n
from tracker.jsontext import dumps
from tracker.store.db import Store
from tracker.store.query import TaskFilter, number, query_tasks, task_json

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
)
EDITABLE = ("status", "progress", "note")
# block and postpone reasons belong to the status and the 延期 column, not to 备注
NOTE_ACTIONS_EXCLUDED = ("undo", "withdraw", "restore", "block", "postpone")


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


def latest_notes(db: Store, ids: list[int]) -> dict[int, str]:
    """Each task's latest note (a note, a reason, a ``--note``), undone ones left out."""
    out: dict[int, str] = {}
    marks_x = ",".join("?" * len(NOTE_ACTIONS_EXCLUDED))
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"""SELECT e.task_id, e.note FROM events e
                JOIN (SELECT task_id, max(id) AS id FROM events
                      WHERE task_id IN ({marks}) AND note IS NOT NULL AND note != ''
                        AND undone_by IS NULL AND action NOT IN ({marks_x})
                      GROUP BY task_id) m ON m.id = e.id""",
            [*chunk, *NOTE_ACTIONS_EXCLUDED],
        )
        out.update({int(t): str(n) for t, n in rows})
    return out


def note_cell(row: dict[str, Any], notes: dict[int, str]) -> str:
    """备注: the blocked reason of a blocked task, else its latest note."""
    if row.get("status") == "blocked" and row.get("blocked_reason"):
        return str(row["blocked_reason"])
    return notes.get(int(row["id"]), "")


def ledger_rows(db: Store, flt: TaskFilter, today: date, lang: str) -> list[dict[str, Any]]:
    """The ledger's rows as dicts keyed by ``COLUMNS`` (plus a few raw fields for JSON)."""
    rows = query_tasks(db, flt, today)
    unit_names: dict[tuple[str, str], str] = {
        (p, k): n for p, k, n in db.conn.execute("SELECT plan, key, name FROM units")
    }
    notes = latest_notes(db, [int(r["id"]) for r in rows])
    out: list[dict[str, Any]] = []
    for seq, r in enumerate(rows, start=1):
        support = json.loads(r["support"] or "[]")
        postponed = int(r["postponed"] or 0)
        out.append(
            {
                "seq": seq,
                "uid": r["uid"],
                "campaign": r["campaign_name"] or r["campaign"],
                "title": r["title"],
                "owner": r["owner_name"] or r["owner"],
                "support": "、".join(unit_names.get((r["plan"], s), s) for s in support),
                "leader": r["leader"] or "",
                "due": r["due"],
                "status": i18n.status_label(r["status"], lang),
                "progress": progress_cell(r["progress"], r["target"], r["unit"]),
                "postponed": i18n.t("ledger.postponed", lang, n=postponed, date=r["planned_due"])
                if postponed
                else "",
                "note": note_cell(r, notes),
                "_row": r,
            }
        )
    return out


def _csv(rows: list[dict[str, Any]], lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers(lang))
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    return buf.getvalue()


def _json(rows: list[dict[str, Any]], today: date) -> str:
    """Each row: the task object of ``list --json`` (cli.md keys), plus the ledger's ``seq``,
    ``support_names`` (display names) and ``note`` (the latest note, as in the 备注 column)."""
    items = []
    for r in rows:
        obj: dict[str, Any] = {"seq": r["seq"]}
        obj.update(task_json(r["_row"], today))
        obj["support_names"] = r["support"]
        obj["note"] = r["note"]
        items.append(obj)
    return dumps(items) + "\n"


def _xlsx(rows: list[dict[str, Any]], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from tracker.report.render_xlsx import text_width

    wb = Workbook()
    ws = wb.active
    ws.title = i18n.t("ledger.sheet", lang)
    heads = headers(lang)
    ws.append(heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
        cell.alignment = Alignment(horizontal="center")
    widths = [text_width(h) for h in heads]
    for r in rows:
        values = [r[c] for c in COLUMNS]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = max(widths[i], text_width(str(v)))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, w + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_ledger(db: Store, flt: TaskFilter, today: date, lang: str, fmt: str) -> str | bytes:
    """The ledger in ``fmt`` (csv | xlsx | json): text, or bytes for xlsx."""
    rows = ledger_rows(db, flt, today, lang)
    if fmt == "json":
        return _json(rows, today)
    if fmt == "xlsx":
        return _xlsx(rows, lang)
    return _csv(rows, lang)
