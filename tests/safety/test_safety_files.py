"""Files: atomic writes, targets that are not regular files, private modes, directory plans
that hide unreadable entries, plan files that are FIFOs or devices (issue #14)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from safety_helpers import SMALL, TODAY, Cli, fails, ok


def _device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), made in the test's own directory."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")
    return path


def test_backup_never_replaces_a_device_fifo_directory_or_their_links(
    small: Cli, tmp_path: Path
) -> None:
    dev = _device(tmp_path / "null")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    links = []
    for target in (dev, fifo, folder, tmp_path / "nowhere"):
        link = tmp_path / f"link-{target.name}"
        link.symlink_to(target)
        links.append(link)
    for target in (dev, fifo, folder, *links):
        r = fails(small, 2, "backup", str(target))
        assert len(r.stderr.strip().splitlines()) == 1
    assert stat.S_ISCHR(os.lstat(dev).st_mode) and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert all(os.path.islink(link) for link in links)
    assert not (tmp_path / "nowhere").exists()
    for args in (["export", "-o", str(dev)], ["report", "weekly", "-o", str(links[0])]):
        fails(small, 2, "--today", TODAY, *args)
        assert stat.S_ISCHR(os.lstat(dev).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_symlink_to_a_regular_file_is_written_through(small: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "l.csv"
    link.symlink_to(real)
    ok(small, "--today", TODAY, "export", "-o", str(link))
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("No.,uid")


def test_a_failed_write_leaves_the_old_file_whole(
    small: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "old.csv"
    out.write_text("the old ledger", encoding="utf-8")
    from tracker import fileio

    def full(path: Path) -> None:  # the data does not fit: flushing it fails
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio, "_fsync", full)
    r = small("--today", TODAY, "export", "-o", str(out))
    assert r.exit_code == 2 and "No space left" in r.stderr, r.stderr
    assert out.read_text(encoding="utf-8") == "the old ledger"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_database_and_backups_are_private(small: Cli, tmp_path: Path, db_path: Path) -> None:
    old = os.umask(0o022)
    try:
        copy = tmp_path / "copy.db"
        ok(small, "backup", str(copy))
        v2 = tmp_path / "v2.toml"
        text = SMALL.read_text(encoding="utf-8")
        v2.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], encoding="utf-8")
        ok(small, "--today", TODAY, "note", "8", "x")
        ok(small, "--today", TODAY, "load", str(v2))  # withdraws #8: an automatic backup
        autos = list((tmp_path / "tracker.db.backups").glob("*.db"))
        assert autos
        for p in (db_path, copy, *autos, tmp_path / "tracker.db.backups"):
            assert stat.S_IMODE(p.stat().st_mode) & 0o007 == 0, (p, oct(p.stat().st_mode))
    finally:
        os.umask(old)


def test_directory_plans_refuse_what_they_cannot_read(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "00-plan.toml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    (plan / "10-dangling.toml").symlink_to(tmp_path / "gone.toml")
    (plan / "20-loop.toml").symlink_to(plan / "20-loop.toml")
    os.mkfifo(plan / "30-fifo.toml")
    for args in (["check", str(plan)], ["load", str(plan)]):
        r = fails(cli, 2, *args)
        for name in ("10-dangling.toml", "20-loop.toml", "30-fifo.toml"):
            assert any(line.startswith(str(plan / name) + ":1: ") for line in r.stderr.splitlines())
    assert not (tmp_path / "tracker.db").exists()


def test_check_on_a_fifo_or_a_device_does_not_hang(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    try:
        os.mknod(zero, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero
    except PermissionError:
        zero = fifo
    for path in (fifo, zero):
        for cmd in ("check", "load"):
            r = fails(cli, 2, cmd, str(path))
            assert "not a regular file" in r.stderr


def test_plan_files_are_read_up_to_a_limit(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.plan import source

    monkeypatch.setattr(source, "MAX_PLAN_BYTES", 1000)
    r = fails(cli, 2, "check", str(SMALL))
    assert "too large" in r.stderr
