"""Key bindings whose descriptions follow ``--lang``.

Bindings are declared on classes with an i18n key as description; each widget or screen
swaps in translated copies when it is created, so the footer and the key map read in the
user's language without a second set of classes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tracker import i18n


def localize(node: DOMNode, lang: str) -> None:
    """Translate the descriptions of ``node``'s bindings into ``lang`` (in place)."""
    node._bindings = BindingsMap.from_keys(
        {
            key: [replace(b, description=i18n.t(b.description, lang)) for b in bindings]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )


def key_label(binding: Binding) -> str:
    """How a binding's keys read in the key map: ``shift+up`` → ``shift+↑``."""
    arrows = {"up": "↑", "down": "↓", "left": "←", "right": "→", "space": "␣"}
    if binding.key_display:
        return binding.key_display
    keys = []
    for key in binding.key.split(","):
        parts = [arrows.get(p, p) for p in key.strip().split("+")]
        keys.append("+".join(parts))
    return "/".join(keys)
