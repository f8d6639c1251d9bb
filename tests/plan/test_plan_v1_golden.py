"""A version 1 plan expands to exactly the instances it did before plan format version 2.

``golden/v1_expansion.json`` was written by ``golden/v1_digest.py`` with the code of commit
3be2c79 (the same digests came out of the code just before version 2): per plan, the number of
instances, a digest of every instance's version 1 fields in expansion order (uids, dates,
owners, titles, targets, positions …) and of the due dates the calendar moved.

One deliberate change is held apart: since issue #19 a zh plan's titles read ``{period}`` as
第16周 rather than 2020-W16 (``test_plan_period_labels.py``). The digest is taken with the ISO
reading, so everything else of the bundled zh plan (``county-2020``) is still held to version 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import tracker.plan.expand  # noqa: F401  (the module, loaded for the monkeypatch)

sys.path.insert(0, str(Path(__file__).parent / "golden"))
import v1_digest

GOLDEN = json.loads(v1_digest.OUT.read_text("utf-8"))


def test_every_plan_is_in_the_golden_file() -> None:
    assert sorted(GOLDEN) == sorted(v1_digest.PLANS)


@pytest.mark.parametrize("plan", v1_digest.PLANS)
def test_v1_plan_expands_as_before(plan: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expand_module = sys.modules["tracker.plan.expand"]  # ``tracker.plan.expand`` is a function
    monkeypatch.setattr(expand_module, "period_text", lambda label, lang, year: label or "")
    assert v1_digest.digest(v1_digest.ROOT / plan) == GOLDEN[plan]


def test_only_the_period_reading_of_the_zh_plan_changed() -> None:
    """Without the ISO reading the zh plan's digest differs, and only in titles with a period."""
    plan = "campaigns/county-2020.toml"
    assert v1_digest.digest(v1_digest.ROOT / plan)["digest"] != GOLDEN[plan]["digest"]
    from tracker.plan import read_plan

    titles = [i.title for i in read_plan(v1_digest.ROOT / plan).instances if i.period]
    assert titles and not any("2020-W" in t or "（2020-" in t for t in titles)
