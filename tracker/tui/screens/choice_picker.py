"""Pick a problem (整改问题), a person (责任领导 or 责任人), a peer group or a tag to narrow
the list to, beside the unit picker.

One screen for the four pickers: each offers a list of ``Choice`` read by a worker when it
opens, filtered as you type, each with the number of live tasks it selects. The first entry
clears that picker's filter.
"""

from __future__ import annotations

from tracker import i18n
from tracker.present.safe import markup
from tracker.tui.data import Choice
from tracker.tui.screens.filter_picker import FilterPicker

#: What ``ChoicePicker`` dismisses with to clear its filter.
CLEAR = Choice("", "", "")


class ChoicePicker(FilterPicker[Choice]):
    """Dismisses with the chosen entry, ``CLEAR`` to clear, or ``None`` when cancelled."""

    def __init__(self, picker: str, choices: list[Choice], lang: str) -> None:
        self.picker = picker
        super().__init__(choices, CLEAR, lang)

    def title_text(self) -> str:
        return i18n.t(f"tui.pick.{self.picker}.title", self.lang)

    def all_text(self) -> str:
        return i18n.t(f"tui.pick.{self.picker}.all", self.lang)

    def none_text(self) -> str:
        return i18n.t(f"tui.pick.{self.picker}.none", self.lang)

    def matches(self, c: Choice, needle: str) -> bool:
        return needle in c.label.lower() or needle in c.value.lower()

    def label(self, c: Choice, needle: str) -> str:
        text = markup(c.label)
        if c.value != c.label:  # a problem: its title, then its key
            text += f" [dim]{markup(c.value)}[/dim]"
        if self.picker == "people":
            text = f"[dim]{i18n.t(f'tui.pick.role.{c.field}', self.lang)}[/dim] {text}"
        return f"{text} [dim]({c.count:,})[/dim]"
