"""The ranges every number and date must fall in where it enters tracker.

A value outside them is bad input at the door (a command's argument, a ledger cell, a plan
field), so nothing unrepresentable is ever stored: no progress of 1e20 that JSON writes as an
integer no reader takes, no ``Infinity`` in the event log, no date whose next week does not
exist. The ranges are wide enough for any real county's work.
"""

from __future__ import annotations

import math
from datetime import date

#: Targets and progress: finite, 0 ≤ x ≤ 10^15 (exact in a float, far above any real count).
MAX_QUANTITY = 1e15
#: Dates taken from outside (--today, --week, postpone, --due, a ledger): these years only.
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Task ids are SQLite integers: a longer number names no task.
MAX_ID = 2**63 - 1


def quantity_ok(value: float) -> bool:
    """Whether ``value`` is a progress or target tracker can store and print exactly."""
    return math.isfinite(value) and 0 <= value <= MAX_QUANTITY


def date_ok(value: date) -> bool:
    """Whether ``value`` lies in the supported years."""
    return MIN_YEAR <= value.year <= MAX_YEAR
