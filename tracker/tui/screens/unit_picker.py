"""Pick a responsible unit (its subtree included) to narrow the list to.

Counties have hundreds of units (bureaus, townships, villages), so the picker filters as
you type and keeps the parent tree's indentation so that 城关镇's villages read as its own.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tracker import i18n
from tracker.present.safe import markup
from tracker.tui.data import UnitNode
from tracker.tui.keys import localize

ALL_UNITS = UnitNode(plan="", key="", name="", depth=0)


class UnitPicker(ModalScreen[UnitNode | None]):
    """Dismisses with the chosen unit, ``ALL_UNITS`` to clear, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("down", "focus_list", "tui.key.down", show=False),
    ]

    def __init__(self, units: list[UnitNode], lang: str) -> None:
        super().__init__()
        self.units = units
        self.lang = lang
        localize(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(i18n.t("tui.units.title", self.lang), id="picker-title")
            yield Input(placeholder=i18n.t("tui.units.filter", self.lang), id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_option(Option(i18n.t("tui.units.all", self.lang), id="*"))
        needle = text.strip().lower()
        for i, u in enumerate(self.units):
            if needle and needle not in u.name.lower() and needle not in u.key.lower():
                continue
            indent = "  " * (0 if needle else u.depth)
            label = f"{indent}{markup(u.name)} [dim]{markup(u.key)}[/dim]"
            options.add_option(Option(label, id=str(i)))
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
            self.dismiss(ALL_UNITS)
        elif option_id is not None:
            self.dismiss(self.units[int(option_id)])

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
