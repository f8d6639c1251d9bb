"""Line breaking by Chinese rules (cli-v2.md), for every text tracker wraps for a terminal.

Generic wrappers (``textwrap``, rich's) break at spaces and count characters, not cells: a
closing bracket or a comma lands at the start of a line, ``A级`` splits at ``A``. Here:

- widths are terminal cells (``width.char_width``: a Chinese character takes two);
- no line starts with closing punctuation and none ends with opening punctuation: the
  punctuation stays with its neighbour, which moves down with it;
- a run of Latin letters, digits and other narrow signs (``2020-W16``, ``40/119``) is never
  split, unless the run alone is wider than the line;
- anywhere else a line may break between two Chinese characters, or at a space (which the
  break consumes). A newline in the text always breaks.
"""

from __future__ import annotations

from tracker.present.width import cell_width, char_width

#: no line starts with one of these
CLOSING = frozenset("）】」』》〉〕］｝，。、；：！？…·%)]}>,.;:!?”’")
#: no line ends with one of these
OPENING = frozenset("（【「『《〈〔［｛([{<“‘")
_SPACE_TEXT = " \t\u3000"
_SPACES = frozenset(_SPACE_TEXT)


def _word_char(ch: str) -> bool:
    """Part of an unbreakable narrow run: not a space, not wide."""
    return ch not in _SPACES and char_width(ch) < 2


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The nearest characters other than spaces before and after the gap ``i``."""
    before = text[:i].rstrip(_SPACE_TEXT)
    after = text[i:].lstrip(_SPACE_TEXT)
    return before[-1:], after[:1]


def may_break(text: str, i: int, *, words: bool = True) -> bool:
    """Whether a line may break at the gap before ``text[i]``: not before closing punctuation
    nor after opening punctuation (spaces between them aside), not before a zero-width mark,
    and (with ``words``) not inside a run of Latin letters and digits."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if b not in _SPACES and char_width(b) == 0:
        return False
    if words and _word_char(a) and _word_char(b):
        return False
    before, after = _neighbours(text, i) if a in _SPACES or b in _SPACES else (a, b)
    return after not in CLOSING and before not in OPENING


def _units(text: str) -> list[str]:
    """``text`` (one paragraph) cut at every gap where a line may break."""
    units: list[str] = []
    last = 0
    for i in range(1, len(text)):
        if may_break(text, i):
            units.append(text[last:i])
            last = i
    units.append(text[last:])
    return units


def _cuts(unit: str, width: int) -> list[int]:
    """The gaps of a unit wider than the line where it may still be cut: where the
    punctuation rules allow, inside a Latin run only if the run alone is wider than the line."""
    cuts: list[int] = []
    run_start = 0
    long_run: dict[int, bool] = {}
    for i in range(1, len(unit)):
        if not (_word_char(unit[i - 1]) and _word_char(unit[i])):
            run_start = i
            if may_break(unit, i, words=False):
                cuts.append(i)
            continue
        if run_start not in long_run:
            j = i
            while j < len(unit) and _word_char(unit[j]):
                j += 1
            long_run[run_start] = cell_width(unit[run_start:j]) > width
        if long_run[run_start] and may_break(unit, i, words=False):
            cuts.append(i)
    return cuts


def _stripped_width(text: str) -> int:
    return cell_width(text.rstrip(_SPACE_TEXT)) if text.strip(_SPACE_TEXT) else 0


def _split_wide(unit: str, width: int) -> list[str]:
    """A unit wider than the line in pieces of at most ``width`` cells, cut at ``_cuts``
    (a piece runs over only where no cut lies in reach). The cuts are those of the whole
    unit: a long run stays cuttable to its end (``00000、`` at 3 cells: ``000``, ``0``, ``0、``)."""
    cuts = _cuts(unit, width)
    pieces: list[str] = []
    start = 0
    while cell_width(unit[start:]) > width:
        ahead = [c for c in cuts if c > start and _stripped_width(unit[start:c])]
        fitting = [c for c in ahead if _stripped_width(unit[start:c]) <= width]
        cut = fitting[-1] if fitting else (ahead[0] if ahead else 0)
        if not cut:
            break
        pieces.append(unit[start:cut].rstrip(_SPACE_TEXT))
        start = cut
        while start < len(unit) and unit[start] in _SPACES:
            start += 1
    pieces.append(unit[start:])
    return pieces


def _paragraph(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    for unit in _units(text):
        w = cell_width(unit)
        if used + w > width and line.strip(_SPACE_TEXT):
            lines.append(line.rstrip(_SPACE_TEXT))
            line, used = "", 0
        if not line and lines:  # the break consumes the spaces
            unit = unit.lstrip(_SPACE_TEXT)
            w = cell_width(unit)
        if used + w > width:
            *full, line = _split_wide(line + unit, width)
            lines += full
            used = cell_width(line)
            continue
        line, used = line + unit, used + w
    lines.append(line.rstrip(_SPACE_TEXT))
    return lines


def wrap(text: str, width: int, *, fold: bool = False) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells by Chinese rules.

    A line is wider than ``width`` only where no allowed break lies within it (a punctuation
    chain at a tiny width); ``fold`` cuts such a line at the width anyway, for a drawer that
    would crop it. Nothing but the spaces a break consumes is dropped, nothing is reordered.
    An empty text is one empty line.
    """
    width = max(1, width)
    out: list[str] = []
    for para in text.split("\n"):
        out += _paragraph(para, width)
    if fold and any(cell_width(line) > width for line in out):
        out = [piece for line in out for piece in _fold(line, width)]
    return out


def _fold(line: str, width: int) -> list[str]:
    """``line`` cut at ``width`` cells, for a drawer that would crop it: still no piece
    starts with closing punctuation or ends with opening punctuation where moving a
    character or two down avoids it (``（2020-W06`` / ``）`` becomes ``（2020-W0`` / ``6）``)."""
    pieces, piece, used = [], "", 0
    for ch in line:
        w = char_width(ch)
        if used + w > width and piece:
            cut = _fold_cut(piece, ch, width)
            pieces.append(piece[:cut])
            piece = piece[cut:]
            used = cell_width(piece)
        piece, used = piece + ch, used + w
    return [*pieces, piece]


def _fold_cut(piece: str, after: str, width: int) -> int:
    """Where to cut ``piece`` (``after`` comes next): the latest gap that the punctuation
    rules allow, with what moves down still within ``width`` and one character kept; else
    its end."""
    rest = piece + after
    for cut in range(len(piece), 0, -1):
        if cell_width(rest[cut:]) > width:
            break
        if rest[cut] not in CLOSING and rest[cut - 1] not in OPENING:
            return cut
    return len(piece)


def widest_unit(text: str) -> int:
    """The widest piece of ``text`` that no break may fall inside (a column's least width)."""
    return max((cell_width(u) for p in text.split("\n") for u in _units(p)), default=0)
