"""The one text bar: a share drawn in eighths of a cell, so small changes still show."""

from __future__ import annotations

FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"  # index n: n eighths of a cell
TRACK = "░"
NO_FIGURE = "·"


def bar(ratio: float | None, width: int) -> tuple[str, str]:
    """A bar of ``width`` cells filled to ``ratio`` (clamped to 0..1): (filled part, track).

    The two parts come apart so a face can colour them; ``"".join`` gives the plain bar.
    Dots where there is no figure (nothing due yet), so "0 %" and "no figure" differ.
    """
    if ratio is None:
        return "", NO_FIGURE * width
    eighths = round(max(0.0, min(1.0, ratio)) * width * 8)
    full, part = divmod(eighths, 8)
    filled = FULL * full + (EIGHTHS[part] if part else "")
    return filled, TRACK * (width - len(filled))
