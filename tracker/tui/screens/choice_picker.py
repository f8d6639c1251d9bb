"""Pick a problem (整改问题), a person (责任领导 or 责任人), a peer group or a tag to narrow
the list to, beside the unit picker.

One screen for the four pickers: each offers a list of ``Choice`` read by a worker when it
opens, filtered as you type, each with the number of live tasks it selects. The first entry
clears that picker's filter.
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
from tracker.tui.data import Choice
from tracker.tui.keys import localize

#: What ``ChoicePicker`` dismisses with to clear its filter.
CLEAR = Choice("", "", "")


class ChoicePicker(ModalScreen[Choice | None]):
    """Dismisses with the chosen entry, ``CLEAR`` to clear, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("down", "focus_list", "tui.key.down", show=False),
    ]

    def __init__(self, picker: str, choices: list[Choice], lang: str) -> None:
        super().__init__()
        self.picker = picker
        self.choices = choices
        self.lang = lang
        localize(self, lang)

    def compose(self) -> ComposeResult:
        t = self.lang
        with Vertical(id="picker-box"):
            yield Label(i18n.t(f"tui.pick.{self.picker}.title", t), id="picker-title")
            yield Input(placeholder=i18n.t("tui.units.filter", t), id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")

    def _label(self, c: Choice) -> str:
        text = markup(c.label)
        if c.value != c.label:  # a problem: its title, then its key
            text += f" [dim]{markup(c.value)}[/dim]"
        if self.picker == "people":
            text = f"[dim]{i18n.t(f'tui.pick.role.{c.field}', self.lang)}[/dim] {text}"
        return f"{text} [dim]({c.count:,})[/dim]"

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_option(Option(i18n.t(f"tui.pick.{self.picker}.all", self.lang), id="*"))
        needle = text.strip().lower()
        for i, c in enumerate(self.choices):
            if needle and needle not in c.label.lower() and needle not in c.value.lower():
                continue
            options.add_option(Option(self._label(c), id=str(i)))
        if not self.choices:
            options.add_option(
                Option(i18n.t(f"tui.pick.{self.picker}.none", self.lang), disabled=True)
            )
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
            self.dismiss(CLEAR)
        elif option_id is not None:
            self.dismiss(self.choices[int(option_id)])

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
