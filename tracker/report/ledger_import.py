"""Reading an edited ledger (台账) back: status, progress and note, all rows or none.

Staff export the ledger, edit the 状态, 进度 and 备注 columns offline and hand it back. Every
row is validated first and every problem reported as ``FILE:ROW: message``; only a ledger
without errors is applied, in one transaction, as one batch of ``import`` events under the
acting user (so ``tracker undo`` reverts the whole import). A row whose editable cells read
the same as the database is not touched; the other columns are for reading and are ignored.

What an edited row means:

- 状态: any of 未开始/进行中/已完成/已销号/受阻 (or the English labels or the keys); entering
  done or verified stamps ``done_at`` now, leaving them clears it; blocked needs its reason in
  备注. A withdrawn task cannot be changed, and no task can be withdrawn here.
- 进度: a number, 0 or more; ``57/119 个行政村`` reads as 57. Reaching the target makes the
  task done, as ``tracker progress`` does; progress on a todo task makes it doing.
- 备注: a changed, non-empty note is recorded as a note. Clearing the cell deletes nothing.

The rules are the commands' (``tracker.domain.rules.apply_edit``): a status move no command
makes (todo → verified, done → todo) is an error on its row. The changes are computed first and
written by the store (``actions.apply_changes``), which refuses the whole import when a task
changed in between. The database is compared with the ledger at import time: a row left as
exported but changed in the database since (by someone else) *does* differ, and would be set
back. Export again just before editing; ``--dry-run`` shows every change first.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import i18n
from tracker.context import Context
from tracker.domain import STATUSES, State, Status, Task
from tracker.domain.rules import apply_edit
from tracker.domain.status import SETTABLE
from tracker.errors import BadInput, TrackerError
from tracker.report.ledger import COLUMNS, note_cell, progress_cell
from tracker.store.actions import StateChange, apply_changes
from tracker.store.db import Store
from tracker.store.query import latest_notes, number, tasks_by_uid

EDITABLE_REQUIRED = ("status", "progress", "note")
NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:/.*)?$")


@dataclass(slots=True)
class LedgerError:
    file: str
    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    refusal: TrackerError | None = None  # a rule's refusal, rendered as the rule renders it

    def render(self, lang: str) -> str:
        text = self.refusal.render(lang) if self.refusal else i18n.t(self.key, lang, **self.params)
        return f"{self.file}:{self.line}: {text}"


class LedgerErrors(BadInput):
    """Every problem found in a ledger (exit 2); nothing was changed."""

    def __init__(self, errors: list[LedgerError]) -> None:
        self.errors = errors
        super().__init__("ledger.errors", count=len(errors))

    def render(self, lang: str) -> str:
        lines = [e.render(lang) for e in self.errors]
        lines.append(i18n.t("ledger.errors", lang, count=len(self.errors)))
        return "\n".join(lines)


@dataclass(slots=True)
class Change:
    line: int
    task_id: int
    uid: str
    before: State
    after: State
    note: str | None

    def describe(self, lang: str) -> str:
        parts = []
        if self.before.status != self.after.status:
            parts.append(
                i18n.t(
                    "ledger.change.status",
                    lang,
                    old=i18n.status_label(self.before.status, lang),
                    new=i18n.status_label(self.after.status, lang),
                )
            )
        if self.before.progress != self.after.progress:
            old, new = number(self.before.progress), number(self.after.progress)
            parts.append(i18n.t("ledger.change.progress", lang, old=old, new=new))
        if self.note:
            parts.append(i18n.t("ledger.change.note", lang, new=self.note))
        return i18n.t("ledger.change", lang, uid=self.uid, changes="; ".join(parts))


@dataclass(slots=True)
class ImportResult:
    rows: int
    changes: list[Change]
    dry_run: bool

    def lines(self, lang: str) -> list[str]:
        out = [c.describe(lang) for c in self.changes]
        summary = i18n.t(
            "ledger.summary",
            lang,
            rows=self.rows,
            changed=len(self.changes),
            unchanged=self.rows - len(self.changes),
        )
        if self.dry_run:
            summary += " " + i18n.t("ledger.dry_run", lang)
        return [*out, summary]


def _header_map() -> dict[str, str]:
    """Every accepted column title (either language, or the English key) → column key."""
    out: dict[str, str] = {}
    for c in COLUMNS:
        out[c] = c
        for lang in ("zh", "en"):
            out[i18n.t(f"ledger.col.{c}", lang).strip().lower()] = c
    return out


def _status_map() -> dict[str, Status]:
    out: dict[str, Status] = {}
    for s in STATUSES:
        out[s] = s
        for lang in ("zh", "en"):
            out[i18n.status_label(s, lang).strip().lower()] = s
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """``(line or row number, cells)`` of every row of a CSV or xlsx ledger, header included."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            out: list[tuple[int, list[str]]] = []
            with path.open(encoding="utf-8-sig", newline="") as f:
                reader = csv.reader(f)
                start = 1
                for cells in reader:
                    out.append((start, [_cell(c) for c in cells]))
                    start = reader.line_num + 1
            return out
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                return [
                    (n, [_cell(c) for c in row])
                    for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
                ]
            finally:
                wb.close()
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise BadInput("ledger.unreadable", path=str(path), reason=str(e)) from e
    except Exception as e:  # openpyxl raises many kinds for a corrupt file
        if suffix in (".xlsx", ".xlsm"):
            raise BadInput("ledger.unreadable", path=str(path), reason=str(e)) from e
        raise
    raise BadInput("ledger.bad_format", path=str(path))


