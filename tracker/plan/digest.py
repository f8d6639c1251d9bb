"""A digest of everything an expansion depends on, so a reload of unchanged files can be skipped.

The expansion is a pure function of the plan files' bytes, the code that expands them and the
holiday calendar data. Hashing those three lets ``tracker load`` recognise a plan it has already
loaded without parsing or expanding it again (at county scale that is seconds per reload).
"""

from __future__ import annotations

from hashlib import blake2b
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import tracker
from tracker.plan.source import plan_files, read_plan_bytes

#: Changes when the same files expand to other instances or other reference data (plan format
#: v2: measures, peer groups, calendar overrides stored; a zh plan's ``{period}`` as 第16周),
#: so a reload after an upgrade is not skipped as unchanged.
EXPANSION_FORMAT = "plan-v2+zh-period"


def _holidays_version() -> str:
    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the package
        return "unknown"


def source_digest(path: Path) -> str | None:
    """The digest of the plan at ``path`` (a file or a directory of ``*.toml``), or ``None``.

    ``None`` means "cannot tell" (unreadable, missing, empty directory): the caller then takes
    the normal path, which reports the problem properly.
    """
    try:
        files = plan_files(path)
        if not files:
            return None
        h = blake2b(digest_size=16)
        code = f"tracker {tracker.__version__} ({EXPANSION_FORMAT})"
        h.update(f"{code}; holidays {_holidays_version()}\n".encode())
        for f in files:
            data = read_plan_bytes(f)  # a FIFO or /dev/zero: OSError, never a hang
            h.update(f"{f.name}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()
    except OSError:
        return None
