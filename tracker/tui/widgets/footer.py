"""The footer: the keys of what the person may do, ``?`` first, only as many as fit.

Textual's footer lays out every shown binding and lets the line cut the last ones in half
(at 80 columns, "? help" was lost after "n no"). This one puts the key map first, since it
explains every other key, and leaves out whole keys from the end that do not fit.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tracker.present import cell_width

#: Shown first, whatever has the focus.
FIRST = ("help", "app.help")


class TrackerFooter(Footer):
    """A compact footer that never cuts a key in half."""

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)

    def _shown(self) -> list[tuple[Binding, bool, str]]:
        seen: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled, tooltip)
        found = list(seen.values())
        return sorted(found, key=lambda b: b[0].action not in FIRST)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        palette = self._palette_key()
        room = self.app.size.width - (palette[1] if palette else 0)
        for binding, enabled, tooltip in self._shown():
            key = self.app.get_key_display(binding)
            need = cell_width(key) + 1 + cell_width(binding.description) + 1
            if need > room:
                break
            room -= need
            yield FooterKey(
                binding.key, key, binding.description, binding.action,
                disabled=not enabled, tooltip=tooltip,
            ).data_bind(compact=Footer.compact)  # fmt: skip
        if palette:
            yield palette[0]

    def _palette_key(self) -> tuple[FooterKey, int] | None:
        """The command palette's key on the right, and the cells it takes."""
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, enabled, _ = found
        key = self.app.get_key_display(binding)
        widget = FooterKey(
            binding.key, key, binding.description, binding.action,
            classes="-command-palette", disabled=not enabled,
            tooltip=binding.tooltip or binding.description,
        )  # fmt: skip
        return widget, cell_width(key) + 1 + cell_width(binding.description) + 2
