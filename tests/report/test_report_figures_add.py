"""``Figures.add`` names its fields one by one (for speed): it must add every one of them."""

from __future__ import annotations

from dataclasses import fields

from tracker.report.model import Figures


def test_add_sums_every_field() -> None:
    names = [f.name for f in fields(Figures)]
    a = Figures(**{n: i + 1 for i, n in enumerate(names)})
    b = Figures(**{n: 100 * (i + 1) for i, n in enumerate(names)})
    a.add(b)
    assert {n: getattr(a, n) for n in names} == {n: 101 * (i + 1) for i, n in enumerate(names)}
    assert set(names) == set(Figures.__slots__)
