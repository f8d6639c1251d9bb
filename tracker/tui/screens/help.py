"""The key map on ``?``: every binding of the list, the filters and the app, as bound, and
what the list's markers and colours mean.

It is generated from the classes' own BINDINGS, so it cannot drift from what keys do.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker import i18n
from tracker.present import pad
from tracker.present.safe import markup as escape
from tracker.tui.keys import key_label, localize

#: The list's row markers and colours, explained after the keys.
LEGEND = ("late", "postponed", "selected", "soon", "closed", "sort")


class HelpScreen(ModalScreen[None]):
    """A scrollable two-column key map, grouped by where the keys work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss_help", "tui.key.close"),
    ]

    def __init__(self, groups: list[tuple[str, list[BindingType]]], lang: str) -> None:
        super().__init__()
        self.groups = groups
        self.lang = lang
        localize(self, lang)

    def compose(self) -> ComposeResult:
        lines = [f"[b]{i18n.t('tui.help.title', self.lang)}[/b]", ""]
        for title, bindings in self.groups:
            lines.append(f"[b u]{escape(title)}[/b u]")
            for b in bindings:
                if isinstance(b, Binding) and b.description:
                    keys = escape(pad(key_label(b), 16))
                    lines.append(f"  [b]{keys}[/b] {escape(i18n.t(b.description, self.lang))}")
            lines.append("")
        lines.append(f"[b u]{i18n.t('tui.help.legend', self.lang)}[/b u]")
        lines += [f"  {escape(i18n.t(f'tui.legend.{k}', self.lang))}" for k in LEGEND]
        lines.append("")
        lines.append(f"[dim]{i18n.t('tui.help.mouse', self.lang)}[/dim]")
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(lines), id="help-body")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
