"""A small modal form for the actions that need words or numbers (reason, progress, date).

The store validates the values; the form only collects them, so a bad value comes back
as the store's own message, in the user's language, like any other refusal.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tracker.tui.keys import localize


class PromptScreen(ModalScreen[list[str] | None]):
    """Asks for one or more values; dismisses with them, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str]], lang: str) -> None:
        """``fields`` are ``(label, initial value)`` pairs."""
        super().__init__()
        self.title_text = title
        self.fields = fields
        localize(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Label(self.title_text, id="prompt-title")
            for i, (label, value) in enumerate(self.fields):
                yield Label(label, classes="prompt-label")
                yield Input(value=value, id=f"prompt-{i}", classes="prompt-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.dismiss([i.value for i in inputs])

    def action_cancel(self) -> None:
        self.dismiss(None)
