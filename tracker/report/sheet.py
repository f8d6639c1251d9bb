"""Cells of the workbooks tracker writes (the ledger, the xlsx report): never a formula.

A title or a note typed as ``=HYPERLINK("http://x","click")`` must reach Excel as the text it
is, not as a live formula; and a character XML cannot carry (a BEL in a note) must not make the
export fail. ``put`` is the one way a value enters a cell (``tracker.present.safe`` decides the
text). openpyxl is imported by the callers, lazily.
"""

from __future__ import annotations

from typing import Any

from tracker.present.safe import formula_like, sheet_text


def cell_value(value: Any) -> Any:
    """``value`` as a cell may hold it: text cleaned of what XML cannot carry."""
    return sheet_text(value) if isinstance(value, str) else value


def put(cell: Any, value: Any) -> Any:
    """Set ``cell`` (an openpyxl ``Cell`` or ``WriteOnlyCell``) to ``value`` as data: a text a
    spreadsheet would run as a formula is stored as a string, shown with a quote prefix."""
    v = cell_value(value)
    cell.value = v
    if isinstance(v, str) and formula_like(v):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
