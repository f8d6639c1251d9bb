"""Textual's command palette with its own texts in the user's language.

The palette's prompt and its "No matches found" line are English literals inside Textual
(pinned at 8.2.8, so this override is checked by a test against that version).
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tracker import i18n


class TrackerPalette(CommandPalette):
    """The command palette, in ``lang``."""

    def __init__(self, lang: str) -> None:
        super().__init__(
            placeholder=i18n.t("tui.palette.placeholder", lang), id="--command-palette"
        )
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the line translated."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                text = Text(i18n.t("tui.palette.no_match", self.lang), style="not bold")
                self.query_one(CommandList).add_option(
                    Option(Align.center(text), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
