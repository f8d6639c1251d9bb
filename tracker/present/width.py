"""Terminal cell widths: what lines up columns of Chinese text.

A Chinese character takes two cells (East Asian Wide/Fullwidth), a combining mark or a
zero-width format character none. ``unicodedata`` only, so the CLI, the TUI and the
renderers all measure the same way without a terminal library. The TUI calls these for
every cell of every line it draws: ASCII text takes a fast path, and the widths of
characters and of the (few, repeated) non-ASCII texts are cached.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import accumulate

ELLIPSIS = "…"
_ZERO_CATEGORIES = ("Mn", "Me", "Cf")  # non-spacing and enclosing marks, format characters


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Cells one character takes: 2 wide (CJK), 0 for a combining or format character, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in _ZERO_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@lru_cache(maxsize=4096)
def _wide_text_width(text: str) -> int:
    # the TUI measures the same titles and unit names on every redraw
    return sum(map(char_width, text))


def cell_width(text: str) -> int:
    """Terminal cells ``text`` occupies."""
    if text.isascii():
        return len(text)
    return _wide_text_width(text)


def _cut(text: str, room: int) -> str:
    """The longest start of ``text`` that takes at most ``room`` cells."""
    for i, used in enumerate(accumulate(map(char_width, text))):
        if used > room:
            return text[:i]
    return text


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in ``…`` when cut.

    A wide character that would straddle the last cell is left out, so the result may be one
    cell short of ``width`` (``fit`` pads it back).
    """
    if width <= 0:
        return ""
    if text.isascii():
        return text if len(text) <= width else text[: width - 1] + ELLIPSIS
    if _wide_text_width(text) <= width:
        return text
    return _cut(text, width - 1) + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells (aligned right when ``right``)."""
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` truncated (with ``…``) and padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_width(text)
    if length > width:
        text = (text[: width - 1] if text.isascii() else _cut(text, width - 1)) + ELLIPSIS
        length = cell_width(text)
    gap = " " * (width - length)
    return gap + text if right else text + gap


#: A title's closing part kept whole when the title is cut: "（2020-W16）", "(4月)".
_CLOSERS = {"）": "（", ")": "("}


def fit_title(text: str, width: int) -> str:
    """``fit`` for a title, but cut in its middle so that a closing bracketed part (the
    period: ``…周报（2020-W16）``) stays readable: those are what tell instances apart."""
    if cell_width(text) <= width or not text or text[-1] not in _CLOSERS:
        return fit(text, width)
    start = text.rfind(_CLOSERS[text[-1]])
    tail = text[start:] if start > 0 else ""
    room = width - cell_width(tail) - 1
    if not tail or room < 2:  # too narrow to keep both: the start of the title wins
        return fit(text, width)
    return pad(_cut(text[:start], room) + ELLIPSIS + tail, width)
