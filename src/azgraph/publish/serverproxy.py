"""How `azgraph serve`'s front talks to its Oxigraph engine: bounded in time, size and number.

At most `Limits.engine_slots` queries run in the engine at once. Each answer is read whole into
a spooled file, under a deadline and a size bound, before its first byte goes back to the
client: Oxigraph reports a cancelled query by appending a message to a 200 answer it has
already begun, which only a complete read can tell from a result. An answer that misses the
deadline keeps its slot until the engine lets go of it (`_drain_later`).
"""

from __future__ import annotations

import http.client
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO

from azgraph.query.queries import MAX_QUERY_CHARS

CANCELLED = b"The SPARQL operation has been cancelled"
CHUNK = 1 << 16
SPOOL_IN_MEMORY = 1 << 20
SLOT_WAIT = 5.0  # a request waits this long for a busy engine, then gets 503 and frees its thread

Answer = tuple[str, list[tuple[str, str]], IO[bytes]]


@dataclass(frozen=True)
class Limits:
    """The bounds the front enforces; `azgraph serve` sets them from its options."""

    timeout: int = 30  # seconds per query, in the engine (--timeout-s) and on the proxied read
    max_result_bytes: int = 64 << 20
    max_query_bytes: int = 4 * MAX_QUERY_CHARS  # a form-encoded body or URL of a longest query
    max_upload_bytes: int = 256 << 20  # a Graph Store write (token holders only)
    engine_slots: int = 4  # queries the engine runs at once; the rest wait, then get 503
    grace: float = 2.0  # the engine cancels at its own deadline; the front waits this much more
    drain_limit: float = 300.0  # a timed-out answer is read and dropped for at most this long


class RefusalError(Exception):
    """A request the front answers itself, with an HTTP status and a one-line reason."""

    def __init__(self, status: HTTPStatus, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@dataclass
class Forward:
    """One request as the engine will see it."""

    method: str
    target: str
    body: bytes | IO[bytes] | None = None
    content_type: str | None = None
    accept: str | None = None
    length: int | None = None


class EngineProxy:
    """Sends checked requests to the engine on its private port."""

    def __init__(self, engine_port: int, limits: Limits) -> None:
        self.engine_port = engine_port
        self.limits = limits
        self.slots = threading.BoundedSemaphore(limits.engine_slots)

    def send(self, forward: Forward, own_base: str) -> Answer:
        """Send ``forward`` to the engine and read its whole answer within the limits."""
        if not self.slots.acquire(timeout=min(self.limits.timeout, SLOT_WAIT)):
            raise RefusalError(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "the server is busy with other queries. Try again shortly.",
                [("Retry-After", "5")],
            )
        deadline = time.monotonic() + self.limits.timeout + self.limits.grace
        connection = http.client.HTTPConnection("127.0.0.1", self.engine_port, timeout=5)
        try:
            response = _send(connection, forward, deadline)
            body = self.read_answer(connection, response, deadline)
        except TimeoutError:
            _drain_later(connection, self.slots, self.limits.drain_limit)
            raise RefusalError(HTTPStatus.GATEWAY_TIMEOUT, self._timeout_message()) from None
        except BaseException:
            connection.close()
            self.slots.release()
            raise
        connection.close()
        self.slots.release()
        headers = [("Content-Length", str(body.seek(0, 2))), ("X-Content-Type-Options", "nosniff")]
        body.seek(0)
        for name in ("Content-Type", "Location"):
            value = response.getheader(name)
            if value is not None:
                private = f"http://127.0.0.1:{self.engine_port}"
                headers.append((name, value.replace(private, own_base)))
        return f"{response.status} {response.reason}", headers, body

    def read_answer(
        self,
        connection: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
        deadline: float,
    ) -> IO[bytes]:
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)  # noqa: SIM115
        size, tail = 0, b""
        while True:
            _set_deadline(connection, deadline)
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > self.limits.max_result_bytes:
                spool.close()
                raise RefusalError(
                    HTTPStatus.INSUFFICIENT_STORAGE,
                    f"the answer is larger than the server's limit of "
                    f"{self.limits.max_result_bytes} bytes. Add a LIMIT or select fewer columns.",
                )
            spool.write(chunk)
            tail = (tail + chunk)[-len(CANCELLED) :]
        if tail == CANCELLED:
            spool.close()
            raise RefusalError(HTTPStatus.GATEWAY_TIMEOUT, self._timeout_message())
        return spool

    def _timeout_message(self) -> str:
        return (
            f"the query ran longer than the server's limit of {self.limits.timeout} s. "
            "Add a LIMIT or narrow the patterns."
        )


def _send(
    connection: http.client.HTTPConnection, forward: Forward, deadline: float
) -> http.client.HTTPResponse:
    headers = {"Accept": forward.accept or "*/*"}
    if forward.content_type:
        headers["Content-Type"] = forward.content_type
    if forward.length is not None:
        headers["Content-Length"] = str(forward.length)
    try:
        connection.request(forward.method, forward.target, body=forward.body, headers=headers)
        _set_deadline(connection, deadline)
        return connection.getresponse()
    except TimeoutError:
        raise
    except (OSError, http.client.HTTPException) as error:
        raise RefusalError(
            HTTPStatus.BAD_GATEWAY, f"the SPARQL engine did not answer ({type(error).__name__})"
        ) from error


def _set_deadline(connection: http.client.HTTPConnection, deadline: float) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _drain_later(
    connection: http.client.HTTPConnection, slots: threading.BoundedSemaphore, limit: float
) -> None:
    """Keep the engine slot until the engine has given up on a timed-out query: its
    cancellation is cooperative and can come well after its deadline, and a slot freed
    earlier would let abandoned queries pile up on the cores."""

    def drain() -> None:
        end = time.monotonic() + limit
        try:
            while connection.sock is not None and time.monotonic() < end:
                connection.sock.settimeout(max(end - time.monotonic(), 0.01))
                if not connection.sock.recv(CHUNK):
                    break
        except OSError:
            pass
        finally:
            connection.close()
            slots.release()

    threading.Thread(target=drain, name="azgraph-drain", daemon=True).start()
