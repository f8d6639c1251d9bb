"""Quantities, rates and progress as text: one way to write each, wherever it is shown."""

from __future__ import annotations

DECIMALS = 6  # as the JSON report rounds: sums of 0.1 steps read 0.3, not 0.30000000000000004


def number_text(value: float | None) -> str:
    """119.0 -> "119", 2.5 -> "2.5", None -> "": quantities as people wrote them."""
    if value is None:
        return ""
    v = round(float(value), DECIMALS)
    if v.is_integer():
        return str(int(v))
    return f"{v:.{DECIMALS}f}".rstrip("0")


def percent(ratio: float | None) -> str:
    """0.571 -> "57.1%" (the weekly report's form), or "—" where there is no denominator."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def progress_text(progress: float | None, target: float | None, unit: str | None) -> str:
    """ "57/119 个行政村" against a target (no progress yet: "0/119"), the bare progress
    without one ("57", or "" when there is none)."""
    if not target:  # a target is positive: none means the task is not measured
        return number_text(progress)
    text = f"{number_text(progress or 0)}/{number_text(target)}"
    return f"{text} {unit}" if unit else text
