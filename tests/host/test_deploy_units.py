"""The systemd units shipped in deploy/systemd (docs/deploy.md): each parses, names what it
must, and passes ``systemd-analyze verify`` where systemd is installed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
INSTALLED = "/opt/tracker/venv/bin/"
REQUIRED = {
    "tracker-serve.service": {"Unit": {"Description"}, "Install": {"WantedBy"},
                              "Service": {"ExecStart", "User", "Group", "UMask", "Restart"}},
    "litestream.service": {"Unit": {"Description"}, "Install": {"WantedBy"},
                           "Service": {"ExecStart", "User", "Group", "UMask", "Restart"}},
    "tracker-remind.service": {"Unit": {"Description"},
                               "Service": {"ExecStart", "User", "Group", "Type"}},
    "tracker-remind.timer": {"Unit": {"Description"}, "Timer": {"OnCalendar"},
                             "Install": {"WantedBy"}},
}  # fmt: skip


def _parse(path: Path) -> configparser.RawConfigParser:
    cp = configparser.RawConfigParser(strict=False, interpolation=None)
    cp.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    cp.read_string(path.read_text(encoding="utf-8"))
    return cp


def test_every_unit_is_shipped() -> None:
    assert sorted(p.name for p in UNITS.iterdir()) == sorted(REQUIRED)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_unit_parses_with_its_keys(name: str) -> None:
    cp = _parse(UNITS / name)
    for section, keys in REQUIRED[name].items():
        assert cp.has_section(section), section
        assert keys <= set(cp[section]), (section, keys - set(cp[section]))
    if cp.has_section("Service"):
        svc = cp["Service"]
        assert svc["User"] == "tracker" and svc["Group"] == "tracker"
        assert svc["ExecStart"].startswith(INSTALLED)
        assert svc.get("UMask", "0007") == "0007"  # the database: owner and group only


def test_serve_binds_loopback_and_remind_is_timed() -> None:
    serve = _parse(UNITS / "tracker-serve.service")["Service"]["ExecStart"]
    assert " serve " in serve and "--host 127.0.0.1" in serve
    timer = _parse(UNITS / "tracker-remind.timer")["Timer"]
    assert "08:00" in timer["OnCalendar"] and timer["Persistent"] in ("yes", "true")
    ls = _parse(UNITS / "litestream.service")["Service"]["ExecStart"]
    assert "litestream replicate -config /etc/litestream.yml" in ls


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze not installed here")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    """Each unit verified as installed, with the executables it names pointed at this
    environment's (systemd checks that they exist)."""
    assert SYSTEMD_ANALYZE is not None
    bindir = Path(sys.executable).parent
    for unit in UNITS.iterdir():
        text = unit.read_text(encoding="utf-8")
        for exe in ("tracker", "litestream"):
            real = bindir / exe if (bindir / exe).exists() else Path(shutil.which("true") or "")
            text = text.replace(INSTALLED + exe, str(real))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / name) for name in sorted(REQUIRED)]
    r = subprocess.run([SYSTEMD_ANALYZE, "verify", *paths], capture_output=True, text=True,
                       timeout=120, check=False)  # fmt: skip
    ours = [ln for ln in (r.stdout + r.stderr).splitlines() if any(n in ln for n in REQUIRED)]
    if r.returncode != 0 and not ours and "System has not been booted" in r.stderr:
        pytest.skip("systemd-analyze cannot run here: " + r.stderr.strip().splitlines()[-1])
    assert r.returncode == 0 and ours == [], r.stdout + r.stderr
