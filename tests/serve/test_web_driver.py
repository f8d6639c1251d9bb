"""``tracker.tui.web.VisitorDriver``: a visitor's app ends by itself, whatever the browser did.

Each test runs ``python -m tracker … tui`` as ``tracker serve`` does (the driver named in
``TEXTUAL_DRIVER``, packets on its standard input) and speaks textual-serve's protocol to it.
With textual's own ``WebDriver`` the first test's app never ends: it redraws at 60–94% CPU
(the quit during start-up, with two sizes queued, livelocks textual's screen), and so does
the app of the end-of-input tests (nothing notices).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tracker.tui import web

DRIVER = "tracker.tui.web:VisitorDriver"


def _packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def _meta(**fields: object) -> bytes:
    return _packet(b"M", json.dumps(fields).encode())


class App:
    """A visitor's app process; its output read (and counted) as the server would."""

    def __init__(self, argv: list[str], driver: str = DRIVER) -> None:
        env = dict(os.environ, TEXTUAL_DRIVER=driver, COLUMNS="133", ROWS="39")
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        self.out = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while data := self.proc.stdout.read1(65536):  # type: ignore[attr-defined]
            self.out += data

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_drawn(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.out) < 2000:
            assert time.monotonic() < deadline, bytes(self.out[-200:])
            time.sleep(0.05)

    def ended(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"the app was still running {timeout} s later")

    def close_input(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()


def _tui(db: Path) -> list[str]:
    return [sys.executable, "-m", "tracker", "--db", str(db), "--user", "tester", "tui"]


@pytest.fixture
def tui(open_db_path: Path) -> list[str]:
    return _tui(open_db_path)


def test_a_quit_during_start_up_after_a_resize_ends_the_app(tui: list[str]) -> None:
    """The headless-screenshot visit: the browser's size, another, and gone 0.4 s in."""
    app = App(tui)
    app.send(_meta(type="resize", width=133, height=39))
    time.sleep(0.15)
    app.send(_meta(type="resize", width=133, height=44))
    time.sleep(0.25)
    app.send(_meta(type="quit"))
    assert app.ended(timeout=web.GRACE_SECONDS - 1) == 0  # by itself, not by the watchdog


@pytest.mark.parametrize("when", ["starting", "running"])
def test_end_of_input_ends_the_app(tui: list[str], when: str) -> None:
    """The server went away (stopped, killed): the pipe ends, and so does the app."""
    app = App(tui)
    app.send(_meta(type="resize", width=100, height=44))
    if when == "running":
        app.wait_drawn()
    app.close_input()
    assert app.ended(timeout=web.GRACE_SECONDS + 5) in (0, web.WATCHDOG_STATUS)


def test_sigterm_ends_the_app(tui: list[str]) -> None:
    app = App(tui)
    app.wait_drawn()
    app.proc.send_signal(signal.SIGTERM)
    assert app.ended(timeout=web.GRACE_SECONDS - 1) == 0


def test_the_held_size_is_applied_once_the_app_is_ready(tui: list[str]) -> None:
    app = App(tui)
    app.send(_meta(type="resize", width=100, height=30))
    app.wait_drawn()
    time.sleep(1.0)
    before = len(app.out)
    app.send(_meta(type="resize", width=90, height=25))
    time.sleep(1.0)
    assert len(app.out) > before  # redrawn at the new size
    app.send(_meta(type="quit"))
    assert app.ended(timeout=web.GRACE_SECONDS) == 0


SPINNER = """
import sys
from textual.app import App
class Spin(App[None]):
    def on_ready(self) -> None:
        getattr(self._driver, "app_ready")()
        print("ready", file=sys.stderr, flush=True)
    def on_key(self) -> None:
        while True:  # the event loop never runs again
            pass
Spin().run()
"""


@pytest.mark.parametrize("how", ["end of input", "SIGTERM"])
def test_the_watchdog_ends_an_app_whose_loop_never_runs_again(how: str) -> None:
    app = App([sys.executable, "-c", SPINNER])
    app.wait_drawn()
    app.send(_packet(b"D", b"x"))  # the key that starts the spin
    time.sleep(0.5)
    if how == "SIGTERM":
        app.proc.send_signal(signal.SIGTERM)
    else:
        app.close_input()
    assert app.ended(timeout=web.GRACE_SECONDS + 5) == web.WATCHDOG_STATUS
    assert app.proc.stderr is not None
    assert b"did not exit" in app.proc.stderr.read()
