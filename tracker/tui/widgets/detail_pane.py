"""Every field of the task under the cursor, its supporting units, notes and full history.

The pane is what staff read before acting (who else is involved, why it was postponed,
who changed it last), so it shows the raw history rather than a summary.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker import i18n
from tracker.domain import OPEN, Event, Task
from tracker.present import bar, number_text, percent, progress_text, relative_due, state_changes
from tracker.present.safe import markup as escape
from tracker.present.wrap import wrap
from tracker.tui.data import TaskDetail


class DetailPane(VerticalScroll):
    """A scrollable read-only view of one ``TaskDetail``."""

    def __init__(self, lang: str, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.today = today
        self.task_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(i18n.t("tui.detail.none", self.lang), id="detail-body")

    def clear(self) -> None:
        """No task under the cursor."""
        self.task_id = None
        self.query_one("#detail-body", Static).update(i18n.t("tui.detail.none", self.lang))

    def show(self, detail: TaskDetail) -> None:
        """Render ``detail`` (called on the UI thread with data a worker fetched)."""
        self.task_id = detail.task.id
        self.query_one("#detail-body", Static).update(self._markup(detail))

    def _broken(self, text: str) -> str:
        """``text`` as markup, broken by Chinese rules at the pane's width (Textual's own
        wrapping would start a line with ``）``); one line while the pane has no width yet."""
        width = self.query_one("#detail-body", Static).content_size.width
        lines = wrap(text, width) if width > 0 else [text]
        return "\n".join(escape(line) for line in lines)

    def _markup(self, d: TaskDetail) -> str:
        t, task = self.lang, d.task

        def field(key: str, value: object) -> str:
            shown = "—" if value in (None, "", []) else escape(str(value))
            return f"[b]{i18n.t(key, t)}[/b] {shown}"

        status = i18n.status_label(task.status, t)
        if task.is_overdue(self.today.isoformat()):
            status = f"[red]{status} · {self._relative(task)}[/red]"
        due = task.due
        if task.postponed:
            due += " " + i18n.t(
                "tui.detail.postponed", t, planned=task.planned_due, n=task.postponed
            )
        lines = [
            f"[b]{self._broken(task.title)}[/b]",
            f"[dim]#{task.id} {escape(task.uid)}[/dim]",
            f"[b]{i18n.t('tui.detail.status', t)}[/b] {status}",
            field("tui.detail.campaign", task.campaign_name or task.campaign),
            field("tui.detail.owner", task.owner_name or task.owner),
            field("tui.detail.support", "、".join(d.support_names)),
            field("tui.detail.leader", task.leader),
            field("tui.detail.responsible", task.responsible),
            field("tui.detail.problem", self._problem(d)),
            field("tui.detail.start", task.start),
            f"[b]{i18n.t('tui.detail.due', t)}[/b] {escape(due)} ({self._relative(task)})",
            field("tui.detail.period", task.period),
            f"[b]{i18n.t('tui.detail.progress', t)}[/b] {self._progress(task)}",
            field("tui.detail.expected", self._expected(task, d.expected)),
            field("tui.detail.priority", i18n.t(f"priority.{task.priority}", t)),
            field("tui.detail.tags", ", ".join(task.tags)),
            field("tui.detail.after", ", ".join(task.after)),
            field("tui.detail.done_at", task.done_at),
            field("tui.detail.done_by", task.done_by),
            field("tui.detail.verified_by", task.verified_by),
            field("tui.detail.request", self._request(task)),
            field("tui.detail.blocked_reason", task.blocked_reason),
            field("tui.detail.description", task.notes),
            "",
            f"[b u]{i18n.t('tui.detail.notes', t)}[/b u]",
        ]
        lines += [
            f"[dim]{n.at[:16].replace('T', ' ')} {escape(n.user)}[/dim] {escape(n.text)}"
            for n in d.notes
        ] or ["—"]
        lines += ["", f"[b u]{i18n.t('tui.detail.history', t)}[/b u]"]
        lines += [self._event(e) for e in d.history] or ["—"]
        return "\n".join(lines)

    def _relative(self, task: Task) -> str:
        due = date.fromisoformat(task.due)
        return relative_due(due, self.today, self.lang, open_task=task.status in OPEN)

    def _request(self, task: Task) -> str | None:
        req = task.postpone_request
        if req is None:
            return None
        at = req.at[:16].replace("T", " ")
        return i18n.t(
            "tui.detail.request_line", self.lang, due=req.due, by=req.by, at=at, reason=req.reason
        )

    @staticmethod
    def _problem(d: TaskDetail) -> str | None:
        key = d.task.problem
        if key is None:
            return None
        return f"{d.problem_title} ({key})" if d.problem_title else key

    def _expected(self, task: Task, value: float | None) -> str | None:
        """序时进度: what should be done by today, and how far the progress is from it."""
        if value is None:
            return None
        gap = (task.progress or 0.0) - value
        return i18n.t(
            "tui.detail.expected_line", self.lang, expected=number_text(round(value, 1)),
            unit=task.unit or "", gap=f"{gap:+.1f}",
        )  # fmt: skip

    def _progress(self, task: Task) -> str:
        target, progress = task.target, task.progress
        if not target:
            return escape(number_text(progress)) or "—"
        ratio = (progress or 0) / target
        text = progress_text(progress, target, task.unit)
        filled, track = bar(ratio, 10)
        return f"[green]{filled}[/green][dim]{track}[/dim] {escape(text)} ({percent(ratio)})"

    def _event(self, e: Event) -> str:
        t = self.lang
        when = e.at[:16].replace("T", " ")
        verb = i18n.t(f"tui.action.{e.action}", t)
        change = [f"{old}→{new}" for _, old, new in state_changes(e.before, e.after, t)]
        text = f"[dim]{when}[/dim] {escape(e.user)} [b]{verb}[/b] {escape(' '.join(change))}"
        if e.note:
            text += f" “{escape(e.note)}”"
        if e.undone_by:
            text = f"[strike]{text}[/strike] [dim]{i18n.t('tui.detail.undone', t)}[/dim]"
        return text
