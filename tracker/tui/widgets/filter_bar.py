"""The always-visible statement of the current filter, with clickable quick views.

Staff must never wonder why a task is missing from the list, so every narrowing in force
(scope, unit, problem, people, peer group, tag, statuses, quick view, search) is spelled out
here, with the count it yields, and the order the list is in. Each line is one terminal
line: at 80 columns the chips lose their spaces, then the labels of the closed statuses not in
force, rather than wrapping over the scope line.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from tracker import i18n
from tracker.present import cell_width
from tracker.present.safe import markup as escape
from tracker.tui.data import STATUS_TOGGLES, ViewFilter

#: "!" (the overdue marker) for "today and overdue", then 1 … 4.
VIEW_KEYS = {"now": "exclamation_mark", "today": "1", "week": "2", "overdue": "3", "all": "4"}
# 5 … 0, then "-" (the key Textual names "minus") for waived
STATUS_KEYS = dict(zip(STATUS_TOGGLES, [*"567890", "minus"], strict=True))
KEY_LABELS = {"minus": "-", "exclamation_mark": "!"}


class FilterBar(Static):
    """Quick views and status toggles (line 1); scope, unit, search and counts (line 2)."""

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self._shown: tuple[ViewFilter, str, int | None, int] | None = None
        self._drawn: str | None = None

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, flt: ViewFilter, scope: str, total: int | None, selected: int) -> None:
        """Redraw for ``flt``; ``total`` is None while the count is still running."""
        self._shown = (flt, scope, total, selected)
        text = self._chips(flt) + "\n" + " · ".join(self._parts(flt, scope, total, selected))
        if text != self._drawn:  # a refresh in place mostly shows the same: nothing to draw
            self._drawn = text
            self.update(text)

    def _chips(self, flt: ViewFilter) -> str:
        """The first form of line 1 that fits the bar's width."""
        t, room = self.lang, max(1, self.size.width - 2)
        # (the gap after a key, how many statuses keep their label: the open ones first)
        forms = [(" ", len(STATUS_KEYS)), ("", len(STATUS_KEYS)), ("", 3), ("", 0)]
        for gap, labelled in forms:
            chips: list[tuple[str, str, bool]] = []
            for view, key in VIEW_KEYS.items():
                label = f"{KEY_LABELS.get(key, key)}{gap}{i18n.t('tui.view.' + view, t)}"
                chips.append((label, f"app.quick_view('{view}')", flt.view == view))
            chips.append(("│", "", False))
            for i, (status, skey) in enumerate(STATUS_KEYS.items()):
                on = status in flt.statuses
                chip = KEY_LABELS.get(skey) or skey
                if i < labelled or on:
                    chip += gap + i18n.status_label(status, t)
                chips.append((chip, f"app.toggle_status('{status}')", on))
            width = sum(cell_width(c[0]) + 1 for c in chips)
            if width <= room:
                break
        return " ".join(self._chip(*c) for c in chips)

    def _parts(self, flt: ViewFilter, scope: str, total: int | None, selected: int) -> list[str]:
        t = self.lang
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
        if flt.sort != "due":
            parts.append(i18n.t("tui.bar.sort", t, by=i18n.t(f"tui.sort.{flt.sort}", t)))
        if selected:
            parts.append("[b]" + i18n.t("tui.bar.selected", t, n=selected) + "[/b]")
        return parts

    @staticmethod
    def _chip(label: str, action: str, on: bool) -> str:
        if not action:
            return escape(label)
        style = "reverse b" if on else "dim"
        return f"[{style}][@click={action}]{escape(label)}[/][/]"
