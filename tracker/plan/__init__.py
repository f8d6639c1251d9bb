"""Plan engine: TOML → validated ``Plan`` → expanded ``Instance`` list. Pure: no DB, no UI.

Public entry point::

    read_plan(path: Path) -> Expansion      # raises PlanError with every error found

``PlanError.diagnostics`` lists ``Diagnostic`` records (``FILE:LINE: message``); the exit
status for a bad plan is 2.
"""

from __future__ import annotations
