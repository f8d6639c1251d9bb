"""The reliability suite (issue #6): prints the counts its closing note needs."""

from __future__ import annotations

import pytest
from rel_helpers import COUNTS

LABELS = {
    "malformed_plans": "malformed plans (corpus cases)",
    "malformed_runs": "malformed-plan runs (check + load)",
    "bad_commands": "bad commands tried",
    "fuzz_examples": "fuzz examples",
    "reload_examples": "reload-safety examples",
    "reloads": "reloads checked",
    "kills": "kills survived",
    "concurrent_writes": "concurrent writes (none lost)",
    "backups": "backups verified",
}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COUNTS:
        return
    terminalreporter.section("reliability counts")
    for key, label in LABELS.items():
        if COUNTS.get(key):
            terminalreporter.write_line(f"{label}: {COUNTS[key]}")
