"""The task list: a Line-API widget that draws only the rows on screen.

A county plan expands to hundreds of thousands of instances, so the table never holds the
list. It knows the filtered total, keeps a handful of fetched pages (an LRU of ``PAGE_SIZE``
rows each) and asks for a missing page with ``PageRequested`` when a row on screen needs it.
The App answers from a worker with ``add_page``. Memory is bounded by ``MAX_PAGES``,
whatever the total.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker import i18n
from tracker.domain import CLOSED, OPEN
from tracker.present import fit, fit_title, progress_text, relative_due
from tracker.present.safe import terminal
from tracker.tui.data import PAGE_SIZE, Page, TaskRow
from tracker.tui.keys import localize

MAX_PAGES = 12

# (i18n key, width in cells; 0 = takes the rest, right-aligned)
COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("tui.col.id", 6, True),
    ("tui.col.title", 0, False),
    ("tui.col.owner", 10, False),
    ("tui.col.due", 5, False),  # 10 while a row of another year is held (2021-01-08)
    ("tui.col.rel", 9, False),  # 逾期100天, yesterday
    ("tui.col.status", 8, False),
    ("tui.col.progress", 11, True),
)
TITLE, OWNER, DUE, REL, STATUS = 1, 2, 3, 4, 5
MIN_TITLE = 16
#: Columns given up, in this order, when the table is too narrow (80 columns, the plan tree
#: or the detail pane open): progress, the date, the unit, the relative date. The id, the
#: title and the status always stay.
DROP_ORDER = (6, 3, 2, 4)
#: The column whose header marks the sort (``ViewFilter.sort``); priority has none.
SORT_COLUMN = {"due": REL, "unit": OWNER, "status": STATUS}


class TaskTable(ScrollView, can_focus=True):
    """Rows of the current filter, sorted by due date; a cursor and a multi-selection."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--header",
        "task-table--cursor",
        "task-table--overdue",
        "task-table--soon",
        "task-table--closed",
        "task-table--blocked",
        "task-table--selected",
        "task-table--loading",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "tui.key.up", show=False),
        Binding("down,j", "cursor(1)", "tui.key.down", show=False),
        Binding("pageup", "page(-1)", "tui.key.pageup", show=False),
        Binding("pagedown", "page(1)", "tui.key.pagedown", show=False),
        Binding("home", "jump(0)", "tui.key.home", show=False),
        Binding("end", "jump(-1)", "tui.key.end", show=False),
        Binding("space", "toggle_select", "tui.key.select", show=False),
        Binding("shift+down", "extend(1)", "tui.key.extend", show=False),
        Binding("shift+up", "extend(-1)", "tui.key.extend", show=False),
        Binding("escape", "app.close_or_clear", "tui.key.back_escape", show=False),
        Binding("enter", "app.toggle_detail", "tui.key.detail", key_display="⏎"),
        Binding("s", "app.act('start')", "tui.action.start"),
        Binding("d", "app.act('done')", "tui.action.done"),
        Binding("v", "app.act('verify')", "tui.action.verify"),
        Binding("r", "app.act('reopen')", "tui.action.reopen", show=False),
        Binding("b", "app.act('block')", "tui.action.block"),
        Binding("w", "app.act('waive')", "tui.action.waive", show=False),
        Binding("p", "app.act('progress')", "tui.action.progress"),
        Binding("e", "app.act('postpone')", "tui.action.postpone"),
        Binding("n", "app.act('note')", "tui.action.note"),
        Binding("a", "app.act('approve')", "tui.action.approve", show=False),
        Binding("A", "app.act('reject')", "tui.action.reject", show=False),
        Binding("z,ctrl+z", "app.act('undo')", "tui.action.undo", key_display="z"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class PageRequested(Message):
        """A row on screen lies in a page that is not loaded."""

        def __init__(self, offset: int) -> None:
            self.offset = offset
            super().__init__()

    class CursorMoved(Message):
        """The cursor is on another row (``task_id`` None while its page loads)."""

        def __init__(self, task_id: int | None) -> None:
            self.task_id = task_id
            super().__init__()

    class SelectionChanged(Message):
        """Rows were marked or unmarked for a multi-task action."""

        def __init__(self, count: int) -> None:
            self.count = count
            super().__init__()

    def __init__(self, lang: str, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localize(self, lang)
        self.lang = lang
        self.today = today
        self.total = 0
        self.loaded = False
        self.soon: dict[str, date] = {}
        self.selected: set[int] = set()
        self._pages: OrderedDict[int, list[TaskRow]] = OrderedDict()
        self._stale: dict[int, list[TaskRow]] = {}
        self._requested: set[int] = set()
        self._unsent: list[int] = []
        self._last_reported: int | None = -1
        self.cursor_id: int | None = None  # the last task seen under the cursor
        self.sort = "due"  # the list's order, marked in the header
        self.other_year = False  # a held row is due in another year: dates show it

    # -- data from the App ------------------------------------------------------------

    def reset(self, *, to_top: bool) -> None:
        """Forget fetched pages (the filter or the data changed) and fetch them again.

        The old rows stay drawn until their replacements arrive, so a refresh never
        flickers through an empty table.
        """
        visible = set(self.visible_offsets())
        drawn = {**self._stale, **self._pages}
        self._stale = {o: rows for o, rows in drawn.items() if o in visible}
        self._pages.clear()
        self._requested.clear()
        if to_top:
            self._stale.clear()
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
        if self._note_years() or to_top:
            self.refresh()  # in place, the rows drawn stay the same until their pages come

    def set_total(self, total: int) -> None:
        """The number of rows the filter matches."""
        changed = total != self.total or not self.loaded
        self.total = total
        self.loaded = True
        self.virtual_size = Size(self.size.width, total + 1)
        if self.cursor >= total:
            self.cursor = max(0, total - 1)
        if changed:
            self.refresh()

    def add_page(self, page: Page) -> None:
        """Rows fetched by a worker for ``PageRequested`` (or a refresh).

        A refresh that brings back the rows already drawn draws nothing: in a browser, each
        visitor's list is refreshed after other visitors' changes, mostly to rows elsewhere.
        """
        drawn = self._stale.pop(page.offset, None) or self._pages.get(page.offset)
        self._pages[page.offset] = page.rows
        self._pages.move_to_end(page.offset)
        self._requested.discard(page.offset)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        changed = self._note_years() or drawn != page.rows
        if not self.loaded or page.offset + len(page.rows) > self.total:
            self.total = max(self.total, page.offset + len(page.rows))
            self.virtual_size = Size(self.size.width, self.total + 1)
            changed = True
        if changed:
            self.refresh()
        self._report_cursor()

    def mark_requested(self, offsets: list[int]) -> None:
        """Pages already being fetched (so drawing does not ask for them again)."""
        self._requested.update(offsets)

    def forget_request(self, offset: int) -> None:
        """A page request was dropped; ask again if it is still on screen."""
        self._requested.discard(offset)
        self.refresh()

    def follow(self, index: int) -> None:
        """Put the cursor on ``index``, where its task moved (the list may have grown)."""
        if index >= self.total:
            self.total = index + 1
            self.virtual_size = Size(self.size.width, self.total + 1)
        if index != self.cursor:  # (the cursor redraws the list even when set to itself)
            self.cursor = index

    def loaded_ids(self) -> set[int]:
        """The tasks of the pages held (those the list may draw)."""
        return {row.id for rows in self._pages.values() for row in rows}

    def shown_ids(self) -> set[int]:
        """The tasks of the rows on screen."""
        first = int(self.scroll_y)
        rows = (self.row_at(i) for i in range(first, first + max(1, self.size.height)))
        return {row.id for row in rows if row is not None}

    def row_at(self, index: int) -> TaskRow | None:
        """The row drawn at ``index`` of the filtered list, if its page is here.

        While a refresh is in flight that is the previous fetch's row: what the user sees
        is what an action applies to.
        """
        start = index - index % PAGE_SIZE
        rows = self._pages.get(start)
        if rows is None:
            rows = self._stale.get(start)
        if rows is None:
            return None
        i = index - start
        return rows[i] if i < len(rows) else None

    @property
    def current(self) -> TaskRow | None:
        """The row under the cursor (None while its page loads or the list is empty)."""
        return self.row_at(self.cursor) if self.total else None

    def target_ids(self) -> list[int]:
        """What an action applies to: the selection, or else the row under the cursor."""
        if self.selected:
            return sorted(self.selected)
        row = self.current
        return [row.id] if row else []

    def visible_offsets(self) -> list[int]:
        """The page offsets covering the rows on screen."""
        first = int(self.scroll_y)
        last = first + max(1, self.size.height - 1)
        return sorted({i - i % PAGE_SIZE for i in (first, min(last, max(0, self.total - 1)))})

    # -- cursor and selection -------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self._report_cursor()

    def _report_cursor(self) -> None:
        row = self.current
        task_id = row.id if row else None
        if task_id is not None:
            self.cursor_id = task_id
        if task_id != self._last_reported:
            self._last_reported = task_id
            self.post_message(self.CursorMoved(task_id))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + delta))

    def action_cursor(self, delta: int) -> None:
        self._move(delta)

    def action_page(self, direction: int) -> None:
        self._move(direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else max(0, self.total - 1)

    def action_toggle_select(self) -> None:
        row = self.current
        if row is None:
            return
        self.selected ^= {row.id}
        self.post_message(self.SelectionChanged(len(self.selected)))
        self._move(1)
        self.refresh()

    def action_extend(self, delta: int) -> None:
        row = self.current
        if row is not None:
            self.selected.add(row.id)
        self._move(delta)
        row = self.current
        if row is not None:
            self.selected.add(row.id)
        self.post_message(self.SelectionChanged(len(self.selected)))
        self.refresh()

    def action_clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            self.post_message(self.SelectionChanged(0))
            self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.total:
            self.cursor = index
            if event.chain == 2 or event.ctrl:
                self.action_toggle_select()

    # -- rendering ---------------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        """Cell widths per column; 0 for a column dropped to leave the title room."""
        widths = [w for _, w, _ in COLUMNS]
        if self.other_year:
            widths[DUE] = 10
        for drop in (None, *DROP_ORDER):
            if drop is not None:
                widths[drop] = 0
            fixed = sum(widths) + sum(1 for w in widths if w) + 3
            if width - fixed >= MIN_TITLE:
                break
        widths[TITLE] = max(MIN_TITLE, width - fixed)
        return widths

    def _note_years(self) -> bool:
        """Whether a held row is due in another year than today's (the winter campaign
        crosses it): the date column then shows the year. Once per page, not per line.
        True when that changed."""
        year = self.today.year
        held = (*self._pages.values(), *self._stale.values())
        before = self.other_year
        self.other_year = any(r.due.year != year for rows in held for r in rows)
        return self.other_year != before

    def _due_text(self, due: date) -> str:
        return due.strftime("%m-%d" if due.year == self.today.year else "%Y-%m-%d")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            cells = [i18n.t(key, self.lang) for key, _, _ in COLUMNS]
            marked = SORT_COLUMN.get(self.sort)
            if marked is not None:
                cells[marked] += "▾"
            style = base + self.get_component_rich_style("task-table--header")
            return self._strip("  ", cells, style, width)
        index = int(self.scroll_y) + y - 1
        if index >= self.total:
            if index == 0 and self.loaded:
                text = fit("  " + i18n.t("tui.table.empty", self.lang), width)
                return Strip([Segment(text, base)], width)
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            start = index - index % PAGE_SIZE
            if start not in self._requested:
                self._requested.add(start)
                self._unsent.append(start)
                if len(self._unsent) == 1:
                    # Not posted from here: a message made while the screen renders is
                    # sent "by the screen" and would stop there instead of reaching the App.
                    self.call_later(self._send_requests)
            style = base + self.get_component_rich_style("task-table--loading")
            return self._strip("  ", ["…"], style, width)
        return self._row_strip(index, row, base, width)

    def _send_requests(self) -> None:
        for offset in self._unsent:
            self.post_message(self.PageRequested(offset))
        self._unsent.clear()

    def _row_strip(self, index: int, row: TaskRow, base: Style, width: int) -> Strip:
        style = base + self._row_style(row)
        if row.id in self.selected:
            style += self.get_component_rich_style("task-table--selected")
        if index == self.cursor:
            style += self.get_component_rich_style("task-table--cursor")
        cells = [
            str(row.id),
            terminal(row.title),  # drawn as segments: no markup, but no ESC either
            terminal(row.owner_name),
            self._due_text(row.due),
            relative_due(row.due, self.today, self.lang, open_task=row.status in OPEN),
            i18n.status_label(row.status, self.lang) + ("*" if row.postponed else ""),
            terminal(progress_text(row.progress, row.target, row.unit)),
        ]
        late = row.status in OPEN and row.due < self.today
        mark = ("●" if row.id in self.selected else " ") + ("!" if late else " ")
        return self._strip(mark, cells, style, width)

    def _row_style(self, row: TaskRow) -> Style:
        if row.status in CLOSED:
            return self.get_component_rich_style("task-table--closed")
        if row.status in OPEN and row.due < self.today:
            return self.get_component_rich_style("task-table--overdue")
        if row.due <= self.soon.get(row.plan, self.today):
            return self.get_component_rich_style("task-table--soon")
        if row.status == "blocked":
            return self.get_component_rich_style("task-table--blocked")
        return Style()

    def _strip(self, mark: str, cells: list[str], style: Style, width: int) -> Strip:
        """One segment per column, each tagged with its column in ``meta``.

        Separate segments keep columns at their cell offsets wherever the line is drawn
        (a screenshot lays out each segment at its own x), so CJK titles never push the
        columns after them out of line.
        """
        widths = self._widths(width)
        segments = [Segment(mark, style)]
        for i, ((_, _, right), w, text) in enumerate(zip(COLUMNS, widths, cells, strict=False)):
            if w:
                cell = fit_title(text, w) if i == TITLE else fit(text, w, right=right)
                segments.append(Segment(cell + " ", style + _meta(i)))
        return Strip(segments).adjust_cell_length(width, style)


def _meta(column: int) -> Style:
    return Style.from_meta({"column": column})
