"""The App's acting side: the staff actions, their prompts and results, the export, and
Textual's own prompts (the quit hint, the command palette) in the user's language.

A prompt stays open while its action is written: a refusal is shown in it, with what was
typed kept; only a success (or Escape) closes it. Permissions are the store's: the App only
hides what the role never allows (``may_ever``) and says why the store refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.command import CommandPalette
from textual.widgets import Static

from tracker import i18n
from tracker.context import Context
from tracker.domain.people import Person, may_ever, only_requests
from tracker.present.safe import markup
from tracker.tui.data import ActionRequest, ViewFilter
from tracker.tui.screens.palette import TrackerPalette
from tracker.tui.screens.prompt import PromptScreen
from tracker.tui.widgets.task_table import TaskTable
from tracker.tui.workers import StoreWorkers

#: Actions that ask for words first: action -> the i18n keys of the prompt's fields.
PROMPTS: dict[str, list[str]] = {
    "block": ["tui.prompt.reason"],
    "progress": ["tui.prompt.value"],
    "postpone": ["tui.prompt.date", "tui.prompt.reason"],
    "note": ["tui.prompt.text"],
    "approve": ["tui.prompt.note_optional"],
    "reject": ["tui.prompt.reason"],
    "waive": ["tui.prompt.reason"],
}


class ActingApp(StoreWorkers):
    """Actions, prompts and the export; ``TrackerApp`` adds the list, filters and panes."""

    # made by TrackerApp.__init__
    table: TaskTable
    status_line: Static
    person: Person | None
    flt: ViewFilter
    total: int | None
    events_read: int

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.prompt: PromptScreen | None = None  # the open form, until its action is written
        self._answer: Callable[[list[str]], None] | None = None
        self._asked: ActionRequest | None = None  # the action the open form started
        self._replace: Path | None = None  # an existing export file the user confirmed

    def _data_changed(self) -> None:
        raise NotImplementedError

    def say(self, text: str, *, error: bool = False) -> None:
        """The one-line status message under the filter bar."""
        self.status_line.set_class(error, "error")
        self.status_line.update(markup(text))  # a refusal may quote a title or a note

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the actions the acting person's role allows: in the footer, the help screen
        and the command palette (the store still checks each task's scope)."""
        if action == "act" and parameters:
            return may_ever(self.person, str(parameters[0]))
        return True

    # -- prompts ---------------------------------------------------------------------------

    def ask(
        self, title: str, fields: list[tuple[str, str]], answer: Callable[[list[str]], None]
    ) -> None:
        """Open a form; ``answer`` gets its values each time they are submitted."""
        screen = PromptScreen(title, fields, self.ctx.lang)

        def closed(_: None) -> None:
            self.prompt = self._answer = self._asked = None
            self.table.focus()

        self.prompt, self._answer = screen, answer
        self.push_screen(screen, closed)

    @on(PromptScreen.Answered)
    def _answered(self, message: PromptScreen.Answered) -> None:
        if message.prompt is self.prompt and self._answer is not None:
            self._answer(message.values)

    def _close_prompt(self) -> None:
        if self.prompt is not None and self.screen is self.prompt:
            self.prompt.dismiss(None)

    # -- actions ---------------------------------------------------------------------------

    def action_act(self, action: str) -> None:
        """Start an action on the selection (or the row under the cursor)."""
        lang = self.ctx.lang
        if action == "undo":
            self.perform(ActionRequest("undo"))
            return
        ids = tuple(self.table.target_ids())
        if not ids:
            self.say(i18n.t("tui.msg.no_task", lang), error=True)
            return
        if action not in PROMPTS:
            self.perform(ActionRequest(action, ids))
            return
        title = i18n.t(f"tui.prompt.{action}", lang, n=len(ids))
        initial = {"tui.prompt.date": self._default_postpone()}
        fields = [(i18n.t(k, lang), initial.get(k, "")) for k in PROMPTS[action]]

        def answered(values: list[str]) -> None:
            if action == "postpone":
                request = ActionRequest(action, ids, value=values[0], reason=values[1])
            elif action in ("block", "reject", "waive"):
                request = ActionRequest(action, ids, reason=values[0])
            else:
                request = ActionRequest(action, ids, value=values[0])
            self._asked = request
            self.perform(request)

        self.ask(title, fields, answered)

    def _default_postpone(self) -> str:
        row = self.table.current
        return row.due.isoformat() if row else self.ctx.today.isoformat()

    @on(StoreWorkers.ActionSucceeded)
    def _action_succeeded(self, message: StoreWorkers.ActionSucceeded) -> None:
        req = message.request
        if req == self._asked:
            self._close_prompt()
        verb = i18n.t(f"tui.action.{req.action}", self.ctx.lang)
        if req.action == "postpone" and only_requests(self.person):
            verb = i18n.t("tui.action.request", self.ctx.lang)
        self.say(i18n.t("tui.msg.done", self.ctx.lang, verb=verb, n=message.count))
        table = self.table
        if req.ids and set(req.ids) == table.selected:
            table.action_clear_selection()
        elif req.action == "done" and table.current and req.ids == (table.current.id,):
            table.action_cursor(1)  # ticking off a list: on to the next task
        if message.last is not None:  # the watcher will report this commit: already read
            self.events_read = max(self.events_read, message.last)
        self._data_changed()

    @on(StoreWorkers.ActionRefused)
    def _action_refused(self, message: StoreWorkers.ActionRefused) -> None:
        reason = message.reason
        if len(message.request.ids) > 1:  # all or none: say that none changed, and why
            reason = i18n.t("tui.msg.none_changed", self.ctx.lang, reason=reason)
        self.say(reason, error=True)
        if self.prompt is not None and message.request == self._asked:
            self.prompt.show_error(reason)
        else:
            self.notify(markup(reason), severity="error", timeout=6)
        self.bell()

    # -- export ------------------------------------------------------------------------------

    def action_export(self) -> None:
        """The list as it is filtered now, into a ledger file the user names (or confirms)."""
        lang = self.ctx.lang
        name = i18n.t("tui.export.file", lang, date=self.ctx.today.isoformat())
        title = i18n.t("tui.prompt.export", lang, n=f"{self.total or 0:,}")
        flt = self.flt

        def answered(values: list[str]) -> None:
            path = Path(values[0].strip()).expanduser()
            self.export_list(flt, path, path == self._replace)

        self._replace = None
        self.ask(title, [(i18n.t("tui.prompt.path", lang), name)], answered)

    @on(StoreWorkers.ExportWritten)
    def _export_written(self, message: StoreWorkers.ExportWritten) -> None:
        self._close_prompt()
        text = i18n.t("tui.export.written", self.ctx.lang, n=message.count, path=message.path)
        self.say(text)

    @on(StoreWorkers.ExportRefused)
    def _export_refused(self, message: StoreWorkers.ExportRefused) -> None:
        self._replace = message.path if message.exists else None
        if self.prompt is not None:
            self.prompt.show_error(message.reason)
        self.say(message.reason, error=True)

    # -- Textual's own prompts, in the user's language ----------------------------------------

    def action_help_quit(self) -> None:
        """Ctrl+C: how to quit (Textual's hint, translated)."""
        lang = self.ctx.lang
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                hint = i18n.t("tui.quit.hint", lang, key=self.get_key_display(active.binding))
                self.notify(hint, title=i18n.t("tui.quit.title", lang))
                return

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette, with its prompt in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(TrackerPalette(self.ctx.lang))
