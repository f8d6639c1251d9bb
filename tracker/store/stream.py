"""A first load's rows made by a second process while the store inserts them.

Making half a million rows (the plan engine's instances, then ``task_values``) costs a first
load a quarter of its time, and inserting them is all SQLite and the ``sqlite3`` module's
binding: two jobs for the two cores a county office's machine has. So, for a first load into a
plan with no rows yet (``load._apply`` decides, under the write lock), a forked child makes the
rows, template by template in plan order, and sends them in chunks (``marshal``: plain tuples
of texts, numbers and bytes) through a pipe; the load inserts each chunk as it comes. The rows,
their order and so their ids are those a load without the child gives (``diff.add_rows``).

The child runs only plan code and ``marshal``: it never touches the parent's database
connection and leaves with ``os._exit``. Anything that goes wrong on either side (an error in
the plan code, a child that dies, a duplicate uid) ends the stream; the load then rolls back
and makes the rows itself, so that the one error a user sees is the one a load without the
child reports. Only where ``os.fork`` exists (Linux; not Windows, and not macOS, where forking a
process that has loaded system frameworks is unsafe), the process may use two cores and runs no
other thread.
"""

from __future__ import annotations

import contextlib
import fcntl
import marshal
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from tracker.plan.expand import paused_gc
from tracker.plan.model import TemplateBlock
from tracker.store.rows import stream_values, task_values

CHUNK = 2_000  # rows per message: big enough to be cheap, small enough to start at once
PIPE_SIZE = 1 << 20  # Linux's default limit for a pipe's buffer (fs.pipe-max-size)
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Python 3.10+ on Linux
_HEADER = 5  # a kind byte and a 4-byte little-endian length
_ROWS, _END, _FAILED = b"r", b"e", b"f"


class StreamFailed(Exception):
    """The child could not make every row (the load makes them itself instead)."""


def usable() -> bool:
    """Whether a first load may make its rows in a child process here."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    return len(os.sched_getaffinity(0)) >= 2 and single_threaded()


def single_threaded() -> bool:
    """No other thread runs: one that held a lock (an import's, say) when the process forked
    would leave the child waiting for it forever. The command line has none; a program that
    embeds the store may."""
    return threading.active_count() == 1


class RowStream:
    """The child process making a first load's rows, and the reading end of its pipe."""

    def __init__(self, pid: int, pipe: BinaryIO, plan: str, now: str) -> None:
        self.pid = pid
        self.pipe = pipe
        self.plan = plan
        self.now = now
        self.count = 0  # rows received so far

    @classmethod
    def start(cls, blocks: Sequence[TemplateBlock], plan: str, now: str) -> RowStream:
        """Fork the child; it starts making rows at once (the pipe holds the first ones).

        The rows are ``rows.STREAM_FIELDS`` tuples, for ``rows.stream_insert(plan, now)``.
        """
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError):  # a bigger pipe evens out the two sides' pace
            fcntl.fcntl(write_end, F_SETPIPE_SZ, PIPE_SIZE)
        pid = os.fork()
        if pid == 0:  # the child: plan code and marshal only, then leave without cleanup
            os.close(read_end)
            os._exit(_produce(blocks, plan, now, write_end))
        os.close(write_end)
        return cls(pid, os.fdopen(read_end, "rb", buffering=1 << 20), plan, now)

    def chunks(self) -> Iterator[list[tuple[Any, ...]]]:
        """The rows, a chunk at a time, until the child's end; ``StreamFailed`` otherwise."""
        while True:
            header = self.pipe.read(_HEADER)
            if len(header) < _HEADER:
                raise StreamFailed("the child ended before its last row")
            kind, size = header[:1], int.from_bytes(header[1:], "little")
            body = self.pipe.read(size)
            if len(body) < size:
                raise StreamFailed("the child ended in the middle of a chunk")
            if kind == _END:
                return
            if kind != _ROWS:
                raise StreamFailed(body.decode("utf-8", "replace"))
            rows: list[tuple[Any, ...]] = marshal.loads(body)
            self.count += len(rows)
            yield rows

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        self.pipe.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _produce(blocks: Sequence[TemplateBlock], plan: str, now: str, fd: int) -> int:
    """The child's work: every block's rows into ``fd``; its exit status."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C stops the child outright
    out = os.fdopen(fd, "wb", buffering=1 << 20)
    code = 0
    try:
        with paused_gc():
            chunk: list[tuple[Any, ...]] = []
            append = chunk.append
            for block in blocks:
                for inst in block.instances():
                    if inst.plan != plan:
                        raise ValueError(f"an instance of plan {inst.plan!r} in {plan!r}")
                    append(stream_values(task_values(inst, now)))
                    if len(chunk) >= CHUNK:
                        _send(out, _ROWS, marshal.dumps(chunk))
                        chunk.clear()
            if chunk:
                _send(out, _ROWS, marshal.dumps(chunk))
        _send(out, _END, b"")
    except BaseException as e:
        code = 1
        with contextlib.suppress(OSError):  # the parent may have stopped reading
            _send(out, _FAILED, repr(e).encode())
    try:
        out.close()
    except OSError:
        code = 1
    return code


def _frame_size(body: bytes) -> bytes:
    return len(body).to_bytes(_HEADER - 1, "little")


def _send(out: BinaryIO, kind: bytes, body: bytes) -> None:
    out.write(kind + _frame_size(body))
    out.write(body)
