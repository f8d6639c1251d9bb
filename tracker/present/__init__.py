"""How values read on screen and on paper: cell widths, lines broken by Chinese rules,
relative dates, numbers, progress, bars, fitted tables and state changes, written once for the
CLI, the TUI and the reports.

A core package: no typer, rich or textual (``tracker list`` starts fast and the renderers
stay light), only ``unicodedata`` and the i18n catalogue. One value has one text wherever it
is shown: the TUI's table and the CLI's list print the same ``3天后`` and ``40/119 个``.
"""

from tracker.present.bars import bar
from tracker.present.changes import state_changes
from tracker.present.dates import relative_due
from tracker.present.numbers import number_text, percent, progress_text
from tracker.present.table import fit_table
from tracker.present.width import cell_width, char_width, fit, fit_title, pad, truncate
from tracker.present.wrap import wrap

__all__ = [
    "bar",
    "cell_width",
    "char_width",
    "fit",
    "fit_table",
    "fit_title",
    "number_text",
    "pad",
    "percent",
    "progress_text",
    "relative_due",
    "state_changes",
    "truncate",
    "wrap",
]
