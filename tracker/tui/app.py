"""``tracker tui``: the staff's day — see their tasks, narrow the list, act, inspect.

The App owns the state (the filter, which panes are open) and turns user intent into
worker calls; workers (``workers.py``) answer with messages, handled here with ``@on``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Static

from tracker import i18n
from tracker.context import Context
from tracker.domain.people import Person, may_ever
from tracker.present.safe import terminal
from tracker.tui.acting import ActingApp
from tracker.tui.commands import TrackerCommands
from tracker.tui.data import Choice, UnitNode, ViewFilter
from tracker.tui.keys import localize
from tracker.tui.screens.choice_picker import CLEAR, ChoicePicker
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.overview import OverviewScreen
from tracker.tui.screens.unit_picker import UnitPicker
from tracker.tui.widgets.detail_pane import DetailPane
from tracker.tui.widgets.filter_bar import KEY_LABELS, STATUS_KEYS, VIEW_KEYS, FilterBar
from tracker.tui.widgets.filter_tree import FilterTree
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.search_box import SearchBox
from tracker.tui.widgets.task_table import TaskTable
from tracker.tui.workers import StoreWorkers

#: From this width on the plan tree and the detail pane are shown side by side.
WIDE = 130
#: Seconds a browser visitor's list may lag behind changes to tasks it does not show.
CATCH_UP_SECONDS = 10.0


class TrackerApp(ActingApp):
    """The staff TUI on one database, for one user, on one (possibly replayed) day."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {TrackerCommands}
    #: Below 100 columns (80×24) the panes narrow (app.tcss: ``Screen.-narrow``).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (App's own)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "tui.key.help", key_display="?"),
        Binding("slash", "focus_search", "tui.key.search", key_display="/", show=False),
        Binding("t", "focus_tree", "tui.key.tree", show=False),
        Binding("h", "toggle_tree", "tui.key.hide_tree", show=False),
        Binding("S", "sort", "tui.key.sort", show=False),
        Binding("E", "export", "tui.key.export", show=False),
        Binding("u", "pick_unit", "tui.key.unit", show=False),
        Binding("P", "pick('problem')", "tui.key.problem", show=False),
        Binding("l", "pick('people')", "tui.key.people", show=False),
        Binding("K", "pick('kind')", "tui.key.kind", show=False),
        Binding("T", "pick('tag')", "tui.key.tag", show=False),
        Binding("o", "overview", "tui.key.overview"),
        Binding("x", "clear_filters", "tui.key.clear_filters", show=False),
        *[
            Binding(
                k, f"quick_view('{v}')", f"tui.view.{v}", show=False, key_display=KEY_LABELS.get(k)
            )
            for v, k in VIEW_KEYS.items()
        ],
        *[
            Binding(
                k, f"toggle_status('{s}')", f"status.{s}", show=False, key_display=KEY_LABELS.get(k)
            )
            for s, k in STATUS_KEYS.items()
        ],
        Binding("ctrl+r", "reload", "tui.key.reload", show=False),
        Binding("q", "quit", "tui.key.quit", show=False),
        # declared here (Textual adds its own otherwise) so that its label is translated
        Binding("ctrl+p", "command_palette", "tui.key.palette", show=False, priority=True),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.flt = ViewFilter()
        self.scope_label = ""
        self.total: int | None = None
        self.units: list[UnitNode] = []
        self.plans_seen = ""
        self.person: Person | None = None  # who is acting, once the store has said
        self.overview_screen: OverviewScreen | None = None
        self._catch_up: Timer | None = None  # a refresh owed for others' changes (browser)
        self.events_read = -1  # every event up to this one was read after an own action
        self.tree_hidden = False  # the user's choice ("h"); narrow screens hide it for the pane
        localize(self, ctx.lang)
        # Held, not queried: ``App.query_one`` searches the *active* screen, and results
        # keep arriving while a prompt or the overview is on top.
        lang, today = ctx.lang, ctx.today
        self.filter_bar = FilterBar(lang, id="filter-bar")
        self.search_box = SearchBox(lang, id="search")
        self.status_line = Static("", id="status")
        self.scope_tree = FilterTree(lang, id="tree")
        self.table = TaskTable(lang, today, id="table")
        self.detail = DetailPane(lang, today, id="detail")

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="▣")
        yield self.filter_bar
        with Horizontal(id="toolbar"):
            yield self.search_box
            yield self.status_line
        with Horizontal(id="body"):
            yield self.scope_tree
            yield self.table
            yield self.detail
        yield TrackerFooter(compact=True)

    def on_mount(self) -> None:
        lang = self.ctx.lang
        self.title = i18n.t("tui.title", lang, db=Path(self.ctx.db_path).name)
        self.sub_title = f"{self.ctx.today.isoformat()} · {terminal(self.ctx.user)}"
        self.detail.display = False
        self.table.focus()
        self.refresh_view(to_top=True)
        self.load_reference()
        self.watch_database()

    def on_ready(self) -> None:
        """The first frame is shown; a browser visitor's driver applies what it held back."""
        ready = getattr(self._driver, "app_ready", None)
        if callable(ready):
            ready()

    # -- the list ------------------------------------------------------------------------

    def refresh_view(self, *, to_top: bool) -> None:
        """Fetch the list again: from the top for a new filter, in place after a change."""
        self.generation += 1
        table = self.table
        follow = None if to_top else table.cursor_id
        table.reset(to_top=to_top)
        offsets = [0] if to_top else table.visible_offsets()
        self.wanted_pages = frozenset(offsets)
        table.mark_requested(offsets)
        if to_top:
            self.total = None
        self.load_view(self.generation, self.flt, offsets, follow)
        self._show_filter()

    def apply_filter(self, flt: ViewFilter) -> None:
        """The single way the filter changes: the list restarts from its top."""
        if flt != self.flt:
            self.flt = flt
            self.table.sort = flt.sort
            self.refresh_view(to_top=True)

    def _show_filter(self) -> None:
        self.filter_bar.show(self.flt, self.scope_label, self.total, len(self.table.selected))

    @on(StoreWorkers.PageLoaded)
    def _page_loaded(self, message: StoreWorkers.PageLoaded) -> None:
        if message.generation == self.generation:
            self.table.add_page(message.page)

    @on(StoreWorkers.PageSkipped)
    def _page_skipped(self, message: StoreWorkers.PageSkipped) -> None:
        if message.generation == self.generation:
            self.table.forget_request(message.offset)

    @on(StoreWorkers.CursorFollowed)
    def _cursor_followed(self, message: StoreWorkers.CursorFollowed) -> None:
        if message.generation == self.generation:
            self.table.follow(message.index)

    @on(StoreWorkers.CountLoaded)
    def _count_loaded(self, message: StoreWorkers.CountLoaded) -> None:
        if message.generation == self.generation:
            self.total = message.total
            self.table.set_total(message.total)
            self._show_filter()

    @on(TaskTable.PageRequested)
    def _page_requested(self, message: TaskTable.PageRequested) -> None:
        self.wanted_pages = frozenset(self.table.visible_offsets())
        self.load_page(self.generation, self.flt, message.offset, self.total)

    @on(TaskTable.SelectionChanged)
    def _selection_changed(self) -> None:
        self._show_filter()

    @on(TaskTable.CursorMoved)
    def _cursor_moved(self, message: TaskTable.CursorMoved) -> None:
        if self.detail.display and message.task_id is not None:
            self.load_detail(message.task_id)

    @on(StoreWorkers.StoreFailed)
    def _store_failed(self, message: StoreWorkers.StoreFailed) -> None:
        self.say(message.reason, error=True)

    # -- narrowing ------------------------------------------------------------------------

    def action_quick_view(self, view: str) -> None:
        self.apply_filter(replace(self.flt, view=view))

    def action_toggle_status(self, status: str) -> None:
        self.apply_filter(self.flt.toggled(status))

    def action_clear_filters(self) -> None:
        self.scope_label = ""
        self.search_box.value = ""
        self.apply_filter(ViewFilter())

    def action_focus_search(self) -> None:
        self.search_box.focus()

    def action_focus_tree(self) -> None:
        """To the plan tree, showing it first if it was hidden (never focus what is hidden)."""
        if not self.scope_tree.display:
            self._show_tree()
        self.scope_tree.focus()

    def action_toggle_tree(self) -> None:
        """Hide the plan tree (the list gets its 26 columns) or show it again."""
        if self.scope_tree.display:
            self.tree_hidden = True
            if self.scope_tree.has_focus:
                self.table.focus()
            self.lay_out()
        else:
            self._show_tree()

    def _show_tree(self) -> None:
        self.tree_hidden = False
        if self.detail.display and self.size.width < WIDE:
            self.detail.display = False  # they take turns below WIDE columns
        self.lay_out()

    def lay_out(self, width: int | None = None) -> None:
        """Which side panes show: the tree unless hidden, or the detail pane needs its room."""
        both = (self.size.width if width is None else width) >= WIDE
        self.scope_tree.display = not self.tree_hidden and (both or not self.detail.display)

    def on_resize(self, event: events.Resize) -> None:
        self.lay_out(event.size.width)  # before App's own handler has taken the new size

    def action_close_or_clear(self) -> None:
        """Escape on the list: clear the selection, else close the detail pane."""
        if self.table.selected:
            self.table.action_clear_selection()
        elif self.detail.display:
            self.action_toggle_detail()

    def action_sort(self) -> None:
        """The next order: due date, unit, status, priority (marked in the header)."""
        self.sort_by(self.flt.next_sort().sort)

    def sort_by(self, sort: str) -> None:
        """The list in ``sort``'s order (one of ``data.SORTS``), from its top."""
        self.apply_filter(replace(self.flt, sort=sort))
        by = i18n.t(f"tui.sort.{sort}", self.ctx.lang)
        self.say(i18n.t("tui.msg.sorted", self.ctx.lang, by=by))

    def action_focus_table(self) -> None:
        self.table.focus()

    @on(SearchBox.Changed, "#search")
    def _search_changed(self, event: SearchBox.Changed) -> None:
        if self.search_index is None and self.is_web and event.value.strip():
            self.build_search_index()
        self.apply_filter(replace(self.flt, search=event.value.strip()))

    @on(SearchBox.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    @on(FilterTree.ScopeChosen)
    def _scope_chosen(self, message: FilterTree.ScopeChosen) -> None:
        plan, campaign, task_key = message.scope
        self.scope_label = message.label
        self.apply_filter(replace(self.flt, plan=plan, campaign=campaign, task_key=task_key))
        self._show_filter()

    def action_pick_unit(self) -> None:
        def chosen(unit: UnitNode | None) -> None:
            if unit is not None:
                key = unit.key or None
                self.apply_filter(replace(self.flt, owner=key, owner_name=unit.name or None))
            self.table.focus()

        self.push_screen(UnitPicker(self.units, self.ctx.lang), chosen)

    def action_pick(self, picker: str) -> None:
        """Open a picker (problem, people, kind, tag) once a worker has read its entries."""
        self.load_choices(picker)

    @on(StoreWorkers.ChoicesLoaded)
    def _choices_loaded(self, message: StoreWorkers.ChoicesLoaded) -> None:
        picker = message.picker

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.apply_filter(self.flt.chosen(picker, None if choice == CLEAR else choice))
            self.table.focus()

        self.push_screen(ChoicePicker(picker, message.choices, self.ctx.lang), chosen)

    @on(StoreWorkers.ReferenceLoaded)
    def _reference_loaded(self, message: StoreWorkers.ReferenceLoaded) -> None:
        if message.person != self.person:
            self.person = message.person
            self.refresh_bindings()  # the footer shows what this person may do
        self.plans_seen = message.plans
        self.scope_tree.fill(message.tree)
        self.units = message.units
        self.table.soon = message.soon
        self.table.refresh()
        if self._wants_index():
            self.build_search_index()  # after a load, titles may have changed too

    def _wants_index(self) -> bool:
        """In a terminal, always (one person, one process). In a browser, once the visitor
        searches: each visitor is a process of its own, and at 500k instances the index
        alone is ~37 MB of it; the first keystrokes meanwhile search in SQL."""
        return not self.is_web or self.search_index is not None or bool(self.flt.search)

    @on(StoreWorkers.SearchIndexBuilt)
    def _search_index_built(self, message: StoreWorkers.SearchIndexBuilt) -> None:
        self.search_index = message.index

    # -- other processes -------------------------------------------------------------------

    @on(StoreWorkers.DatabaseChanged)
    def _database_changed(self, message: StoreWorkers.DatabaseChanged) -> None:
        if message.plans != self.plans_seen:  # a plan was loaded: tree, units, titles
            self.plans_seen = message.plans
            self.load_reference()
        elif message.last is not None and message.last <= self.events_read:
            # Its events (this App's own action, mostly) were all committed before the
            # refresh that followed that action read the list, the detail and the overview.
            return
        elif self.is_web and not self._concerns_me(message):
            # In a browser, one of many visitors: another's change to tasks this list does
            # not show costs no query now; the total is brought up to date a little later.
            if self._catch_up is None:
                self._catch_up = self.set_timer(CATCH_UP_SECONDS, self._caught_up)
            return
        self._data_changed()

    def _concerns_me(self, message: StoreWorkers.DatabaseChanged) -> bool:
        """A change to a row on screen (or in the detail pane). Any other change moves rows
        on screen by one at most (a task that joined or left the list above them) and the
        total: the catch-up refresh mends those."""
        shown = self.table.shown_ids()
        if self.detail.display and self.detail.task_id is not None:
            shown.add(self.detail.task_id)
        return bool(message.changed & shown)

    def _caught_up(self) -> None:
        self._catch_up = None
        self._data_changed()

    def _data_changed(self) -> None:
        """Redraw what shows store data, keeping the user's place."""
        if self._catch_up is not None:
            self._catch_up.stop()
            self._catch_up = None
        self.refresh_view(to_top=False)
        if self.detail.display and self.detail.task_id is not None:
            self.load_detail(self.detail.task_id)
        if self.overview_screen is not None:
            self.load_overview(self.flt.plan)

    def action_reload(self) -> None:
        self.load_reference()
        self._data_changed()

    # -- inspecting -------------------------------------------------------------------------

    def action_toggle_detail(self) -> None:
        """Show or hide the detail pane; below ``WIDE`` columns the tree makes room for it."""
        pane = self.detail
        pane.display = not pane.display
        self.lay_out()
        row = self.table.current
        if pane.display and row is not None:
            self.load_detail(row.id)

    @on(StoreWorkers.DetailLoaded)
    def _detail_loaded(self, message: StoreWorkers.DetailLoaded) -> None:
        row = self.table.current
        if row is None or row.id != message.task_id:
            return
        if message.detail is None:
            self.detail.clear()
        else:
            self.detail.show(message.detail)

    def action_overview(self) -> None:
        screen = OverviewScreen(None, self.ctx.lang)
        self.overview_screen = screen

        def closed(_: None) -> None:
            self.overview_screen = None

        self.push_screen(screen, closed)
        self.load_overview(self.flt.plan)

    @on(StoreWorkers.OverviewLoaded)
    def _overview_loaded(self, message: StoreWorkers.OverviewLoaded) -> None:
        if self.overview_screen is not None:
            self.overview_screen.update(message.overviews)

    def action_help(self) -> None:
        lang = self.ctx.lang
        groups = [
            (i18n.t("tui.help.table", lang), self._permitted(TaskTable.BINDINGS)),
            (i18n.t("tui.help.app", lang), list(self.BINDINGS)),
            (i18n.t("tui.help.tree", lang), list(FilterTree.BINDINGS)),
        ]
        self.push_screen(HelpScreen(groups, lang))

    def _permitted(self, bindings: list[BindingType]) -> list[BindingType]:
        """``bindings`` without the actions the acting person may not take."""
        out: list[BindingType] = []
        for b in bindings:
            act = b.action if isinstance(b, Binding) else ""
            if act.startswith("app.act('") and not may_ever(self.person, act[9:-2]):
                continue
            out.append(b)
        return out
