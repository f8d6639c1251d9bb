"""A small modal form for the actions that need words or numbers (reason, progress, date).

The store validates the values; the form only collects them. It stays open until the App
says the action was written: a bad value comes back as the store's own message, shown in
the form under the fields, and what was typed (the reason of a postponement) is kept.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tracker.present.safe import markup
from tracker.tui.keys import localize


class PromptScreen(ModalScreen[None]):
    """Asks for one or more values; posts ``Answered``, closes when cancelled or told to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
    ]

    class Answered(Message):
        """Every field was submitted; ``values`` in the fields' order."""

        def __init__(self, prompt: PromptScreen, values: list[str]) -> None:
            self.prompt = prompt
            self.values = values
            super().__init__()

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
            yield Label("", id="prompt-error")

    @property
    def values(self) -> list[str]:
        """What the fields hold now."""
        return [i.value for i in self.query(Input)]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.post_message(self.Answered(self, self.values))

    def show_error(self, text: str) -> None:
        """A refusal of the values: shown here, the fields kept, the first one focused."""
        error = self.query_one("#prompt-error", Label)
        error.update(markup(text))
        error.display = True
        self.query(Input).first().focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
