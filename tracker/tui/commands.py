"""The command palette (ctrl+p): the actions the acting person may take, and the filters.

Built from the same bindings as the footer and filtered by the same rule (``may_ever``), so the
palette never offers what the role forbids; the store still checks each task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker import i18n
from tracker.domain.people import may_ever
from tracker.tui.data import PICKERS, QUICK_VIEWS, SORTS, STATUS_TOGGLES

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

ACTIONS = ("start", "done", "verify", "reopen", "block", "waive", "progress", "postpone", "note",
           "approve", "reject", "undo")  # fmt: skip


class TrackerCommands(Provider):
    """Actions on the selection, quick views and status filters, in the user's language."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        app: TrackerApp = self.app  # type: ignore[assignment]
        lang = app.ctx.lang
        act = i18n.t("tui.palette.act", lang)
        for name in ACTIONS:
            if may_ever(app.person, name):
                label = i18n.t(f"tui.action.{name}", lang)
                yield f"{act}: {label}", partial(app.action_act, name), act
        view = i18n.t("tui.palette.view", lang)
        for v in QUICK_VIEWS:
            yield (
                f"{view}: {i18n.t(f'tui.view.{v}', lang)}",
                partial(app.action_quick_view, v),
                view,
            )
        status = i18n.t("tui.palette.status", lang)
        for s in STATUS_TOGGLES:
            label = f"{status}: {i18n.status_label(s, lang)}"
            yield label, partial(app.action_toggle_status, str(s)), status
        sort = i18n.t("tui.palette.sort", lang)
        for key in SORTS:
            label = f"{sort}: {i18n.t(f'tui.sort.{key}', lang)}"
            yield label, partial(app.sort_by, key), sort
        yield i18n.t("tui.key.export", lang), app.action_export, ""
        yield i18n.t("tui.key.hide_tree", lang), app.action_toggle_tree, ""
        yield i18n.t("tui.key.overview", lang), app.action_overview, ""
        yield i18n.t("tui.key.unit", lang), app.action_pick_unit, ""
        for picker in PICKERS:
            yield i18n.t(f"tui.key.{picker}", lang), partial(app.action_pick, picker), ""
        yield i18n.t("tui.key.clear_filters", lang), app.action_clear_filters, ""

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text or None)
