"""Reading plan files: bytes → text → TOML data, plus the line of every key.

Data comes from the standard library's ``tomllib`` (fast: a 500k-instance plan must check in
seconds); a file it rejects is parsed again with ``tomlkit`` for a syntax error that names the
problem, with its line and column. Neither parser reports where a key sits, so ``scan_lines``
walks the text once and maps each key path (``("campaign", 0, "task", 2, "owner")``) to its line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.fileio import NotRegular, TooLarge, read_limited
from tracker.plan.model import Diagnostic

Key = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOMLLIB_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOMLKIT_POS = re.compile(r"\s*at line \d+ col \d+\s*$")


@dataclass(slots=True)
class SourceFile:
    """One parsed plan file: its display name, its data and the line of each key path."""

    name: str
    data: dict[str, Any]
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, path: Key) -> int:
        """The line of ``path``, or of its nearest enclosing key or table header (else 1)."""
        lines = self.lines
        for n in range(len(path), 0, -1):
            found = lines.get(path[:n])
            if found is not None:
                return found
        return 1


def plan_files(path: Path) -> list[Path]:
    """The files a plan at ``path`` is read from: the file itself, or every ``*.toml`` directly
    in a directory, sorted by name (plan-format.md). ``OSError`` propagates to the caller."""
    if path.is_dir():
        # Every entry but a real directory: a dangling link, a link loop, a FIFO or an
        # unreadable file is reported by ``read_source``, never skipped (skipping it would let
        # the next reload remove or withdraw that file's tasks).
        return sorted((p for p in path.glob("*.toml") if not _is_dir(p)), key=lambda p: p.name)
    return [path]


def _is_dir(p: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(p).st_mode)
    except OSError:  # dangling, a loop, unreadable: not a directory, reported when read
        return False


#: No plan file is larger (a county's year is well under 1 MB); beyond, it is not a plan.
MAX_PLAN_BYTES = 64 * 1024 * 1024


def read_plan_bytes(path: Path) -> bytes:
    """The bytes of one plan file: a regular file (``NotRegular`` otherwise, so a FIFO never
    hangs ``tracker check``) of at most ``MAX_PLAN_BYTES`` (``TooLarge``)."""
    return read_limited(path, MAX_PLAN_BYTES)


def _diag(name: str, line: int, key: str, col: int | None = None, **params: object) -> Diagnostic:
    return Diagnostic(file=name, line=line, message_key=key, params=dict(params), col=col)


def read_source(path: Path, name: str, diags: list[Diagnostic]) -> SourceFile | None:
    """Read and parse one file; on failure append a diagnostic and return None."""
    try:
        raw = read_plan_bytes(path)
    except FileNotFoundError:
        key = "plan.not_regular" if os.path.lexists(path) else "plan.file_missing"
        diags.append(_diag(name, 1, key, path=name))
        return None
    except IsADirectoryError:
        diags.append(_diag(name, 1, "plan.file_is_dir", path=name))
        return None
    except NotRegular:
        key = "plan.file_is_dir" if path.is_dir() else "plan.not_regular"
        diags.append(_diag(name, 1, key, path=name))
        return None
    except TooLarge:
        limit = MAX_PLAN_BYTES // (1024 * 1024)
        diags.append(_diag(name, 1, "plan.too_large", path=name, limit=limit))
        return None
    except OSError as e:
        if e.errno == errno.ELOOP:
            diags.append(_diag(name, 1, "plan.not_regular", path=name))
            return None
        diags.append(_diag(name, 1, "plan.file_unreadable", path=name, reason=e.strerror or str(e)))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with a BOM
        diags.append(_diag(name, 1, "plan.utf16", col=1))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        diags.append(_diag(name, line, "plan.not_utf8", col=col, byte=f"0x{raw[e.start]:02x}"))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        diags.append(_syntax_error(name, text, e))
        return None
    except RecursionError:  # arrays or inline tables nested thousands deep
        line, col = _too_deep(text)
        diags.append(_diag(name, line, "plan.too_deep", col=col))
        return None
    except (ValueError, OverflowError) as e:  # pathological numbers
        diags.append(_diag(name, 1, "plan.syntax", col=1, message=type(e).__name__))
        return None
    return SourceFile(name=name, data=data, lines=scan_lines(text))


#: Nesting deeper than this is reported where it is first reached (no real plan comes close).
DEEP = 100


def _too_deep(text: str) -> tuple[int, int]:
    """Line and column where brackets first nest deeper than ``DEEP`` (strings ignored)."""
    depth = 0
    quote = ""
    line, col = 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
            quote = ""
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > DEEP:
                return line, col
        elif ch in "]}":
            depth -= 1
    return 1, 1


def _syntax_error(name: str, text: str, err: tomllib.TOMLDecodeError) -> Diagnostic:
    """The syntax error as ``FILE:LINE:COL``, worded by tomlkit when it agrees there is one."""
    message = str(err)
    line, col = 1, 1
    m = _TOMLLIB_POS.search(message)
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        message = message[: m.start()]
    elif message.endswith("(at end of document)"):
        # e.g. an array never closed: point at the end of the text, keep tomllib's wording
        lines = text.split("\n")
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        line, col = len(lines), len(lines[-1]) + 1
        return _diag(name, line, "plan.syntax", col=col, message=message.strip())
    import tomlkit
    from tomlkit.exceptions import ParseError, TOMLKitError

    try:
        tomlkit.parse(text)
    except ParseError as e:  # tomlkit agrees and says it better, with the key's name
        line, col = (e.line, e.col + 1) if e.line else (line, col)
        message = _TOMLKIT_POS.sub("", str(e))
    except TOMLKitError as e:  # e.g. a key defined twice: tomlkit names it, tomllib places it
        message = _TOMLKIT_POS.sub("", str(e))
    except (RecursionError, ValueError, TypeError, KeyError, IndexError):
        pass  # tomlkit failed differently: keep the standard library's wording
    if "\\u000a" in message or "\\u000d" in message:
        # a newline inside a one-line string: the string was never closed on its line
        return _diag(name, max(line, 1), "plan.unclosed_string", col=max(col, 1))
    hint = syntax_hint(text.split("\n")[max(line, 1) - 1] if text else "")
    if hint:
        return _diag(name, max(line, 1), hint, col=max(col, 1), message=message.strip())
    return _diag(name, max(line, 1), "plan.syntax", col=max(col, 1), message=message.strip())


# Full-width punctuation a Chinese input method types where TOML wants ASCII.
IME_PUNCTUATION = "“”‘’＝［］，：｛｝（）＃"
_BARE_NON_ASCII = re.compile(r"^\s*\[{1,2}[^\]\"']*[^\x00-\x7f][^\]\"']*\]{1,2}\s*(#.*)?$")


def syntax_hint(line: str) -> str | None:
    """The message key that explains a syntax error a newcomer makes on ``line``, if any:
    input-method punctuation (“城关镇”, ＝), or a Chinese table name left unquoted."""
    if any(ch in line for ch in IME_PUNCTUATION):
        return "plan.syntax_ime"
    if _BARE_NON_ASCII.match(line):
        return "plan.syntax_non_ascii_key"
    return None


# --- the line scanner --------------------------------------------------------------------


def _parse_key(s: str, i: int) -> tuple[list[str], int]:
    """A dotted TOML key starting at ``s[i]``: its parts and the index after it."""
    parts: list[str] = []
    n = len(s)
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            break
        c = s[i]
        if c == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            quoted = s[i : j + 1]
            try:
                parts.append(str(tomllib.loads(f"k = {quoted}")["k"]))
            except tomllib.TOMLDecodeError:
                parts.append(quoted.strip('"'))
            i = j + 1
        elif c == "'":
            j = s.find("'", i + 1)
            j = n if j < 0 else j
            parts.append(s[i + 1 : j])
            i = j + 1
        else:
            m = _BARE.match(s, i)
            if not m:
                break
            parts.append(m.group())
            i = m.end()
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ".":
            i += 1
            continue
        break
    return parts, i


def _scan_value(s: str, i: int, in_ml: str | None, depth: int) -> tuple[str | None, int]:
    """Follow strings and brackets through ``s[i:]``: still inside a string / how deep."""
    n = len(s)
    while i < n:
        if in_ml is not None:
            k = s.find(in_ml, i)
            while k >= 0 and in_ml == '"""' and _escaped(s, k):
                k = s.find(in_ml, k + 1)
            if k < 0:
                return in_ml, depth
            i = k + 3
            while i < n and s[i] == in_ml[0]:
                i += 1
            in_ml = None
            continue
        c = s[i]
        if c == "#":
            break
        if c == '"' or c == "'":
            if s.startswith(c * 3, i):
                in_ml = c * 3
                i += 3
                continue
            j = i + 1
            if c == '"':
                while j < n and s[j] != '"':
                    j += 2 if s[j] == "\\" else 1
            else:
                j = s.find("'", j)
                j = n if j < 0 else j
            i = j + 1
            continue
        if c == "[" or c == "{":
            depth += 1
        elif c == "]" or c == "}":
            depth -= 1
        i += 1
    return in_ml, depth


