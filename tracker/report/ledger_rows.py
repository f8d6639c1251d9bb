"""One ledger row against its task: which cells the person edited, and what that asks for.

Three values meet for every editable field (状态, 进度, 备注): what the row said when it was
exported (the task at the row's ``rev``, ``store.revisions``), what the ledger says now, and
what the database holds now. Unedited (ledger = exported): nothing. Edited and the database
agrees with the ledger already: nothing. Edited and the field unchanged since the export:
applied, by the commands' rules. Edited and the field changed since: a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker import i18n
from tracker.domain import STATUSES, State, Status, Task
from tracker.domain.bounds import quantity_ok
from tracker.domain.rules import apply_edit
from tracker.domain.status import NEEDS_REASON, SETTABLE
from tracker.errors import TrackerError
from tracker.present import number_text
from tracker.present.safe import sheet_text
from tracker.report.ledger import COLUMNS
from tracker.store.db import Store
from tracker.store.query import number
from tracker.store.revisions import Revision, at_rev, changed_by, note_text

EDITABLE_REQUIRED = ("status", "progress", "note")
NUMBER = re.compile(r"^\s*([+-]?\d{1,16}(?:\.\d{1,12})?)\s*(?:/.*)?$", re.S)


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


@dataclass(slots=True)
class Conflict:
    """An edited cell whose field someone changed in the database since the export."""

    file: str
    line: int
    uid: str
    field: str
    person: str
    exported: Any
    now: Any
    ledger: Any

    def render(self, lang: str) -> str:
        name = self.field if lang == "en" else i18n.t(f"ledger.col.{self.field}", lang)
        a, b, c = (self._show(v, lang) for v in (self.exported, self.now, self.ledger))
        text = i18n.t(
            "ledger.conflict", lang, uid=self.uid, field=name, person=self.person,
            exported=a, now=b, ledger=c,
        )  # fmt: skip
        return f"{self.file}:{self.line}: {text}"

    def _show(self, value: Any, lang: str) -> str:
        if self.field == "status":
            return i18n.status_label(str(value), lang) if value else ""
        if self.field == "progress":
            return number_text(value) or "0"
        return f"“{value or ''}”"


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


def header_map() -> dict[str, str]:
    """Every accepted column title (either language, or the English key) → column key."""
    out: dict[str, str] = {}
    for c in COLUMNS:
        out[c] = c
        for lang in ("zh", "en"):
            out[i18n.t(f"ledger.col.{c}", lang).strip().lower()] = c
    return out


def status_map() -> dict[str, Status]:
    out: dict[str, Status] = {}
    for s in STATUSES:
        out[s] = s
        for lang in ("zh", "en"):
            out[i18n.status_label(s, lang).strip().lower()] = s
    return out


def header_index(body: list[tuple[int, list[str]]]) -> int:
    """Which of the first rows is the header (the one naming the uid column); else the first."""
    known = header_map()
    for i, (_, cells) in enumerate(body[:5]):
        if any(known.get(c.strip().lower()) == "uid" for c in cells):
            return i
    return 0


def columns(
    name: str, body: list[tuple[int, list[str]]], *, force: bool
) -> dict[str, int] | list[LedgerError]:
    """Column positions by key from the header row, or the error naming what is missing."""
    head_line, head = body[0]
    known = header_map()
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
    if "rev" not in cols and not force:
        return [LedgerError(name, head_line, "ledger.no_rev")]
    return cols


def parse_progress(text: str) -> float:
    """A progress cell as a number (``57/119 个行政村`` → 57); ``ValueError`` otherwise."""
    m = NUMBER.match(text)
    if not m:
        raise ValueError(text)
    value = float(m.group(1))
    if not quantity_ok(value):
        raise ValueError(text)
    return value


def parse_day(text: str) -> date | None:
    """A deadline cell as Excel may have rewritten it (2020-04-15, 2020/4/15, with a time)."""
    t = text.strip().replace("/", "-").split(" ")[0].split("T")[0]
    try:
        return datetime.strptime(t, "%Y-%m-%d").date()
    except ValueError:
        return None


def _same_progress(a: float | None, b: float | None) -> bool:
    return (a or 0.0) == (b or 0.0)


def _same_text(cell: str | None, value: str) -> bool:
    """Whether a cell reads as ``value`` was exported: as it is, or as an xlsx cell holds it
    (a control character XML cannot carry written as its escape)."""
    if cell is None:
        return False
    return cell == value.strip() or cell == sheet_text(value).strip()


@dataclass(slots=True)
class _Cells:
    """A row's editable cells as values: ``None`` where a cell is left empty (no edit)."""

    status: Status | None
    progress: float | None
    note: str | None


