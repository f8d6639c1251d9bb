"""Every file tracker writes or reads from a path someone else chose, done safely.

Writing: to a temporary file beside the target, flushed to disk, then renamed over it. A full
disk or a crash leaves the old file whole (never half-written), and a target that is not a
regular file (a device, a FIFO, a directory, a socket, or a symlink to one of those, or a
symlink to nothing) is refused instead of being replaced: ``tracker backup /dev/null`` run as
root must not turn the device into a file. A symlink to a regular file is written through (the
file it points to is replaced, the link stays). New files are readable by their owner and group
only when ``private`` (the database's copies), else as the umask allows.

Reading: only regular files, opened without blocking (a FIFO never hangs the reader) and read
up to a size limit (``/dev/zero`` is not read until memory runs out).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tracker.errors import BadInput

#: Files holding staff's data (the database, its backups): no access for others.
PRIVATE_MODE = 0o660
PRIVATE_DIR_MODE = 0o770


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def private_mode() -> int:
    """``PRIVATE_MODE`` less the umask's bits (never more than owner and group)."""
    return PRIVATE_MODE & ~_umask()


def resolve_target(path: Path) -> Path:
    """The regular file ``path`` names (through symlinks), or where a new one would go.

    ``BadInput`` for a target that exists but is not a regular file, a dangling symlink, or a
    missing directory."""
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise BadInput("file.cannot_write", path=str(p), reason=e.strerror or str(e)) from e
    if st is not None and stat.S_ISLNK(st.st_mode):
        try:
            real = Path(os.path.realpath(p, strict=True))
            st = os.stat(real)
        except (OSError, RuntimeError) as e:  # dangling, a loop, unreadable
            raise BadInput("file.not_regular", path=str(p)) from e
        p = real
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise BadInput("file.not_regular", path=str(path))
    if not p.parent.is_dir():
        raise BadInput("file.no_dir", path=str(p.parent))
    return p


@contextmanager
def atomic_path(path: Path, *, private: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed over ``path`` when the block ends
    without an error, removed otherwise. Yields the temporary path."""
    target = resolve_target(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as e:
        raise BadInput("file.cannot_write", path=str(path), reason=e.strerror or str(e)) from e
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        mode = private_mode() if private else _existing_mode(target)
        os.chmod(tmp, mode)
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BadInput("file.cannot_write", path=str(path), reason=e.strerror or str(e)) from e
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _existing_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets what the umask allows."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file; the path written."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path, private=private) as tmp, open(tmp, "wb") as f:
        f.write(payload)
    return resolve_target(path)


def write_with(path: Path, fill: Callable[[Path], None], *, private: bool = False) -> None:
    """Let ``fill(tmp)`` write the file (SQLite's backup API, openpyxl), then rename it."""
    with atomic_path(path, private=private) as tmp:
        fill(tmp)


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (if missing) for the database's copies: no access for others."""
    folder.mkdir(mode=PRIVATE_DIR_MODE & ~_umask(), exist_ok=True)


def create_private(path: Path) -> None:
    """Create an empty file at ``path`` readable by owner and group only (a new database, so
    that SQLite's -wal and -shm files, which copy its mode, are private too). An existing file
    is left as it is."""
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, private_mode())
        os.close(fd)


# --- reading ------------------------------------------------------------------------------


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, a device, a directory, a dangling link)."""


class TooLarge(OSError):
    """The file is larger than the reader's limit."""


def open_regular(path: Path) -> int:
    """A read-only descriptor for the regular file at ``path``; ``NotRegular`` otherwise.

    Opened with ``O_NONBLOCK`` so that a FIFO cannot block the open; checked with ``fstat`` on
    the descriptor itself, so nothing can be swapped in between."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"not a regular file: {path}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; ``TooLarge`` past ``limit`` bytes."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than {limit} bytes: {path}")
    return data
