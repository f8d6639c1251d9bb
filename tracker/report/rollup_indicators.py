"""The province's indicators (cli-v2.md, roll-up): the counties' own, added up where they share
``task_key``, ``measure`` and ``unit``.

Every figure of an indicator is a sum over its instances (``each``: owners, owners reached and
Σ share are sums too), so the sum of the counties' figures is the figure of all their
instances together; gap = progress − expected again.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.report.outcomes import Indicator


@dataclass(slots=True)
class RollupIndicator:
    task_key: str
    title: str
    unit: str | None
    measure: str
    target: float = 0.0
    progress: float = 0.0
    expected: float = 0.0
    owners: int = 0
    owners_reached: int = 0
    counties: int = 0

    @property
    def gap(self) -> float:
        return self.progress - self.expected


def add_up(per_county: list[list[Indicator]]) -> list[RollupIndicator]:
    """One entry per (task_key, measure, unit), in the order first seen."""
    out: dict[tuple[str, str, str], RollupIndicator] = {}
    for inds in per_county:
        seen: set[tuple[str, str, str]] = set()
        for i in inds:
            key = (i.task_key, i.measure, (i.unit or "").strip())
            r = out.setdefault(key, RollupIndicator(i.task_key, i.title, i.unit, i.measure))
            r.target += i.target
            r.progress += i.progress
            r.expected += i.expected
            r.owners += i.owners
            r.owners_reached += i.owners_reached
            if key not in seen:
                seen.add(key)
                r.counties += 1
    return list(out.values())
