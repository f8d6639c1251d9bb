"""The driver of a visitor's app under ``tracker serve``: textual's WebDriver, made to end.

``tracker serve`` runs one ``tracker tui`` per browser visitor, talking to it over a pipe
(textual-serve's packet protocol). Textual's ``WebDriver`` has three ways of never ending:

- **A quit during start-up livelocks the app.** A browser that goes away within a second of
  opening the page (a headless screenshot, a closed tab, a reload) sends a resize to its real
  size and then ``quit``. The quit begins textual's shutdown batch while two ``Resize`` events
  of different sizes (the pipe's initial ``COLUMNS``/``ROWS`` and the browser's) are queued on
  the screen; each layout of one re-posts the other to the screen itself, for ever. The
  screen's queue is never empty, so its task never awaits and asyncio runs nothing else: the
  app redraws at 60–94% CPU, the shutdown never runs, and SIGTERM (an asyncio signal handler,
  run by the starved loop) is never handled.
- **End of input is ignored.** When the server goes away (stopped, killed, crashed) the pipe
  reaches end of file; the input thread returns without a word and the app runs on, reparented
  to PID 1, drawing into a closed pipe.
- **A blocked loop cannot be stopped** by anything that needs the loop.

Here, sizes, focus and quits that arrive before the first frame is shown are held and applied
once the app is ready (``app_ready``, called from ``TrackerApp.on_ready``; a focus applied
before the driver's own start-up blur was lost, and with it the table's keys until a click);
end of input, SIGTERM and SIGHUP ask the app to exit; and every request to exit also arms a
watchdog thread that ends the process after ``GRACE_SECONDS`` whatever the event loop is
doing (a thread gets the GIL however busy the loop is; SQLite keeps the database consistent
either way).
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType
from typing import Any

from textual import messages
from textual.drivers.web_driver import WebDriver
from textual.events import AppBlur, AppFocus, Resize
from textual.geometry import Size

from tracker import i18n

#: How long a graceful exit may take before the process is ended anyway.
GRACE_SECONDS = 5.0
#: Exit status of a process the watchdog ended (the graceful exit did not finish in time).
WATCHDOG_STATUS = 75


class VisitorDriver(WebDriver):
    """``WebDriver`` that holds early sizes and quits, and always ends its process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ready = False
        self._held_size: tuple[int, int] | None = None
        self._held_focus: str | None = None  # "focus" or "blur", the browser's last word
        self._exit_wanted = False
        self._watchdog: threading.Timer | None = None
        self._guard = threading.Lock()

    def start_application_mode(self) -> None:
        super().start_application_mode()
        # Python-level handlers run on the main thread between two bytecodes, so they are
        # handled even while the event loop is starved (asyncio's handlers are not).
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.request_exit()

    def app_ready(self) -> None:
        """The first frame is shown: apply what was held meanwhile (UI thread)."""
        with self._guard:
            self._ready = True
            size, self._held_size = self._held_size, None
            focus, self._held_focus = self._held_focus, None
            leave = self._exit_wanted
        if leave:
            self._app.post_message(messages.ExitApp())
            return
        if size is not None:
            self._resize(size)
        if focus is not None:  # after the driver's own AppBlur of start-up
            self._app.post_message(AppFocus() if focus == "focus" else AppBlur())

    def _resize(self, size: tuple[int, int]) -> None:
        self._size = size
        self._app.post_message(Resize(Size(*size), Size(*size)))

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":
            self.request_exit()
            return
        if packet_type in ("focus", "blur"):
            with self._guard:
                if not self._ready:
                    self._held_focus = packet_type
                    return
        elif packet_type == "resize":
            width, height = payload.get("width"), payload.get("height")
            if not (isinstance(width, int) and isinstance(height, int)):
                return
            with self._guard:
                if not self._ready:
                    self._held_size = (width, height)
                    return
            self._resize((width, height))
            return
        super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # end of input, not the app stopping: server gone
            self.request_exit()

    def request_exit(self) -> None:
        """Exit now if the app is ready, else as soon as it is; ended anyway after a grace."""
        with self._guard:
            self._exit_wanted = True
            ready = self._ready
            if self._watchdog is None:
                self._watchdog = threading.Timer(GRACE_SECONDS, _end_process)
                self._watchdog.daemon = True
                self._watchdog.start()
        if ready:
            loop = getattr(self._app, "_loop", None)
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._app.post_message, messages.ExitApp())


def _end_process() -> None:
    """The watchdog's last word: the app did not finish exiting in time."""
    try:
        lang = os.environ.get("TRACKER_LANG", "")
        lang = lang if lang in i18n.LANGS else i18n.default_lang()
        text = i18n.t("serve.watchdog", lang, seconds=GRACE_SECONDS) + "\n"
        os.write(2, text.encode("utf-8"))  # the real stderr: textual captures sys.stderr
    finally:
        os._exit(WATCHDOG_STATUS)