@dataclass(slots=True)
class RowReader:
    """What every row is checked against: the columns, the tasks and their latest notes."""

    db: Store
    name: str
    cols: dict[str, int]
    tasks: dict[str, Task]
    notes: dict[int, str]
    statuses: dict[str, Status]
    now: str
    force: bool

    def get(self, cells: list[str], key: str) -> str:
        i = self.cols.get(key)
        if i is None:
            return ""
        return cells[i] if i < len(cells) else ""

    def _cells(self, line: int, cells: list[str]) -> _Cells | LedgerError:
        status_text = self.get(cells, "status").strip()
        status = self.statuses.get(status_text.lower()) if status_text else None
        if status_text and status is None:
            return LedgerError(self.name, line, "ledger.bad_status", {"value": status_text[:80]})
        prog_text = self.get(cells, "progress").strip()
        try:
            progress = parse_progress(prog_text) if prog_text else None
        except ValueError:
            return LedgerError(self.name, line, "ledger.bad_progress", {"value": prog_text[:80]})
        note = self.get(cells, "note").strip() or None
        return _Cells(status, progress, note)

    def _exported(self, line: int, cells: list[str], task: Task) -> Revision | LedgerError:
        """The row as it was exported: the task at the row's ``rev`` (``force``: as now)."""
        now = Revision(task.state, note_text(task.state, self.notes.get(task.id, "")), task.rev)
        if self.force:
            return now
        text = self.get(cells, "rev").strip()
        if not text.isdigit() or len(text) > 12 or int(text) > task.rev:
            return LedgerError(self.name, line, "ledger.bad_rev", {"value": text[:20]})
        rev = int(text)
        return now if rev == task.rev else at_rev(self.db, task, rev)

    def _read_only(
        self, line: int, cells: list[str], task: Task, was: Revision
    ) -> LedgerError | None:
        """A changed title or deadline: an error naming the column (they are the plan's)."""
        title = self.get(cells, "title").strip()
        if title and not _same_text(title, task.title):
            return self._not_editable(line, "title")
        due = self.get(cells, "due").strip()
        if due:
            day = parse_day(due)
            if day is None or day.isoformat() not in (task.due, was.state.due):
                return self._not_editable(line, "due")
        return None

    def _not_editable(self, line: int, column: str) -> LedgerError:
        names = " / ".join(i18n.t(f"ledger.col.{column}", lang) for lang in ("zh", "en"))
        return LedgerError(self.name, line, "ledger.not_editable", {"column": names})

    def row(self, line: int, cells: list[str]) -> Change | LedgerError | list[Conflict] | None:
        """The change a row asks for, its error, its conflicts, or ``None`` (nothing)."""
        uid = self.get(cells, "uid")
        task = self.tasks[uid]
        ledger = self._cells(line, cells)
        if isinstance(ledger, LedgerError):
            return ledger
        was = self._exported(line, cells, task)
        if isinstance(was, LedgerError):
            return was
        bad = self._read_only(line, cells, task, was)
        if bad is not None:
            return bad
        before = task.state
        now_note = note_text(before, self.notes.get(task.id, ""))
        edited = {
            "status": ledger.status is not None and ledger.status != was.state.status,
            "progress": ledger.progress is not None
            and not _same_progress(ledger.progress, was.state.progress),
            "note": ledger.note is not None and not _same_text(ledger.note, was.note),
        }
        if not any(edited.values()):
            return None
        if before.status == Status.WITHDRAWN:
            return LedgerError(self.name, line, "ledger.withdrawn", {"uid": uid})
        same_now = {
            "status": ledger.status == before.status,
            "progress": _same_progress(ledger.progress, before.progress),
            "note": _same_text(ledger.note, now_note),
        }
        unchanged = {
            "status": was.state.status == before.status,
            "progress": _same_progress(was.state.progress, before.progress),
            "note": was.note == now_note,
        }
        conflicts = [
            self._conflict(line, task, f, was, ledger, now_note)
            for f in ("status", "progress", "note")
            if edited[f] and not same_now[f] and not unchanged[f]
        ]
        if conflicts:
            return conflicts
        apply = {f: edited[f] and not same_now[f] for f in edited}
        return self._change(line, task, ledger, apply)

    def _change(
        self, line: int, task: Task, ledger: _Cells, apply: dict[str, bool]
    ) -> Change | LedgerError | None:
        before = task.state
        new_status = ledger.status if apply["status"] and ledger.status else before.status
        new_prog = ledger.progress if apply["progress"] else before.progress
        new_note = ledger.note if apply["note"] else None
        if new_status == before.status and new_prog == before.progress and new_note is None:
            return None
        if new_status not in SETTABLE:
            return LedgerError(self.name, line, "ledger.to_withdrawn", {"uid": task.uid})
        reason = ledger.note if new_status in NEEDS_REASON else new_note
        try:
            after = apply_edit(
                task.id, before, task.target, status=new_status, progress=new_prog,
                reason=reason, now=self.now,
            )  # fmt: skip
        except TrackerError as e:
            return LedgerError(self.name, line, e.key, dict(e.params), refusal=e)
        newly_reasoned = after.status in NEEDS_REASON and before.status != after.status
        note = ledger.note if newly_reasoned else new_note
        return Change(line, task.id, task.uid, before, after, note)

    def _conflict(
        self, line: int, task: Task, f: str, was: Revision, ledger: _Cells, now_note: str
    ) -> Conflict:
        values = {
            "status": (was.state.status, task.status, ledger.status),
            "progress": (was.state.progress, task.progress, ledger.progress),
            "note": (was.note, now_note, ledger.note),
        }[f]
        person = changed_by(self.db, task.id, was.rev, f) or "?"
        return Conflict(self.name, line, task.uid, f, person, *values)
