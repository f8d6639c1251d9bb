"""Over SSH, as ``docs/deploy.md`` says hosts do it: Debian's OpenSSH with a forced command.

A throwaway ``sshd`` listens on 127.0.0.1 with its own host key and an ``authorized_keys``
whose only key may run nothing but ``tracker --user 王芳 tui`` (``restrict,pty,command=…``).
The test logs in with that key, as another account would (root, here), asking for a command
of its own, ticks off a task in the TUI, and finds the history saying 王芳 did it; then the
client goes away without a word and the TUI must go with it. Skipped where sshd or ssh is not
installed (``.ci/run`` installs openssh-server on Debian).
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import events, visitor_pids

SSHD = Path("/usr/sbin/sshd")
SSH = shutil.which("ssh")
KEYGEN = shutil.which("ssh-keygen")

pytestmark = pytest.mark.skipif(
    not (SSHD.exists() and SSH and KEYGEN),
    reason="OpenSSH is not installed (apt-get install openssh-server openssh-client)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> str:
    subprocess.run([str(KEYGEN), "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


def _tracker() -> str:
    """The ``tracker`` console script of the Python running the tests."""
    found = Path(sys.executable).parent / "tracker"
    return str(found) if found.exists() else f"{sys.executable} -m tracker"


@pytest.fixture
def sshd(tmp_path: Path, managed_db: Path) -> Iterator[tuple[int, Path]]:
    """An sshd on a loopback port; the key whose forced command is 王芳's TUI."""
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    host_key = home / "host_key"
    _keygen(host_key)
    client_key = home / "client_key"
    public = _keygen(client_key)
    forced = f"TRACKER_DB={managed_db} TRACKER_LANG=en {_tracker()} --user 王芳 tui"
    keys = home / "authorized_keys"
    keys.write_text(f'restrict,pty,command="{forced}" {public}\n', encoding="utf-8")
    keys.chmod(0o600)
    port = _free_port()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"ListenAddress 127.0.0.1:{port}",
                f"HostKey {host_key}",
                f"AuthorizedKeysFile {keys}",
                f"PidFile {home / 'sshd.pid'}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                "AcceptEnv LANG LC_*",
                "",
            ]
        )
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
    daemon = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if daemon.poll() is not None or time.monotonic() > deadline:
            error = daemon.stderr.read().decode() if daemon.stderr else ""
            pytest.skip(f"sshd would not start here: {error.strip()[:300]}")
        time.sleep(0.1)
    try:
        yield port, client_key
    finally:
        daemon.terminate()
        daemon.wait(10)


class Terminal:
    """An ``ssh -tt`` session: what it draws, and keys typed into it."""

    def __init__(self, port: int, key: Path, *command: str) -> None:
        argv = [
            str(SSH), "-tt", "-i", str(key), "-p", str(port), "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", f"{getpass.getuser()}@127.0.0.1", *command,
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.out = bytearray()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while data := self.proc.stdout.read1(65536):  # type: ignore[attr-defined]
            self.out += data

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.out:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{text!r} never drawn over SSH: {bytes(self.out[-400:])!r}")
            time.sleep(0.1)

    def type(self, keys: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(keys.encode())
        self.proc.stdin.flush()


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(what)
        time.sleep(0.2)


def test_the_forced_command_acts_as_its_person(sshd: tuple[int, Path], managed_db: Path) -> None:
    port, key = sshd
    # The client asks for a command of its own: the forced command runs instead.
    term = Terminal(port, key, "tracker", "--user", "admin", "verify", "1")
    term.wait_for("城关镇开展")  # the title, cut or not at 80 columns
    time.sleep(1.0)
    term.type("d")
    _wait(
        lambda: any(a == "done" for _, a, _ in events(managed_db)),
        20,
        f"no done recorded: {bytes(term.out[-300:])!r}",
    )
    done = [(user, action) for user, action, _ in events(managed_db) if action != "load"]
    assert done == [("王芳", "done")]
    term.type("q")
    assert term.proc.wait(20) == 0
    _wait(lambda: not visitor_pids(managed_db), 10, "the TUI outlived its SSH session")


def test_the_tui_ends_when_the_ssh_client_goes_away(
    sshd: tuple[int, Path], managed_db: Path
) -> None:
    port, key = sshd
    term = Terminal(port, key)
    term.wait_for("城关镇开展")  # the title, cut or not at 80 columns
    assert visitor_pids(managed_db)
    term.proc.send_signal(signal.SIGKILL)  # the laptop lid closed, the network gone
    term.proc.wait(10)
    _wait(lambda: not visitor_pids(managed_db), 15, "the TUI outlived its SSH connection")