def _parse_progress(text: str) -> float | None:
    m = NUMBER.match(text)
    if not m:
        raise ValueError(text)
    value = float(m.group(1))
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _columns(name: str, body: list[tuple[int, list[str]]]) -> dict[str, int] | list[LedgerError]:
    """Column positions by key from the header row, or the error naming what is missing."""
    head_line, head = body[0]
    known = _header_map()
    cols: dict[str, int] = {}
    for i, title in enumerate(head):
        key = known.get(title.strip().lower())
        if key and key not in cols:
            cols[key] = i
    missing = [c for c in ("uid", *EDITABLE_REQUIRED) if c not in cols]
    if missing:
        names = ", ".join(
            dict.fromkeys(i18n.t(f"ledger.col.{c}", lang) for c in missing for lang in ("zh", "en"))
        )
        return [LedgerError(name, head_line, "ledger.missing_columns", {"columns": names})]
    return cols


@dataclass(slots=True)
class _Reader:
    """What every row is checked against: the columns, the tasks and their latest notes."""

    name: str
    cols: dict[str, int]
    tasks: dict[str, Task]
    notes: dict[int, str]
    statuses: dict[str, Status]
    now: str

    def get(self, cells: list[str], key: str) -> str:
        i = self.cols.get(key)
        if i is None:
            return ""
        return cells[i] if i < len(cells) else ""

    def row(self, line: int, cells: list[str]) -> Change | LedgerError | None:
        """The change a row asks for, its error, or ``None`` when it asks for nothing."""

        def err(key: str, **params: Any) -> LedgerError:
            return LedgerError(self.name, line, key, params)

        uid = self.get(cells, "uid")
        task = self.tasks[uid]
        before = task.state
        status_text = self.get(cells, "status").strip()
        new_status = self.statuses.get(status_text.lower()) if status_text else before.status
        if new_status is None:
            return err("ledger.bad_status", value=status_text)
        prog_text = self.get(cells, "progress")
        same_prog = prog_text == progress_cell(task.progress, task.target, task.unit)
        try:
            new_prog = before.progress if same_prog or not prog_text else _parse_progress(prog_text)
        except ValueError:
            return err("ledger.bad_progress", value=prog_text)
        if new_prog is not None and before.progress is None and new_prog == 0:
            new_prog = None  # "0/119" for a task never measured: unchanged
        note_text = self.get(cells, "note").strip()
        new_note = note_text if note_text and note_text != note_cell(task, self.notes) else None
        if new_status == before.status and new_prog == before.progress and new_note is None:
            return None
        if before.status == Status.WITHDRAWN:
            return err("ledger.withdrawn", uid=uid)
        if new_status not in SETTABLE:
            return err("ledger.to_withdrawn", uid=uid)
        try:
            after = apply_edit(
                task.id, before, task.target, status=new_status, progress=new_prog,
                reason=note_text or None, now=self.now,
            )  # fmt: skip
        except TrackerError as e:
            return LedgerError(self.name, line, e.key, dict(e.params), refusal=e)
        newly_blocked = after.status == Status.BLOCKED and before.status != Status.BLOCKED
        note = note_text if newly_blocked else new_note
        return Change(line, task.id, uid, before, after, note)


def plan_changes(
    db: Store, path: Path, rows: list[tuple[int, list[str]]], now: str
) -> list[Change] | list[LedgerError]:
    """Validate every row; the changes to make, or every error found."""
    name = str(path)
    body = [(n, cells) for n, cells in rows if any(cells)]
    if not body:
        return [LedgerError(name, 1, "ledger.empty")]
    cols = _columns(name, body)
    if isinstance(cols, list):
        return cols
    data = body[1:]
    reader = _Reader(name, cols, {}, {}, _status_map(), now)
    reader.tasks = tasks_by_uid(db, [reader.get(c, "uid") for _, c in data])
    reader.notes = latest_notes(db, [t.id for t in reader.tasks.values()])
    errors: list[LedgerError] = []
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for line, cells in data:
        uid = reader.get(cells, "uid")
        if not uid:
            errors.append(LedgerError(name, line, "ledger.no_uid"))
            continue
        if uid in seen:
            errors.append(
                LedgerError(name, line, "ledger.duplicate_uid", {"uid": uid, "first": seen[uid]})
            )
            continue
        seen[uid] = line
        if uid not in reader.tasks:
            errors.append(LedgerError(name, line, "ledger.unknown_uid", {"uid": uid}))
            continue
        found = reader.row(line, cells)
        if isinstance(found, LedgerError):
            errors.append(found)
        elif found is not None:
            changes.append(found)
    return errors or changes


def import_ledger(db: Store, ctx: Context, path: Path, *, dry_run: bool) -> ImportResult:
    """Validate ``path`` and apply it (unless ``dry_run``): every change or none."""
    if not path.is_file():
        raise BadInput("ledger.unreadable", path=str(path), reason="no such file")
    rows = read_rows(path)
    now = ctx.now().isoformat(timespec="seconds")
    n_rows = sum(1 for _, cells in rows[1:] if any(cells))
    found = plan_changes(db, path, rows, now)
    if found and isinstance(found[0], LedgerError):
        raise LedgerErrors([e for e in found if isinstance(e, LedgerError)])
    changes = [c for c in found if isinstance(c, Change)]
    if not dry_run and changes:
        apply_changes(db, ctx, [StateChange(c.task_id, c.before, c.after, c.note) for c in changes])
    return ImportResult(n_rows, changes, dry_run)
