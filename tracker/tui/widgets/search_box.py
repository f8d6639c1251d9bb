"""The incremental search box: every keystroke narrows the list (titles and notes)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from tracker import i18n
from tracker.tui.keys import localize


class SearchBox(Input):
    """An Input that hands the keyboard back to the list on Enter or Esc, keeping the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.focus_table", "tui.key.back"),
    ]

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(
            placeholder=i18n.t("tui.search.placeholder", lang), id=id, select_on_focus=False
        )
        localize(self, lang)
