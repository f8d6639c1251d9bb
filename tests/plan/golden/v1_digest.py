"""The version 1 expansion of the bundled plans, as a digest: uids, dates and every field.

``python tests/plan/golden/v1_digest.py`` writes ``v1_expansion.json`` beside it. It was
generated with the code of commit 3be2c79 (and checked against the code just before plan
format version 2), and is committed: ``test_plan_v1_golden.py`` holds every later version to
the same instances for the same version 1 plans. Only the version 1 fields are hashed (in a
fixed order, dates as ISO text), so fields that version 2 adds do not enter the digest.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
#: The plans held to their version 1 expansion (paths from the repository root).
PLANS = (
    "campaigns/county-2020.toml",
    "tests/fixtures/plans/spec-example.toml",
    "tests/fixtures/contract/contract.toml",
    "tests/fixtures/contract/merged",
    "tests/fixtures/report/small.toml",
    "tests/fixtures/store/county.toml",
    "tests/people/plan.toml",
    "tests/tui/plans/county.toml",
    "tests/plan/golden/generated-v1.toml",  # benchmarks/generate.py --instances 5000
)
V1_FIELDS = (
    "uid", "plan", "campaign", "task_key", "title", "owner", "start", "due", "support",
    "leader", "period", "target", "unit", "priority", "tags", "notes", "after", "position",
)  # fmt: skip
OUT = Path(__file__).with_name("v1_expansion.json")


def _value(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, tuple):
        return list(v)
    return v


def digest(path: Path) -> dict[str, Any]:
    """Count, digest of every instance's version 1 fields, and of the moved due dates."""
    from tracker.plan import read_plan

    exp = read_plan(path)
    h = hashlib.sha256()
    for inst in exp.instances:
        row = [_value(getattr(inst, f)) for f in V1_FIELDS]
        h.update(json.dumps(row, ensure_ascii=False).encode())
        h.update(b"\n")
    moved = hashlib.sha256()
    for m in exp.moved:
        moved.update(f"{m.uid}|{m.nominal}|{m.due}|{m.line}\n".encode())
    return {
        "instances": len(exp.instances),
        "digest": h.hexdigest(),
        "moved": len(exp.moved),
        "moved_digest": moved.hexdigest(),
        "first_uid": exp.instances[0].uid if exp.instances else None,
        "last_uid": exp.instances[-1].uid if exp.instances else None,
    }


def all_digests() -> dict[str, Any]:
    return {p: digest(ROOT / p) for p in PLANS}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    OUT.write_text(json.dumps(all_digests(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(OUT)
