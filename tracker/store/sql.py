"""Small helpers for writing SQL from the domain's vocabulary (statuses, actions)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


def in_list(values: Iterable[StrEnum]) -> str:
    """``('a','b')``: a literal list for ``IN``, sorted so the SQL text is stable.

    Only for the domain's own enum members (never user input): they are plain words.
    """
    words = sorted(str(v) for v in values)
    assert all(w.isidentifier() for w in words)
    return "(" + ",".join(f"'{w}'" for w in words) + ")"
