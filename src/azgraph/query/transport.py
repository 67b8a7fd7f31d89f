"""The one HTTP client for remote SPARQL: httpx, under one overall deadline.

Every remote request azgraph sends (``query run --endpoint``, ``publish``, ``wikidata check``)
goes through `exchange`. httpx's own timeouts, like those of every blocking client (urllib,
SPARQLWrapper, http.client), bound each socket operation: a server that trickles its answer a
byte at a time never trips them. So the exchange runs on asyncio and `asyncio.timeout` cancels
it at the deadline wherever it waits (connecting, sending, headers or body), and the socket is
closed on the way out. The answer is read in pieces and refused past `MAX_RESPONSE_BYTES`.

Connections go to exactly the URL given: no redirects are followed (a 3xx is an error status
for the caller to report), no proxy or CA settings are read from the environment besides what
OpenSSL itself reads, and ``Accept-Encoding: identity`` keeps the size cap on the bytes kept.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from azgraph import __version__
from azgraph.errors import RemoteError, one_line

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"azgraph/{__version__}"
DEFAULT_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class HttpAnswer:
    """A complete HTTP response, read within the deadline."""

    status: int
    reason: str
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


class ExchangeError(Exception):
    """No complete answer arrived; each caller words this for its own command.

    ``kind`` is refused, connect, timeout, cut (the body ended before its Content-Length) or
    failed; ``phase`` is connect, answer or body; ``received`` counts the body bytes read.
    """

    def __init__(self, kind: str, phase: str, reason: str = "", received: int = 0) -> None:
        super().__init__(f"{kind} during {phase}: {reason}")
        self.kind, self.phase, self.reason, self.received = kind, phase, reason, received


def exchange(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> HttpAnswer:
    """Send one request and read the whole answer, all within ``timeout`` seconds."""
    try:
        _ = urlsplit(url).port
    except ValueError as exc:  # asyncio would raise it from inside a task group
        raise ExchangeError("connect", "connect", str(exc)) from exc
    work = _exchange(method, url, {"User-Agent": USER_AGENT, **headers}, body, timeout)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    from concurrent.futures import ThreadPoolExecutor  # called from async code (a notebook)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _exchange(
    method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float
) -> HttpAnswer:
    import httpx

    phase = ["connect"]

    async def trace(event: str, _info: dict[str, Any]) -> None:
        if event == "http11.send_request_headers.started":
            phase[0] = "answer"

    client = httpx.AsyncClient(
        timeout=timeout, trust_env=False, verify=_tls(), follow_redirects=False
    )
    headers = {"Accept-Encoding": "identity", **headers}
    received = [0]
    try:
        async with asyncio.timeout(timeout), client:
            request = client.build_request(
                method, url, headers=headers, content=body, extensions={"trace": trace}
            )
            response = await client.send(request, stream=True)
            phase[0] = "body"
            try:
                data = await _read_capped(response, url, received)
            finally:
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise ExchangeError("timeout", phase[0]) from exc
    except httpx.InvalidURL as exc:
        raise ExchangeError("connect", "connect", one_line(str(exc))) from exc
    except httpx.HTTPError as exc:
        cut = phase[0] == "body" and isinstance(exc, httpx.RemoteProtocolError)
        raise _failure(exc, phase[0], received[0], cut) from exc
    return HttpAnswer(
        response.status_code,
        response.reason_phrase,
        response.headers.get("Content-Type", ""),
        data,
        {name.lower(): value for name, value in response.headers.items()},
    )


async def _read_capped(response: httpx.Response, url: str, received: list[int]) -> bytes:
    chunks: list[bytes] = []
    async for chunk in response.aiter_raw():
        received[0] += len(chunk)
        if received[0] > MAX_RESPONSE_BYTES:
            raise RemoteError(
                f"the answer is larger than {MAX_RESPONSE_BYTES // 2**20} MB",
                path=url,
                hint="Add a LIMIT to the query.",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _failure(exc: Exception, phase: str, received: int, cut: bool) -> ExchangeError:
    """``cut``: the peer closed before the body's announced end (Content-Length or chunks)."""
    cause = _os_error(exc)
    reason = _os_text(cause) if cause is not None else one_line(str(exc)) or type(exc).__name__
    if isinstance(cause, ConnectionRefusedError):
        return ExchangeError("refused", phase, reason)
    kind = "cut" if cut else "connect" if phase == "connect" else "failed"
    return ExchangeError(kind, phase, reason, received)


def _os_error(exc: BaseException) -> OSError | None:
    """The innermost OSError under httpx's and anyio's wrapping, if the failure was the OS's."""
    found, seen = None, set()
    chained: BaseException | None = exc
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        if isinstance(chained, OSError):
            found = chained
        chained = chained.__cause__ or chained.__context__
    return found


def _os_text(exc: BaseException) -> str:
    """What the error says, as a blocking socket would have put it.

    asyncio words a refused or unreachable connect as "Connect call failed (address)"; the
    errno's own text is what the user knows from every other tool.
    """
    errno = getattr(exc, "errno", None)
    if (
        isinstance(exc, OSError)
        and not isinstance(exc, ssl.SSLError | socket.gaierror)
        and isinstance(errno, int)
        and errno > 0
    ):
        return f"[Errno {errno}] {os.strerror(errno)}"
    return one_line(str(exc)) or type(exc).__name__


@cache
def _tls() -> ssl.SSLContext:
    """The system's trusted certificates, as http.client and urllib use them."""
    return ssl.create_default_context()
