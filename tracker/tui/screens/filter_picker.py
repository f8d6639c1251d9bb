"""The picker the unit, problem, people, peer-group and tag filters share: a title, an input
that filters the list as you type, a first entry that clears the filter, Enter or a click to
choose, Escape to cancel. Subclasses say how an entry reads and what matches it."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tracker import i18n
from tracker.tui.keys import localize

Item = TypeVar("Item")


class FilterPicker(ModalScreen[Item | None], Generic[Item]):
    """Dismisses with the chosen item, ``clear`` to clear the filter, or ``None`` when
    cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("down", "focus_list", "tui.key.down", show=False),
    ]

    def __init__(self, items: list[Item], clear: Item, lang: str) -> None:
        super().__init__()
        self.items = items
        self.clear = clear
        self.lang = lang
        localize(self, lang)

    def title_text(self) -> str:
        raise NotImplementedError

    def all_text(self) -> str:
        """The first entry, which clears the filter."""
        raise NotImplementedError

    def none_text(self) -> str | None:
        """The entry shown when there is nothing to pick (None: nothing shown)."""
        return None

    def matches(self, item: Item, needle: str) -> bool:
        raise NotImplementedError

    def label(self, item: Item, needle: str) -> str:
        """The entry as Textual markup (untrusted text through ``present.safe.markup``)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(self.title_text(), id="picker-title")
            yield Input(placeholder=i18n.t("tui.units.filter", self.lang), id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_option(Option(self.all_text(), id="*"))
        needle = text.strip().lower()
        for i, item in enumerate(self.items):
            if not needle or self.matches(item, needle):
                options.add_option(Option(self.label(item, needle), id=str(i)))
        empty = self.none_text()
        if not self.items and empty is not None:
            options.add_option(Option(empty, disabled=True))
        options.highlighted = 1 if needle and options.option_count > 1 else 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit_filter(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == "*":
            self.dismiss(self.clear)
        elif option_id is not None:
            self.dismiss(self.items[int(option_id)])

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
