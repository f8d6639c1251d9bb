"""The always-visible statement of the current filter, with clickable quick views.

Staff must never wonder why a task is missing from the list, so every narrowing in force
(scope, unit, problem, people, peer group, tag, statuses, quick view, search) is spelled out
here, with the count it yields.
"""

from __future__ import annotations

from textual.widgets import Static

from tracker import i18n
from tracker.present.safe import markup as escape
from tracker.tui.data import QUICK_VIEWS, STATUS_TOGGLES, ViewFilter

VIEW_KEYS = dict(zip(QUICK_VIEWS, "1234", strict=True))
# 5 … 0, then "-" (the key Textual names "minus") for waived
STATUS_KEYS = dict(zip(STATUS_TOGGLES, [*"567890", "minus"], strict=True))
KEY_LABELS = {"minus": "-"}


class FilterBar(Static):
    """Quick views and status toggles (line 1); scope, unit, search and counts (line 2)."""

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang

    def show(self, flt: ViewFilter, scope: str, total: int | None, selected: int) -> None:
        """Redraw for ``flt``; ``total`` is None while the count is still running."""
        t = self.lang
        chips = []
        for view, key in VIEW_KEYS.items():
            on = flt.view == view
            label = f"{key} {i18n.t('tui.view.' + view, t)}"
            chips.append(self._chip(label, f"app.quick_view('{view}')", on))
        chips.append("│")
        for status, key in STATUS_KEYS.items():
            on = status in flt.statuses
            label = f"{KEY_LABELS.get(key, key)} {i18n.status_label(status, t)}"
            chips.append(self._chip(label, f"app.toggle_status('{status}')", on))
        parts = [i18n.t("tui.bar.scope", t, scope=escape(scope or i18n.t("tui.tree.all", t)))]
        if flt.owner:
            parts.append(i18n.t("tui.bar.owner", t, unit=escape(flt.owner_name or flt.owner)))
        for key, value in (
            ("problem", flt.problem_label or flt.problem),
            ("leader", flt.leader),
            ("responsible", flt.responsible),
            ("kind", flt.kind),
            ("tag", flt.tag),
        ):
            if value:
                parts.append(i18n.t(f"tui.bar.{key}", t, value=escape(value)))
        if flt.search:
            parts.append(i18n.t("tui.bar.search", t, text=escape(flt.search)))
        if total is None:
            parts.append(i18n.t("tui.bar.counting", t))
        else:
            parts.append(i18n.t("tui.bar.total", t, n=f"{total:,}"))
        if selected:
            parts.append("[b]" + i18n.t("tui.bar.selected", t, n=selected) + "[/b]")
        self.update(" ".join(chips) + "\n" + " · ".join(parts))

    @staticmethod
    def _chip(label: str, action: str, on: bool) -> str:
        style = "reverse b" if on else "dim"
        return f"[{style}][@click={action}]{escape(label)}[/][/]"
