"""``[[problem]]`` tables: the findings a 整改 plan rectifies (plan format v2).

A problem is reported by the tasks that name it (``problem = "p1"``): they are its measures
(整改措施). Keys are unique across all files of the plan, like campaign keys.
"""

from __future__ import annotations

from typing import Any

from tracker.plan.fields import UNIT_KEY, UNIT_KEY_TEXT, Loc, Reporter, Table
from tracker.plan.model import Problem

PROBLEM_KEYS = ("key", "title", "source", "leader")


def problems(found: list[tuple[dict[str, Any], Loc]], rep: Reporter) -> dict[str, Problem]:
    """Every valid ``[[problem]]`` by key, in plan order; each misfit reported at its line."""
    out: dict[str, Problem] = {}
    seen: dict[str, Loc] = {}
    for data, loc in found:
        t = Table(data, loc, rep)
        key = t.ident("key", UNIT_KEY, UNIT_KEY_TEXT, required=True)
        if key is not None:
            t.loc = loc = Loc(loc.src, loc.path, f"[[problem]] '{key}'")
        t.check_keys(PROBLEM_KEYS)
        title = t.string("title", required=True)
        source = t.string("source")
        leader = t.names("leader")
        if key is None:
            continue
        first = seen.get(key)
        if first is not None:
            other = f"{first.src.name}:{first.line('key')}"
            rep.error(loc, ("key",), "plan.dup_key", value=key, other=other)
            continue
        seen[key] = loc
        # a missing title is reported above; the key stays known, so that its measures are
        # not reported as well
        out[key] = Problem(key=key, title=title or key, source=source, leader=leader)
    return out
