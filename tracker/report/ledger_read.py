"""Reading a ledger file someone hands back: bounded, whatever it holds.

csv is read as UTF-8 (with or without a BOM) or, failing that, GB18030 (GBK's superset: what
Excel on Chinese Windows writes). xlsx is scanned as a stream before openpyxl sees it: a
workbook that declares or holds more than ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns, a cell
over ``MAX_CELL`` characters, or a DTD (entity expansion) is refused before anything is loaded
into memory, so a 5 KB file declaring A1:XFD1048576 or a 1.5 MB one holding a 1.5 GB string
costs nothing. Only regular files are read (a FIFO, a device: refused). The csv ``'`` that
export put before a formula-like text is removed again.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from tracker import i18n
from tracker.errors import BadInput
from tracker.fileio import NotRegular, TooLarge, read_limited
from tracker.present.safe import csv_uncell

MAX_ROWS = 1_000_000  # data rows (the header comes on top)
MAX_COLUMNS = 200
MAX_CELL = 32_767  # Excel's own limit for a cell
MAX_TEXT = 1 << 28  # characters of text in all the shared strings of a workbook
MAX_FILE = 512 * 1024 * 1024  # bytes of a ledger file, csv or xlsx
_CHUNK = 1 << 16
_REF = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?$")

Rows = list[tuple[int, list[str]]]


def cell(value: Any) -> str:
    """A cell's value as text: ``None`` empty, ``119.0`` as ``119``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def read_rows(path: Path) -> Rows:
    """``(line or row number, cells)`` of every row of a CSV or xlsx ledger, header included."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise BadInput("ledger.bad_format", path=str(path))
    try:
        raw = read_limited(path, MAX_FILE)
    except FileNotFoundError as e:
        raise BadInput("ledger.unreadable", path=str(path), reason="no such file") from e
    except NotRegular as e:
        raise BadInput("file.not_regular", path=str(path)) from e
    except TooLarge as e:
        raise _too_big(path, "bytes", MAX_FILE) from e
    except OSError as e:
        raise BadInput("ledger.unreadable", path=str(path), reason=e.strerror or str(e)) from e
    if suffix == ".csv":
        return _csv_rows(path, raw)
    return _xlsx_rows(path, raw)


class TooBig(BadInput):
    """A ledger past one of the limits; ``what`` is rows, columns, cell or text."""

    def render(self, lang: str) -> str:
        params = dict(self.params)
        params["what"] = i18n.t(f"ledger.too_big.{params['what']}", lang)
        return i18n.t(self.key, lang, **params)


def _too_big(path: Path, what: str, limit: int) -> BadInput:
    return TooBig("ledger.too_big", path=str(path), what=what, limit=limit)


def decode(raw: bytes) -> str:
    """A csv's text: UTF-8 (a BOM dropped), else GB18030; ``UnicodeDecodeError`` if neither."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _csv_rows(path: Path, raw: bytes) -> Rows:
    try:
        text = decode(raw)
    except UnicodeDecodeError as e:
        raise BadInput("ledger.unreadable", path=str(path), reason=str(e)) from e
    out: Rows = []
    old_limit = csv.field_size_limit(MAX_CELL)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        start = 1
        for cells in reader:
            if len(out) > MAX_ROWS:
                raise _too_big(path, "rows", MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise _too_big(path, "columns", MAX_COLUMNS)
            out.append((start, [cell(csv_uncell(c)) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as e:
        if "field larger" in str(e):
            raise _too_big(path, "cell", MAX_CELL) from e
        raise BadInput("ledger.unreadable", path=str(path), reason=str(e)) from e
    finally:
        csv.field_size_limit(old_limit)
    return out


def _xlsx_rows(path: Path, raw: bytes) -> Rows:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            scan_workbook(path, z)
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            return [
                (n, [cell(c) for c in row[:MAX_COLUMNS]])
                for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
        finally:
            wb.close()
    except BadInput:
        raise
    except Exception as e:  # zipfile and openpyxl raise many kinds for a corrupt file
        raise BadInput(
            "ledger.unreadable", path=str(path), reason=str(e) or type(e).__name__
        ) from e


def scan_workbook(path: Path, z: zipfile.ZipFile) -> None:
    """Refuse a workbook past the limits, streaming through its sheets and shared strings."""
    for info in z.infolist():
        name = info.filename
        if name == "xl/sharedStrings.xml" or (
            name.startswith("xl/worksheets/") and name.endswith(".xml")
        ):
            with z.open(info) as f:
                _Scan(path, name == "xl/sharedStrings.xml").run(f)


class _Scan:
    """One XML part read through expat in chunks: counts, never keeps, its text."""

    def __init__(self, path: Path, shared: bool) -> None:
        self.path = path
        self.shared = shared
        self.rows = 0
        self.text = 0  # characters of the cell (or shared string) being read
        self.total = 0
        self.in_text = False
        p = expat.ParserCreate(namespace_separator=" ")
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.doctype
        self.parser = p

    def run(self, f: IO[bytes]) -> None:
        while chunk := f.read(_CHUNK):
            self.parser.Parse(chunk, False)
        self.parser.Parse(b"", True)

    def doctype(self, *_: Any) -> None:
        raise BadInput("ledger.unreadable", path=str(self.path), reason="DTD in a workbook")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rsplit(" ", 1)[-1]
        if tag == "dimension":
            last = attrs.get("ref", "").split(":")[-1]
            self.check_ref(last)
        elif tag == "row":
            self.rows += 1
            r = attrs.get("r", "")
            if self.rows > MAX_ROWS + 1 or (r.isdigit() and int(r) > MAX_ROWS + 1):
                raise _too_big(self.path, "rows", MAX_ROWS)
        elif tag == "c":
            self.check_ref(attrs.get("r", ""))
            self.text = 0
        elif tag == "si":
            self.text = 0
        elif tag in ("t", "v"):
            self.in_text = True
            if not self.shared:
                self.text = 0

    def end(self, name: str) -> None:
        if name.rsplit(" ", 1)[-1] in ("t", "v"):
            self.in_text = False

    def chars(self, data: str) -> None:
        if not self.in_text:
            return
        self.text += len(data)
        self.total += len(data)
        if self.text > MAX_CELL:
            raise _too_big(self.path, "cell", MAX_CELL)
        if self.total > MAX_TEXT:
            raise _too_big(self.path, "text", MAX_TEXT)

    def check_ref(self, ref: str) -> None:
        m = _REF.match(ref)
        if not m:
            return
        letters, digits = m.groups()
        if letters:
            col = 0
            for ch in letters.upper():
                col = col * 26 + ord(ch) - 64
            if col > MAX_COLUMNS:
                raise _too_big(self.path, "columns", MAX_COLUMNS)
        if digits and int(digits) > MAX_ROWS + 1:
            raise _too_big(self.path, "rows", MAX_ROWS)