def _escaped(s: str, k: int) -> bool:
    count = 0
    while k - 1 - count >= 0 and s[k - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def scan_lines(text: str) -> dict[Key, int]:
    """Map every table header and key (as a resolved path) to its first line."""
    lines: dict[Key, int] = {}
    aot: dict[Key, int] = {}  # array-of-tables path -> number of elements so far
    table: Key = ()
    in_ml: str | None = None
    depth = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        if in_ml is not None or depth > 0:
            in_ml, depth = _scan_value(raw, 0, in_ml, depth)
            continue
        s = raw.lstrip()
        if not s or s[0] == "#":
            continue
        if s[0] == "[":
            is_aot = s.startswith("[[")
            parts, _ = _parse_key(s, 2 if is_aot else 1)
            table = _resolve(parts, aot, lines, lineno, is_aot)
            lines.setdefault(table, lineno)
            continue
        parts, j = _parse_key(s, 0)
        if not parts:
            continue
        path: Key = table
        for part in parts:
            path = (*path, part)
            lines.setdefault(path, lineno)
        eq = s.find("=", j)
        if eq >= 0:
            in_ml, depth = _scan_value(s, eq + 1, None, 0)
    return lines


def _resolve(
    parts: list[str], aot: dict[Key, int], lines: dict[Key, int], lineno: int, is_aot: bool
) -> Key:
    """The resolved path of a header: array-of-tables parents become their last element."""
    resolved: Key = ()
    for k, part in enumerate(parts):
        resolved = (*resolved, part)
        lines.setdefault(resolved, lineno)
        last = k == len(parts) - 1
        if last and is_aot:
            index = aot.get(resolved, 0)
            aot[resolved] = index + 1
            resolved = (*resolved, index)
        elif resolved in aot:
            resolved = (*resolved, aot[resolved] - 1)
    return resolved
