"""``tracker serve`` refusing to start: one line on stderr and exit 2, never "serving" first.

And the rules behind it: loopback binds, origins, the trusted header's name.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.errors import BadInput
from tracker.serve import rules
from tracker.serve.rules import Origins, ServeOptions


def _serve(db: Path, *args: str, user: str = "admin") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRACKER_DB=str(db), TRACKER_USER=user, TRACKER_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "tracker", "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""  # no "serving on …" before the failure
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_a_busy_port_is_one_line_and_exit_2(open_db_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _serve(open_db_path, "--host", "127.0.0.1", "--port", str(port))
    _refused(result, str(port), "in use")


def test_an_open_database_is_not_served_beyond_loopback(open_db_path: Path) -> None:
    _refused(_serve(open_db_path, "--host", "0.0.0.0", "--port", "0"), "0.0.0.0", "loopback")


def test_trust_header_needs_a_loopback_bind(managed_db: Path) -> None:
    result = _serve(managed_db, "--host", "0.0.0.0", "--trust-header", "X-Remote-User")
    _refused(result, "--trust-header", "loopback")


@pytest.mark.parametrize(
    "args, word",
    [
        (["--trust-header", "X Remote"], "--trust-header"),
        (["--public-url", "ftp://x"], "--public-url"),
        (["--public-url", "https://tracker.example/app"], "--public-url"),
        (["--max-sessions", "0"], "max-sessions"),
        (["--port", "70000"], "port"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(managed_db: Path, args: list[str], word: str) -> None:
    _refused(_serve(managed_db, "--host", "127.0.0.1", *args), word)


def test_a_managed_database_needs_the_server_user_in_the_roster(managed_db: Path) -> None:
    result = _serve(managed_db, "--port", "0", user="stranger")
    assert result.returncode == 1 and "stranger" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
    ],
)
def test_loopback_binds(host: str, loopback: bool) -> None:
    assert rules.is_loopback_bind(host) is loopback


def test_the_start_up_rules() -> None:
    rules.check(ServeOptions(host="0.0.0.0"), managed=True)  # a roster signs people in
    with pytest.raises(BadInput):
        rules.check(ServeOptions(host="0.0.0.0"), managed=False)
    with pytest.raises(BadInput):
        rules.check(ServeOptions(host="0.0.0.0", trust_header="X-Remote-User"), managed=True)
    rules.check(ServeOptions(host="127.0.0.1", trust_header="X-Remote-User"), managed=False)
    rules.check(ServeOptions(public_url="https://tracker.example.gov.cn/"), managed=True)


def test_origins_of_a_loopback_server() -> None:
    seen = Origins(ServeOptions(host="127.0.0.1", port=8000))
    assert seen.origin_allowed(None, "127.0.0.1:8000")
    assert seen.origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert seen.origin_allowed("http://localhost:8000", "localhost:8000")
    assert not seen.origin_allowed("http://localhost:8000", "127.0.0.1:8000")
    assert not seen.origin_allowed("http://evil.example", "127.0.0.1:8000")
    assert not seen.origin_allowed("null", "127.0.0.1:8000")
    assert not seen.host_allowed("evil.example:8000")
    assert seen.host_allowed("[::1]:8000")


def test_origins_behind_a_proxy() -> None:
    seen = Origins(ServeOptions(host="127.0.0.1", public_url="https://tracker.example.gov.cn"))
    assert seen.host_allowed("tracker.example.gov.cn")
    assert seen.origin_allowed("https://tracker.example.gov.cn", "127.0.0.1:8000")
    assert not seen.origin_allowed("https://evil.example", "tracker.example.gov.cn")
    wide = Origins(ServeOptions(host="0.0.0.0", port=8000))
    assert wide.host_allowed("tracker.county.lan:8000")
    assert wide.origin_allowed("http://tracker.county.lan:8000", "tracker.county.lan:8000")
    assert not wide.origin_allowed("http://evil.example", "tracker.county.lan:8000")
