"""The App's database side: thread workers that call ``tracker.tui.data`` and post results.

Nothing here touches a widget. Each worker runs on an executor thread with that thread's
own connection, and reports only by ``post_message``; the App (on the UI thread) decides
what to draw. Results carry the filter ``generation`` they were asked for, so the answer to
an outdated filter (the user typed another letter meanwhile) is dropped, never drawn.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual import work
from textual.app import App
from textual.message import Message
from textual.worker import get_current_worker

from tracker.context import Context
from tracker.domain.people import Person
from tracker.errors import TrackerError
from tracker.store.db import open_db
from tracker.store.textindex import TextIndex, build_index
from tracker.tui import data
from tracker.tui.data import ActionRequest, Connections, ViewFilter

#: How often another process's commits are looked for (cli: "within about a second").
POLL_SECONDS = 0.5


class StoreWorkers(App[None]):
    """Workers and their result messages; ``TrackerApp`` handles the messages."""

    class PageLoaded(Message):
        """Rows of the list for the filter of ``generation``."""

        def __init__(self, generation: int, page: data.Page) -> None:
            self.generation = generation
            self.page = page
            super().__init__()

    class PageSkipped(Message):
        """A requested page scrolled out of view before its turn came; it was not fetched."""

        def __init__(self, generation: int, offset: int) -> None:
            self.generation = generation
            self.offset = offset
            super().__init__()

    class CursorFollowed(Message):
        """Where the task under the cursor sits after the list was fetched again."""

        def __init__(self, generation: int, index: int) -> None:
            self.generation = generation
            self.index = index
            super().__init__()

    class CountLoaded(Message):
        """The filtered total for ``generation``."""

        def __init__(self, generation: int, total: int) -> None:
            self.generation = generation
            self.total = total
            super().__init__()

    class DetailLoaded(Message):
        """The detail of the task under the cursor (None: it no longer exists)."""

        def __init__(self, task_id: int, detail: data.TaskDetail | None) -> None:
            self.task_id = task_id
            self.detail = detail
            super().__init__()

    class ReferenceLoaded(Message):
        """The filter tree, the unit list and the "due soon" limits, as of the loaded plans
        ``plans`` (``data.plans_fingerprint``)."""

        def __init__(
            self,
            tree: list[data.TreeNode],
            units: list[data.UnitNode],
            soon: dict[str, date],
            plans: str,
            person: Person | None = None,
        ) -> None:
            self.tree = tree
            self.units = units
            self.soon = soon
            self.plans = plans
            self.person = person
            super().__init__()

    class ChoicesLoaded(Message):
        """What a picker offers (``data.PICKERS``), read when it is opened."""

        def __init__(self, picker: str, choices: list[data.Choice]) -> None:
            self.picker = picker
            self.choices = choices
            super().__init__()

    class OverviewLoaded(Message):
        """The weekly figures for the overview screen."""

        def __init__(self, overviews: list[data.Overview]) -> None:
            self.overviews = overviews
            super().__init__()

    class ActionSucceeded(Message):
        """A staff action was written; ``count`` tasks changed. ``last``: the newest event
        once it was committed (its own, or a later one), for the refresh that follows."""

        def __init__(self, request: ActionRequest, count: int, last: int | None = None) -> None:
            self.request = request
            self.count = count
            self.last = last
            super().__init__()

    class ActionRefused(Message):
        """The store refused an action (or its input); ``reason`` is in the user's language."""

        def __init__(self, request: ActionRequest, reason: str) -> None:
            self.request = request
            self.reason = reason
            super().__init__()

    class ExportWritten(Message):
        """The list was written to ``path`` as a ledger of ``count`` tasks."""

        def __init__(self, path: Path, count: int) -> None:
            self.path = path
            self.count = count
            super().__init__()

    class ExportRefused(Message):
        """The export was not written; ``reason`` in the user's language."""

        def __init__(self, path: Path, reason: str, exists: bool) -> None:
            self.path = path
            self.reason = reason
            self.exists = exists  # only because the file exists: Enter again replaces it
            super().__init__()

    class DatabaseChanged(Message):
        """Another connection committed (another user, the CLI, a reload).

        ``plans`` fingerprints the loaded plans, so the tree is rebuilt only after a load;
        ``changed`` holds the tasks of the new events (a browser visitor, one of many, skips
        a change that is not on its screen); ``last`` the newest event's id then (``None``:
        not known), so that a change already read after the App's own action is skipped.
        """

        def __init__(
            self, plans: str, changed: frozenset[int] = frozenset(), last: int | None = None
        ) -> None:
            self.plans = plans
            self.changed = changed
            self.last = last
            super().__init__()

    class SearchIndexBuilt(Message):
        """Titles and notes are in memory: a search keystroke no longer scans every row."""

        def __init__(self, index: TextIndex) -> None:
            self.index = index
            super().__init__()

    class StoreFailed(Message):
        """A read failed (database locked for too long, file gone…); shown, never fatal."""

        def __init__(self, reason: str) -> None:
            self.reason = reason
            super().__init__()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.conns = Connections(Path(ctx.db_path))
        self.generation = 0
        self.wanted_pages: frozenset[int] = frozenset()
        # Replaced (never mutated) on the UI thread, read by the list workers.
        self.search_index: TextIndex | None = None
        self._write_lock = threading.Lock()

    def _guard(self, job: Callable[[], None]) -> None:
        """Run ``job``; turn a store or sqlite failure into a message instead of a crash."""
        try:
            job()
        except TrackerError as e:
            self.post_message(self.StoreFailed(e.render(self.ctx.lang)))
        except sqlite3.Error as e:
            self.post_message(self.StoreFailed(str(e)))

    @work(thread=True, group="view", exclusive=True, exit_on_error=False)
    def load_view(
        self, generation: int, flt: ViewFilter, offsets: list[int], follow: int | None = None
    ) -> None:
        """Pages around the cursor first (they are what the user sees), then the total.

        ``follow``: a task the cursor should stay on, wherever the refresh moved it.
        """
        worker = get_current_worker()

        def job() -> None:
            db, today = self.conns.get(), self.ctx.today
            store = flt.for_store(db, self.search_index)
            if follow is not None:
                index = data.position(db, store, today, follow, flt.sort)
                if index is not None:
                    self.post_message(self.CursorFollowed(generation, index))
                    offsets.insert(0, index - index % data.PAGE_SIZE)
            last: data.Page | None = None
            for offset in dict.fromkeys(offsets):
                if worker.is_cancelled:
                    return
                last = data.fetch_page(db, store, today, offset, order=flt.sort)
                self.post_message(self.PageLoaded(generation, last))
            if last is not None and len(last.rows) < data.PAGE_SIZE:
                total = last.offset + len(last.rows)  # the end is in sight: no COUNT needed
            elif worker.is_cancelled:
                return
            else:
                total = data.count(db, store, today)
            self.post_message(self.CountLoaded(generation, total))

        self._guard(job)

    @work(thread=True, group="pages", exit_on_error=False)
    def load_page(self, generation: int, flt: ViewFilter, offset: int, total: int | None) -> None:
        """A page that scrolled into view, unless it scrolled out again while queued.

        ``wanted_pages`` is replaced (never mutated) on the UI thread, so reading it here is
        safe; skipping dragged-past pages keeps a fling through 500k rows from queueing work.
        """

        def job() -> None:
            if generation != self.generation or offset not in self.wanted_pages:
                self.post_message(self.PageSkipped(generation, offset))
                return
            db = self.conns.get()
            store = flt.for_store(db, self.search_index)
            page = data.fetch_page(db, store, self.ctx.today, offset, total, flt.sort)
            self.post_message(self.PageLoaded(generation, page))

        self._guard(job)

    @work(thread=True, group="detail", exclusive=True, exit_on_error=False)
    def load_detail(self, task_id: int) -> None:
        """Everything about one task, for the detail pane."""

        def job() -> None:
            try:
                detail = data.task_detail(self.conns.get(), task_id, self.ctx.today)
            except TrackerError:
                detail = None
            self.post_message(self.DetailLoaded(task_id, detail))

        self._guard(job)

    @work(thread=True, group="reference", exclusive=True, exit_on_error=False)
    def load_reference(self) -> None:
        """The tree, the units and the calendars: they change only when a plan is loaded."""

        def job() -> None:
            db = self.conns.get()
            plans = data.plans_fingerprint(db)
            tree, units = data.filter_tree(db), data.unit_list(db)
            soon = data.soon_limits(db, self.ctx.today)
            person = data.acting_person(db, self.ctx)
            self.post_message(self.ReferenceLoaded(tree, units, soon, plans, person))

        self._guard(job)

    @work(thread=True, group="search-index", exclusive=True, exit_on_error=False)
    def build_search_index(self) -> None:
        """Titles and notes into memory, after the first page (``tracker.store.textindex``)."""

        def job() -> None:
            self.post_message(self.SearchIndexBuilt(build_index(self.conns.get())))

        self._guard(job)

    @work(thread=True, group="choices", exclusive=True, exit_on_error=False)
    def load_choices(self, picker: str) -> None:
        """The entries of a picker: problems, people, peer groups or tags."""

        def job() -> None:
            found = data.choices(self.conns.get(), picker)
            self.post_message(self.ChoicesLoaded(picker, found))

        self._guard(job)

    @work(thread=True, group="overview", exclusive=True, exit_on_error=False)
    def load_overview(self, plan: str | None) -> None:
        """The weekly report's figures for the overview screen."""

        def job() -> None:
            db = self.conns.get()
            self.post_message(
                self.OverviewLoaded(data.overview(db, self.ctx.today, self.ctx.lang, plan))
            )

        self._guard(job)

    @work(thread=True, group="action", exit_on_error=False)
    def perform(self, request: ActionRequest) -> None:
        """Write one staff action; actions run one at a time, in the order given."""
        with self._write_lock:
            try:
                count = data.run_action(self.conns.get(), self.ctx, request)
            except TrackerError as e:
                self.post_message(self.ActionRefused(request, e.render(self.ctx.lang)))
            except sqlite3.Error as e:
                self.post_message(self.ActionRefused(request, str(e)))
            else:
                last = data.changed_since(self.conns.get(), None)[0]
                self.post_message(self.ActionSucceeded(request, count, last))

    @work(thread=True, group="export", exclusive=True, exit_on_error=False)
    def export_list(self, flt: ViewFilter, path: Path, overwrite: bool) -> None:
        """The list as a ledger file (``data.export_list``)."""
        db, ctx = self.conns.get(), self.ctx
        try:
            store = flt.for_store(db, self.search_index)
            n = data.export_list(db, store, ctx.today, ctx.lang, path, overwrite=overwrite)
        except TrackerError as e:
            exists = e.key == "tui.export.exists"
            self.post_message(self.ExportRefused(path, e.render(ctx.lang), exists))
        except (sqlite3.Error, OSError) as e:
            self.post_message(self.ExportRefused(path, str(e), False))
        else:
            self.post_message(self.ExportWritten(path, n))

    @work(thread=True, group="watch", exclusive=True, exit_on_error=False)
    def watch_database(self) -> None:
        """Poll ``PRAGMA data_version`` on a connection of its own; report commits by others.

        The counter moves only for other connections' commits, so this sees the CLI,
        other staff and this App's own workers alike, at the cost of one tiny query.
        """
        worker = get_current_worker()
        stop = getattr(worker, "cancelled_event", None) or threading.Event()  # (older Textual)
        db = open_db(Path(self.ctx.db_path))
        try:
            seen = data.data_version(db)
            last, _ = data.changed_since(db, None)
            # one wake-up a poll (50 idle visitors of a server add up), and none to wait for
            # on quitting: cancelling the worker sets its event
            while not (stop.wait(POLL_SECONDS) or worker.is_cancelled):
                try:
                    now = data.data_version(db)
                    if now != seen:
                        seen = now
                        last, changed = data.changed_since(db, last)
                        plans = data.plans_fingerprint(db)
                        self.post_message(self.DatabaseChanged(plans, changed, last))
                except sqlite3.Error:
                    continue  # locked for a moment by a writer: look again next time
        finally:
            db.conn.close()
