"""Reading an edited ledger (台账) back: only what the person edited, all rows or none.

Staff export the ledger, edit the 状态, 进度 and 备注 columns offline and hand it back. Every
row carries the task's ``rev`` at export time; what each cell said then is recomputed from the
event log (``store.revisions``), so a cell is *edited* when the ledger differs from that, and
only edited cells are applied: an unedited ledger imported a month later changes nothing, and
a stale ledger never undoes a colleague's work (cli-v2.md, the ledger round trip).

An edited cell whose field has changed in the database since the export is a **conflict**:
the whole import is refused (exit 1), one line per conflict. An edited cell the database
already agrees with is no change. Every row is validated first and every problem reported as
``FILE:ROW: message`` (exit 2); only a ledger without errors or conflicts is applied, in one
transaction, as one batch of ``import`` events under the acting user (so ``tracker undo``
reverts the whole import).

What an edited row means:

- 状态: any of 未开始/进行中/已完成/已销号/受阻 (or the English labels or the keys); the move
  must be one a command makes (``tracker.domain.rules.apply_edit``): todo → verified is
  refused here as ``tracker verify`` refuses it. Blocked needs its reason in 备注.
- 进度: a number from 0 to 10^15; ``57/119 个行政村`` reads as 57. Reaching the target makes
  the task done, as ``tracker progress`` does; progress on a todo task makes it doing.
- 备注: a changed, non-empty note is recorded as a note. Clearing the cell deletes nothing.
- 任务 and 完成时限 are not editable: a changed title or deadline is an error naming the column.

A ledger without the ``rev`` column (hand-made, or from version 1) is refused unless
``force``: then every cell that differs from the database now is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker import i18n
from tracker.context import Context
from tracker.errors import BadInput
from tracker.report.ledger_read import read_rows
from tracker.report.ledger_rows import (
    Change,
    Conflict,
    LedgerError,
    RowReader,
    columns,
    header_index,
    status_map,
)
from tracker.store.actions import StateChange, apply_changes
from tracker.store.db import Store
from tracker.store.query import latest_notes, tasks_by_uid

__all__ = [
    "Change",
    "Conflict",
    "ImportResult",
    "LedgerConflicts",
    "LedgerError",
    "LedgerErrors",
    "import_ledger",
    "plan_changes",
    "read_rows",
]


class LedgerErrors(BadInput):
    """Every problem found in a ledger (exit 2); nothing was changed."""

    def __init__(self, errors: list[LedgerError], conflicts: list[Conflict] | None = None) -> None:
        self.errors = errors
        self.conflicts = conflicts or []
        super().__init__("ledger.errors", count=len(errors))

    def render(self, lang: str) -> str:
        lines = [e.render(lang) for e in self.errors]
        lines += [c.render(lang) for c in self.conflicts]
        lines.append(i18n.t("ledger.errors", lang, count=len(self.errors)))
        return "\n".join(lines)


class LedgerConflicts(BadInput):
    """Edited cells whose fields others changed since the export (exit 1); nothing written."""

    exit_code = 1

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__("ledger.conflicts", count=len(conflicts))

    def render(self, lang: str) -> str:
        lines = [c.render(lang) for c in self.conflicts]
        lines.append(i18n.t("ledger.conflicts", lang, count=len(self.conflicts)))
        return "\n".join(lines)


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


@dataclass(slots=True)
class Planned:
    """What a ledger asks for: the changes, or the errors and conflicts that stop it."""

    changes: list[Change]
    errors: list[LedgerError]
    conflicts: list[Conflict]


def plan_changes(
    db: Store, path: Path, rows: list[tuple[int, list[str]]], now: str, *, force: bool = False
) -> Planned:
    """Validate every row against the database; the changes to make, or what stops them."""
    name = str(path)
    body = [(n, cells) for n, cells in rows if any(cells)]
    if not body:
        return Planned([], [LedgerError(name, 1, "ledger.empty")], [])
    body = body[header_index(body) :]  # the printed ledger has a title row above its header
    cols = columns(name, body, force=force)
    if isinstance(cols, list):
        return Planned([], cols, [])
    data = body[1:]
    reader = RowReader(db, name, cols, {}, {}, status_map(), now, force)
    reader.tasks = tasks_by_uid(db, [reader.get(c, "uid") for _, c in data])
    reader.notes = latest_notes(db, [t.id for t in reader.tasks.values()])
    out = Planned([], [], [])
    seen: dict[str, int] = {}
    for line, cells in data:
        uid = reader.get(cells, "uid")
        if not uid:
            out.errors.append(LedgerError(name, line, "ledger.no_uid"))
            continue
        if uid in seen:
            out.errors.append(
                LedgerError(name, line, "ledger.duplicate_uid", {"uid": uid, "first": seen[uid]})
            )
            continue
        seen[uid] = line
        if uid not in reader.tasks:
            out.errors.append(LedgerError(name, line, "ledger.unknown_uid", {"uid": uid}))
            continue
        found = reader.row(line, cells)
        if isinstance(found, LedgerError):
            out.errors.append(found)
        elif isinstance(found, list):
            out.conflicts.extend(found)
        elif found is not None:
            out.changes.append(found)
    return out


def import_ledger(
    db: Store, ctx: Context, path: Path, *, dry_run: bool, force: bool = False
) -> ImportResult:
    """Validate ``path`` and apply it (unless ``dry_run``): every change or none."""
    rows = read_rows(path)
    now = ctx.now().isoformat(timespec="seconds")
    n_rows = sum(1 for _, cells in rows[1:] if any(cells))
    with db.reading():  # one consistent snapshot for every row's comparison
        planned = plan_changes(db, path, rows, now, force=force)
    if planned.errors:
        raise LedgerErrors(planned.errors, planned.conflicts)
    if planned.conflicts:
        raise LedgerConflicts(planned.conflicts)
    changes = planned.changes
    if not dry_run and changes:
        apply_changes(db, ctx, [StateChange(c.task_id, c.before, c.after, c.note) for c in changes])
    return ImportResult(n_rows, changes, dry_run)
