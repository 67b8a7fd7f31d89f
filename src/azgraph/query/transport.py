"""The one HTTP client for remote SPARQL: httpcore, under one overall deadline.

Every remote request azgraph sends (``query run --endpoint``, ``publish``, ``wikidata check``)
goes through `exchange`. A blocking client's timeout (urllib's, SPARQLWrapper's, http.client's,
httpx's) bounds each socket operation, so a server that trickles its answer a byte at a time
never trips it. httpcore, the transport under httpx, takes a network backend: ours hands every
connect, read and write the time left until one deadline, and refuses to start one after it,
so the whole exchange (connecting, sending, headers, body) ends by the deadline, with no
watchdog thread. The answer is read in pieces and refused past `MAX_RESPONSE_BYTES`.

Connections go to exactly the URL given: httpcore follows no redirects (a 3xx is an error
status for the caller to report), reads no proxy settings, and adds no headers but Host and
Content-Length; ``Accept-Encoding: identity`` keeps the size cap on the bytes kept.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpcore

from azgraph import __version__
from azgraph.errors import RemoteError, one_line
from azgraph.query.runoptions import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from collections.abc import Iterable

USER_AGENT = f"azgraph/{__version__}"
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
    except ValueError as exc:
        raise ExchangeError("connect", "connect", str(exc)) from exc
    phase, received = ["connect"], [0]

    def trace(event: str, _info: dict[str, Any]) -> None:
        if event == "http11.send_request_headers.started":
            phase[0] = "answer"
        elif event == "http11.receive_response_headers.complete":
            phase[0] = "body"

    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Connection": "close"}
    sent |= headers
    backend = DeadlineBackend(time.monotonic() + timeout)
    extensions = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)}
    try:
        with (
            httpcore.ConnectionPool(ssl_context=_tls(), network_backend=backend) as pool,
            pool.stream(
                method,
                url,
                headers=list(sent.items()),
                content=body,
                extensions={**extensions, "trace": trace},
            ) as response,
        ):
            data = _read_capped(response.iter_stream(), url, received)
    except httpcore.TimeoutException as exc:
        raise ExchangeError("timeout", phase[0]) from exc
    except (httpcore.UnsupportedProtocol, httpcore.LocalProtocolError) as exc:
        raise ExchangeError("connect", phase[0], one_line(str(exc))) from exc
    except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
        cut = phase[0] == "body" and isinstance(exc, httpcore.RemoteProtocolError)
        raise _failure(exc, phase[0], received[0], cut) from exc
    fields = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers]
    reason = response.extensions.get("reason_phrase", b"")
    return HttpAnswer(
        response.status,
        reason.decode("latin-1") if isinstance(reason, bytes) else "",
        next((value for name, value in fields if name.lower() == "content-type"), ""),
        data,
        {name.lower(): value for name, value in fields},
    )


def _read_capped(chunks: Iterable[bytes], url: str, received: list[int]) -> bytes:
    kept: list[bytes] = []
    for chunk in chunks:
        received[0] += len(chunk)
        if received[0] > MAX_RESPONSE_BYTES:
            raise RemoteError(
                f"the answer is larger than {MAX_RESPONSE_BYTES // 2**20} MB",
                path=url,
                hint="Add a LIMIT to the query.",
            )
        kept.append(chunk)
    return b"".join(kept)


def _failure(exc: Exception, phase: str, received: int, cut: bool) -> ExchangeError:
    """``cut``: the peer closed before the body's announced end (Content-Length or chunks)."""
    cause = _os_error(exc)
    reason = one_line(str(cause if cause is not None else exc)) or type(exc).__name__
    if isinstance(cause, ConnectionRefusedError):
        return ExchangeError("refused", phase, reason)
    kind = "cut" if cut else "connect" if phase == "connect" else "failed"
    return ExchangeError(kind, phase, reason, received)


def _os_error(exc: BaseException) -> OSError | None:
    """The innermost OSError under httpcore's wrapping, if the failure was the OS's."""
    found, seen = None, set()
    chained: BaseException | None = exc
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        if isinstance(chained, OSError):
            found = chained
        chained = chained.__cause__ or chained.__context__
    return found


@cache
def _tls() -> ssl.SSLContext:
    """The system's trusted certificates, as http.client and urllib use them."""
    return ssl.create_default_context()


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write gets only the time left until the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _left(self.deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _left(self.deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(self.deadline, timeout, httpcore.ConnectTimeout)
        tls = self.stream.start_tls(ssl_context, server_hostname, left)
        return DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own blocking backend, with every operation bounded by one deadline."""

    def __init__(self, deadline: float) -> None:
        self.backend, self.deadline = httpcore.SyncBackend(), deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(self.deadline, timeout, httpcore.ConnectTimeout)
        stream = self.backend.connect_tcp(host, port, left, local_address, socket_options)
        return DeadlineStream(stream, self.deadline)


def _left(deadline: float, timeout: float | None, expired: type[Exception]) -> float:
    """The time an operation may take: what is left until the deadline (never more than
    httpcore's own per-operation ``timeout``); none left is a timeout of that operation."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the deadline passed")
    return left if timeout is None else min(left, timeout)
