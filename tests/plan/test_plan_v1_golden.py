"""A version 1 plan expands to exactly the instances it did before plan format version 2.

``golden/v1_expansion.json`` was written by ``golden/v1_digest.py`` with the code of commit
3be2c79 (the same digests came out of the code just before version 2): per plan, the number of
instances, a digest of every instance's version 1 fields in expansion order (uids, dates,
owners, titles, targets, positions …) and of the due dates the calendar moved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))
import v1_digest

GOLDEN = json.loads(v1_digest.OUT.read_text("utf-8"))


def test_every_plan_is_in_the_golden_file() -> None:
    assert sorted(GOLDEN) == sorted(v1_digest.PLANS)


@pytest.mark.parametrize("plan", v1_digest.PLANS)
def test_v1_plan_expands_as_before(plan: str) -> None:
    assert v1_digest.digest(v1_digest.ROOT / plan) == GOLDEN[plan]
