"""One visitor's app: a ``tracker tui`` process behind textual-serve's packet protocol.

textual-serve's ``AppService`` runs its command through a shell and asks the app to quit when
the browser goes away, then waits for it for ever. Here the process is started without a
shell (a fixed argv; the acting person goes in the environment, ``TRACKER_USER``, never on a
command line), in a process group of its own, with ``tracker.tui.web.VisitorDriver``; and
``stop`` makes sure it ends: quit, end of input, then SIGTERM and SIGKILL to the whole group,
each after a grace. The app's standard error is summed up as one line in the server's log,
never replayed as a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import shlex
import signal
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from tracker import i18n
from tracker.present.safe import terminal

log = logging.getLogger("tracker.serve")

DRIVER = "tracker.tui.web:VisitorDriver"
#: Seconds given to each step of stopping: the app's own quit, then SIGTERM, then SIGKILL.
#: The quit gets 6 s: on a busy 2-core host a Python app can take 3 s to end by itself.
QUIT_WAIT = 6.0
TERM_WAIT = 2.0
PRELUDE = b"__GANGLION__\n"
STDERR_KEEP = 64 * 1024


class VisitorService(AppService):
    """``AppService`` with a shell-free, grouped, always-ended process."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
        label: str,
        lang: str,
    ) -> None:
        super().__init__(
            shlex.join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = list(argv)
        self.extra_env = env
        self.label = label  # who, for the log
        self.lang = lang
        self.started = asyncio.Event()  # the app printed its prelude
        self.failure: str | None = None  # the app's last words, when it did not start
        self._stopping: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        env.update(self.extra_env)
        env["TEXTUAL_DRIVER"] = DRIVER
        # glibc keeps what a big query freed; give it back (−12 MB a visitor at 500k)
        env.setdefault("MALLOC_ARENA_MAX", "2")
        env.setdefault("MALLOC_TRIM_THRESHOLD_", "131072")
        env.pop("TEXTUAL", None)  # no devtools for visitors
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,  # its own group: stopped as a whole, never orphaned
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    # -- running -------------------------------------------------------------------------

    async def run(self) -> None:
        """Relay the app's packets to the browser until its output ends."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        errors = io.BytesIO()
        err_task = asyncio.create_task(_collect(process.stderr, errors))
        try:
            if await _prelude(process.stdout):
                self.started.set()
                await self._relay(process.stdout)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the app ended, or the browser did
        finally:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(err_task), 1.0)
            err_task.cancel()
        self._report(errors.getvalue())
        await self._farewell()

    async def _farewell(self) -> None:
        """The app has ended: the browser is told why when it did not start, then closed."""
        with contextlib.suppress(ConnectionError, RuntimeError):
            if self.failure is not None:
                text = i18n.t("serve.app.failed", self.lang, reason=self.failure)
                await self.remote_write_bytes(("\r\n  " + text + "\r\n").encode("utf-8"))
            await self.remote_close()

    async def _relay(self, stdout: asyncio.StreamReader) -> None:
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            handler = handlers.get(kind)
            if handler is not None:
                await handler(payload)

    def _report(self, stderr: bytes) -> None:
        """The app's standard error as one line in the log (its last line says what)."""
        lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        if not lines:
            return
        last = terminal(lines[-1].strip())[:300]
        if not self.started.is_set():
            self.failure = last
        log.warning(i18n.t("serve.log.app_said", self.lang, name=self.label, text=last))

    # -- stopping ------------------------------------------------------------------------

    def stop_soon(self) -> asyncio.Task[None]:
        """The task that ends the app (started on the first call): it runs to its end even
        when whoever awaits it is cancelled."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop())
        return self._stopping

    async def stop(self) -> None:
        """End the app, whatever it is doing; safe to call more than once, concurrently."""
        await asyncio.shield(self.stop_soon())

    async def _stop(self) -> None:
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is not None and process.returncode is None:
            if self._stdin is not None:
                await self.send_meta({"type": "quit"})
                with contextlib.suppress(OSError, RuntimeError):
                    self._stdin.close()  # end of input: the driver exits on it too
            await self._end(process)
        if self._task is not None:
            task, self._task = self._task, None
            try:
                await asyncio.wait_for(task, QUIT_WAIT)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()

    async def _end(self, process: Process) -> None:
        """Wait for the app to leave; then SIGTERM, then SIGKILL its whole process group."""
        for signum, wait in ((None, QUIT_WAIT), (signal.SIGTERM, TERM_WAIT), (signal.SIGKILL, 5)):
            if signum is not None:
                if process.returncode is not None:
                    break
                _signal_group(process.pid, signum)
                name = signal.Signals(signum).name
                log.warning(i18n.t("serve.log.app_signalled", self.lang, name=self.label, sig=name))
            try:
                await asyncio.wait_for(process.wait(), wait)
                break
            except TimeoutError:
                continue


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


async def _collect(stream: asyncio.StreamReader, into: io.BytesIO) -> None:
    """Keep the end of ``stream`` (at most ``STDERR_KEEP`` bytes)."""
    while data := await stream.read(4096):
        into.write(data)
        if into.tell() > 2 * STDERR_KEEP:
            tail = into.getvalue()[-STDERR_KEEP:]
            into.seek(0)
            into.truncate()
            into.write(tail)


async def _prelude(stdout: asyncio.StreamReader) -> bool:
    """Whether the app announced itself (the WebDriver's first line) before anything else."""
    for _ in range(10):
        line = await stdout.readline()
        if not line:
            return False
        if line == PRELUDE:
            return True
    return False
