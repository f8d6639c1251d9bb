"""Who may serve where, and which requests are the server's own (people.md, "Signing in").

Pure: no aiohttp, no sockets opened. The server asks these rules at start-up (``check``) and on
every request (``Origins``).

- An open database (no roster) has no sign-in, so it is served on loopback addresses only.
- ``--trust-header``: a reverse proxy on this machine has signed the person in and names them
  in that header, so the server must be reachable only through it: a loopback bind.
- A request whose ``Origin`` is not the server's own is refused (cross-site WebSockets and
  forms). On a loopback bind, a ``Host`` that is not a loopback name is refused too: a web page
  whose name was made to resolve to 127.0.0.1 (DNS rebinding) would otherwise be same-origin.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.errors import BadInput

#: A header name as RFC 9110 spells a token.
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """``tracker serve``'s options, as given."""

    host: str = "localhost"
    port: int = 8000
    public_url: str | None = None
    trust_header: str | None = None
    max_sessions: int = 100


def _bare(host: str) -> str:
    """``[::1]`` → ``::1``; names lower-cased, without a trailing dot."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".")


def is_loopback_name(host: str) -> bool:
    """Whether ``host`` (a name or an address, no port) means this machine only, without
    asking DNS: ``localhost`` and its kind, 127.0.0.0/8, ::1."""
    bare = _bare(host)
    if bare in LOOPBACK_NAMES or bare.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def is_loopback_bind(host: str) -> bool:
    """Whether binding to ``host`` listens on loopback addresses only. A name is resolved:
    loopback only when every address it resolves to is."""
    if is_loopback_name(host):
        return True
    bare = _bare(host)
    try:
        ipaddress.ip_address(bare)
        return False  # an address, and not a loopback one (0.0.0.0 and :: included)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(bare, None)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url``, lower-cased, default ports left out; ``None``
    unless it is an http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        return None
    shown = f"[{host}]" if ":" in host else host
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{shown}"
    return f"{scheme}://{shown}:{port}"


def check(options: ServeOptions, *, managed: bool) -> None:
    """The start-up rules; ``BadInput`` (exit 2) naming the one broken."""
    if options.trust_header is not None and not HEADER_NAME.match(options.trust_header):
        raise BadInput("serve.bad_header", header=options.trust_header[:80])
    if options.public_url is not None:
        origin = origin_of(options.public_url)
        if origin is None or urlsplit(options.public_url).path not in ("", "/"):
            raise BadInput("serve.bad_public_url", url=options.public_url[:200])
    if options.max_sessions < 1:
        raise BadInput("serve.bad_max_sessions", value=options.max_sessions)
    loopback = is_loopback_bind(options.host)
    if options.trust_header is not None and not loopback:
        raise BadInput("serve.trust_needs_loopback", host=options.host)
    if not managed and not loopback:
        raise BadInput("serve.open_needs_loopback", host=options.host)


def _host_of(host_header: str) -> str:
    """The host part of a ``Host`` header (``[::1]:8000`` → ``::1``)."""
    value = host_header.strip()
    if value.startswith("["):
        return _bare(value[: value.find("]") + 1] if "]" in value else value)
    return _bare(value.rsplit(":", 1)[0] if value.count(":") == 1 else value)


class Origins:
    """Which ``Host`` and ``Origin`` headers are the server's own."""

    def __init__(self, options: ServeOptions) -> None:
        self.public = origin_of(options.public_url) if options.public_url else None
        self.public_host = urlsplit(options.public_url).hostname if options.public_url else None
        self.loopback_only = is_loopback_bind(options.host)

    def host_allowed(self, host_header: str | None) -> bool:
        """A loopback server answers loopback names (and its public name) only."""
        if not host_header or not self.loopback_only:
            return True
        host = _host_of(host_header)
        return is_loopback_name(host) or (
            self.public_host is not None and host == self.public_host.lower()
        )

    def origin_allowed(self, origin: str | None, host_header: str | None) -> bool:
        """No ``Origin`` (not a cross-site request by a browser), or the server's own: its
        public URL's, or the one the browser addressed (the ``Host`` it sent)."""
        if origin is None:
            return True
        seen = origin_of(origin)
        if seen is None:
            return False  # "null" (a sandboxed frame, a file), or garbage
        if seen == self.public:
            return True
        if not host_header or not self.host_allowed(host_header):
            return False
        host = host_header.strip().lower()
        return seen in {origin_of(f"http://{host}"), origin_of(f"https://{host}")}
