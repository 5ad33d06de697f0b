"""Fetching URLs with httpx: timeouts, a size cap, a redirect limit, a clear User-Agent, retries
with backoff, and a guard that refuses private, loopback and link-local addresses.

The guard sits where the connection is made: every host (the first one and every redirect's)
is resolved once, every address it resolves to is checked, and the socket is opened to the
checked address itself, so a DNS answer cannot change between the check and the connection.
``allow_private=True`` (``--allow-private``) lifts it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore
import httpx
from httpcore._backends.sync import SyncStream

from chronicle import __version__
from chronicle.errors import InputError

__all__ = [
    "USER_AGENT",
    "BlockedAddress",
    "FetchError",
    "Fetched",
    "Fetcher",
    "address_problem",
    "is_url",
]

LOGGER = logging.getLogger(__name__)

USER_AGENT = f"chronicle/{__version__} (news-to-record tool; python-httpx)"
MAX_FETCH_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUS = frozenset((408, 425, 429, 500, 502, 503, 504))
REDIRECT_STATUS = frozenset((301, 302, 303, 307, 308))


def is_url(spec: str) -> bool:
    low = spec[:8].lower()
    return low.startswith(("http://", "https://"))


class FetchError(InputError):
    """A URL could not be fetched (names the URL and why)."""


class BlockedAddress(Exception):
    """A host resolved to an address the guard refuses."""

    def __init__(self, host: str, problem: str) -> None:
        self.host = host
        self.problem = problem
        super().__init__(f"{host} {problem}")


def address_problem(ip: str) -> str | None:
    """Why the guard refuses an address ("is a loopback address"), or None when it is public."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_unspecified:
        return f"is not a public address ({addr} reaches this machine)"
    if addr.is_loopback:
        return f"is a loopback address ({addr})"
    if addr.is_link_local:
        return f"is a link-local address ({addr})"
    if addr.is_private:
        return f"is a private address ({addr})"
    if addr.is_multicast or addr.is_reserved or not addr.is_global:
        return f"is not a public address ({addr})"
    return None


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving each host itself and refusing non-public addresses."""

    def __init__(self, allow_private: bool, allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]):
        self.allow_private = allow_private
        self.allowed = allowed

    def _vetted(self, host: str, port: int) -> list[tuple[Any, ...]]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as e:
            raise httpcore.ConnectError(f"cannot resolve {host} ({e.strerror})") from None
        if not self.allow_private:
            for info in infos:
                ip = str(info[4][0])
                problem = address_problem(ip)
                if problem and not any(ipaddress.ip_address(ip.split("%", 1)[0]) in n for n in self.allowed):
                    raise BlockedAddress(host, problem)
        return infos

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable[Any] | None = None
                    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for family, kind, proto, _, sockaddr in self._vetted(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect(sockaddr)
            except TimeoutError as e:
                sock.close()
                raise httpcore.ConnectTimeout(str(e) or "connect timed out") from None
            except OSError as e:
                sock.close()
                last = e
                continue
            return SyncStream(sock)
        raise httpcore.ConnectError(str(last) if last else f"cannot connect to {host}")


@dataclass(slots=True)
class Fetched:
    """A page as fetched: the URL asked for, the URL it ended at, its type and its bytes."""

    url: str
    final_url: str
    status: int
    content_type: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def mime(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


class Fetcher:
    """Fetches URLs politely and safely; one per run (it keeps connections open between fetches).

    ``allow_private`` lifts the address guard; ``allowed_networks`` lets named networks through it
    (tests use ``127.0.0.1/32``; an intranet mirror could too) while every other private address
    stays refused.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = MAX_FETCH_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        retries: int = 2,
        backoff: float = 1.0,
        user_agent: str = USER_AGENT,
        per_host_delay: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.per_host_delay = per_host_delay
        self._last: dict[str, float] = {}  # host -> when we last asked it (politeness between requests)
        networks = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)
        if transport is None:
            transport = httpx.HTTPTransport(trust_env=False)
            pool = getattr(transport, "_pool", None)
            if pool is None or not hasattr(pool, "_network_backend"):
                raise RuntimeError("this httpx version hides its connection pool; pin httpx==0.28.1")
            pool._network_backend = _GuardedBackend(allow_private, networks)
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
                     "Accept-Language": "en;q=1.0, *;q=0.5"},
            trust_env=False,
        )
        self.sleep = time.sleep  # tests replace it

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- one URL ---------------------------------------------------------------------------------
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """The page at ``url`` after redirects, or FetchError saying why not."""
        attempt = 0
        while True:
            try:
                return self._follow(url, headers or {})
            except _Retryable as e:
                if attempt >= self.retries:
                    raise FetchError(url, e.reason) from None
                delay = e.retry_after if e.retry_after is not None else self.backoff * (2 ** attempt)
                delay = min(delay, 30.0)
                LOGGER.info("%s: %s; retrying in %.1fs", url, e.reason, delay)
                self.sleep(delay)
                attempt += 1

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        current = url
        for _hop in range(self.max_redirects + 1):
            try:
                parsed = httpx.URL(current)
            except (httpx.InvalidURL, ValueError) as e:
                raise FetchError(url, f"not a valid URL ({e})") from None
            if parsed.scheme not in ("http", "https"):
                raise FetchError(url, f"redirected to a {parsed.scheme or 'non-HTTP'} URL ({current})")
            status, resp_headers, data = self._get(url, current, headers)
            if status in REDIRECT_STATUS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location")
                current = str(parsed.join(location))
                continue
            if status == 304:
                return Fetched(url, current, status, resp_headers.get("content-type", ""), b"", resp_headers)
            if status in RETRY_STATUS:
                raise _Retryable(f"HTTP {status}", _retry_after(resp_headers.get("retry-after")))
            if status >= 400:
                raise FetchError(url, f"HTTP {status}")
            return Fetched(url, current, status, resp_headers.get("content-type", ""), data, resp_headers)
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    def _polite(self, host: str) -> None:
        """Wait so that one host is not asked more often than every ``per_host_delay`` seconds."""
        if self.per_host_delay <= 0:
            return
        last = self._last.get(host)
        now = time.monotonic()
        if last is not None and now - last < self.per_host_delay:
            self.sleep(self.per_host_delay - (now - last))
        self._last[host] = time.monotonic()
        if len(self._last) > 10_000:  # a long watch over many hosts: forget the oldest half
            for h in sorted(self._last, key=self._last.__getitem__)[:5_000]:
                del self._last[h]

    def _get(self, url: str, current: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self._polite(httpx.URL(current).host)
        deadline = time.monotonic() + self.timeout * 3  # a server dribbling bytes cannot hold us forever
        try:
            with self.client.stream("GET", current, headers=headers) as resp:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in REDIRECT_STATUS or resp.status_code >= 300:
                    return resp.status_code, resp_headers, b""
                declared = resp_headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"too large ({int(declared):,} bytes; the limit is {self.max_bytes:,})")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"too large (more than {self.max_bytes:,} bytes; the limit)")
                    if time.monotonic() > deadline:
                        raise _Retryable(f"timed out (no full answer in {self.timeout * 3:.0f}s)")
                    chunks.append(chunk)
                return resp.status_code, resp_headers, b"".join(chunks)
        except BlockedAddress as e:
            hop = "" if current == url else f" (redirected to {current})"
            problem = e.problem.replace(f" ({e.host})", "")  # "127.0.0.1 is a loopback address", once
            raise FetchError(url, f"refused: {e.host} {problem}{hop}; pass --allow-private to fetch it") from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out (after {self.timeout:.0f}s)") from None
        except httpx.DecodingError as e:
            raise FetchError(url, f"bad content encoding ({e})") from None
        except (httpx.TransportError, httpcore.ConnectError) as e:
            msg = str(e) or type(e).__name__
            raise _Retryable(f"cannot connect ({msg})") from None


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(reason)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
