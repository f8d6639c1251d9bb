"""Untrusted text made safe to show: in a terminal, in Textual/Rich markup, in a spreadsheet.

Every title, unit name, note and ledger cell was typed by someone else. Shown raw, an ESC
sequence rewrites the clipboard (``ESC ]52;``), the window title or clears the screen; a ``[``
is read as markup by the TUI; ``=HYPERLINK(…)`` becomes a live formula in Excel. The helpers
here are the one place that decides how such text is shown; HTML keeps ``html.escape``.

The terminal form (``terminal``) writes every control character as a visible escape:
``\\xNN`` for C0, DEL and C1 controls (ESC → ``\\x1b``, a newline → ``\\x0a``), ``\\uNNNN`` for
the bidirectional and line/paragraph separator controls (U+202A…U+202E, U+2066…U+2069,
U+200E/U+200F, U+061C, U+2028, U+2029). The escape is plain ASCII, one cell per character, so
tables stay aligned, and a newline in a one-line field can never forge a line of output.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls, the bidirectional controls and the line and paragraph
# separators: everything that moves the cursor, talks to the terminal or reorders text.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# Controls a multi-line text (a plan's 说明, a note shown as a block) may keep as they are.
_LINE_BREAKS = "\n"


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_control(text: str, *, allow: str = "") -> bool:
    """Whether ``text`` holds a control character (other than those in ``allow``)."""
    return any(ch not in allow for ch in _CONTROL.findall(text))


def terminal(text: object) -> str:
    """``text`` for a terminal line: every control character shown as its escape."""
    s = "" if text is None else str(text)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub(_visible, s)


def terminal_block(text: object) -> str:
    """Like ``terminal``, but newlines kept: for a text shown as several lines of its own."""
    s = "" if text is None else str(text)
    return "\n".join(terminal(line) for line in s.split(_LINE_BREAKS))


# --- markup -------------------------------------------------------------------------------

_ZWSP = "\u200b"


def markup(text: object) -> str:
    """``text`` inside Textual markup (``Static``, ``Label``, notifications), shown as itself.

    Textual opens a tag at any ``[`` not preceded by a backslash and drops one backslash
    before an escaped ``[``: so every ``[`` gets one more backslash. A backslash at the very end
    would escape the ``[`` of the markup that follows, so a zero-width space ends such a text
    (and stands between a backslash and a ``[`` of the text's own).
    Control characters are made visible first (``terminal``).
    """
    s = terminal(text)
    if "[" in s:
        # a backslash of the text's own just before a "[" would pair with the escape: keep
        # the two apart with a zero-width space
        s = s.replace("\\[", "\\" + _ZWSP + "[").replace("[", "\\[")
    if s.endswith("\\"):
        s += _ZWSP
    return s


_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def rich_markup(text: object) -> str:
    """``text`` inside Rich console markup: ``rich.markup.escape``'s rule (which the core may
    not import), after ``terminal``. Rich reads only ``[`` followed by a tag-like word as a tag,
    and pairs of backslashes before one as literal backslashes; a backslash of the text's own
    before a ``[`` is kept apart from it by a zero-width space (Rich drops it otherwise)."""
    s = terminal(text).replace("\\[", "\\" + _ZWSP + "[")  # as in ``markup``

    def escape_backslashes(m: re.Match[str]) -> str:
        backslashes, tag = m.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    s = _RICH_TAG.sub(escape_backslashes, s)
    if s.endswith("\\") and not s.endswith("\\\\"):
        s += "\\"
    return s


# --- spreadsheets -------------------------------------------------------------------------

#: A text beginning with one of these is a formula (or becomes one) in Excel, LibreOffice and
#: Google Sheets: it is written as text in xlsx and behind a ``'`` in csv.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_PREFIX = "'"
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF, CR.
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_START)


def sheet_text(text: str) -> str:
    """A text value as an xlsx cell may hold it: characters XML 1.0 cannot carry (BEL, ESC,
    …) shown as their escapes, so that no note ever makes an export fail."""
    if not _XLSX_ILLEGAL.search(text):
        return text
    return _XLSX_ILLEGAL.sub(_visible, text)


def csv_cell(value: object) -> object:
    """A csv cell: text that a spreadsheet would run as a formula (or that starts with the
    prefix itself) behind a ``'``; numbers as they are. ``csv_uncell`` undoes it."""
    if not isinstance(value, str):
        return value
    if formula_like(value) or value.startswith(CSV_PREFIX):
        return CSV_PREFIX + value
    return value


def csv_uncell(text: str) -> str:
    """A csv cell as exported: the ``'`` that ``csv_cell`` put before a formula-like text (or
    before another ``'``) removed; anything else as it is."""
    if text.startswith(CSV_PREFIX) and (formula_like(text[1:]) or text[1:].startswith(CSV_PREFIX)):
        return text[1:]
    return text


# --- chat robots --------------------------------------------------------------------------

#: What 企业微信 and 钉钉 robots read as markup in a markdown message: ``<@ID>`` mentions someone
#: (``<@all>`` the whole group), ``[text](url)`` hides a link behind text, ``*``, `` ` ``, ``#``,
#: ``>`` and ``|`` restyle the message. Each becomes its full-width form, which reads the same.
_CHAT = str.maketrans(
    {"<": "＜", ">": "＞", "[": "［", "]": "］", "*": "＊", "`": "｀", "#": "＃", "|": "｜"}
)


def chat(text: object) -> str:
    """Untrusted text inside a chat robot's markdown message: one line (a newline as a
    space), control characters visible (``terminal``), and no character the robot would take
    for markup or a mention."""
    s = "" if text is None else str(text)
    return terminal(s.replace("\r\n", " ").replace("\n", " ")).translate(_CHAT)
