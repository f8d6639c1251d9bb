"""JSON text for the ``--json`` outputs, the JSON report and the JSON ledger.

orjson writes a 500k-instance report (~14 MB) about ten times faster than the standard
library; it keeps key order and writes non-ASCII text as UTF-8, as ``ensure_ascii=False`` does.
"""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any, *, indent: bool = True) -> str:
    """``value`` as JSON text, indented by two spaces unless ``indent`` is false."""
    return dumps_utf8(value, indent=indent).decode()


def dumps_utf8(value: Any, *, indent: bool = True) -> bytes:
    """The same as UTF-8 bytes, for writing a big document without decoding and encoding
    it again (the JSON report of 500k instances is ~14 MB)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
