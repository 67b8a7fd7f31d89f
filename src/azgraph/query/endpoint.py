"""Remote SPARQL 1.1 endpoints: the same vetted, parameter-bound queries, run through SPARQLWrapper.

SPARQLWrapper builds the protocol request (query encoding, Accept header, User-Agent, HTTP Basic
credentials). The request itself goes through `http_request`, which enforces one overall deadline
with a watchdog that shuts the socket down: SPARQLWrapper's own timeout is per socket operation,
so a server that drip-feeds its answer would otherwise hold a query forever. Every fault becomes a
`RemoteError` (exit 4) with its own message. Credentials come from the environment or ~/.netrc,
never from the URL, and never appear in a message.
"""

from __future__ import annotations

import http.client
import netrc
import os
import re
import socket
import threading
import urllib.request
import warnings
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from rdflib.term import Node

from azgraph import __version__
from azgraph.errors import InputError, PolicyError, RemoteError
from azgraph.query.answers import check_complete, construct_result, expected_variables, json_result
from azgraph.query.queries import QueryFile, QueryResult, vet_query, with_bindings, with_prologue

USER_AGENT = f"azgraph/{__version__}"
USER_ENV = "AZGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "AZGRAPH_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
CREDENTIALS_HINT = f"Set {USER_ENV} and {PASSWORD_ENV}, or add the host to ~/.netrc."


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic authentication (the password is never shown)."""

    user: str
    password: str = field(repr=False)
    source: str = "environment"


@dataclass(frozen=True)
class HttpAnswer:
    """A complete HTTP response, read within the deadline."""

    status: int
    reason: str
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


def check_url(url: str) -> str:
    """An http(s) URL with a host and no user:password part; anything else is refused."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise PolicyError(
            "credentials in the endpoint URL are refused",
            path=redact(url),
            hint=f"Remove 'user:password@' from the URL. {CREDENTIALS_HINT}",
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            "not an http(s) endpoint URL",
            path=url,
            hint="Give the full query URL, e.g. http://127.0.0.1:7878/query.",
        )
    return url


def redact(url: str) -> str:
    """The URL with any user:password part replaced by '***'."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def find_credentials(url: str) -> Credentials | None:
    """Credentials from AZGRAPH_ENDPOINT_USER/PASSWORD, else from ~/.netrc for the URL's host."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password is not None):
            raise InputError(
                f"{USER_ENV} and {PASSWORD_ENV} must be set together",
                hint="Set both, or unset both to use ~/.netrc.",
            )
        return Credentials(user, password, "environment")
    host = urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc().authenticators(host)
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError) as exc:
        where = getattr(exc, "filename", None) or "~/.netrc"
        raise InputError(
            f"cannot read netrc: {getattr(exc, 'msg', exc)}",
            path=where,
            hint="Fix the file (and make it private: chmod 600 ~/.netrc).",
        ) from exc
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login or "", password or "", "~/.netrc")


def http_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> HttpAnswer:
    """Send one request and read the whole answer, all within ``timeout`` seconds.

    A watchdog thread shuts the socket down at the deadline, which ends any blocked read, so a
    server that never answers or drip-feeds its body cannot hold the caller longer than that.
    """
    parts = urlsplit(url)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    conn_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    conn = conn_class(parts.hostname or "", parts.port, timeout=timeout)
    expired = threading.Event()
    sockets: list[socket.socket] = []  # the connection drops its socket on "Connection: close"

    def expire() -> None:
        expired.set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(timeout, expire)
    watchdog.daemon = True
    phase = "connect"
    watchdog.start()
    try:
        conn.connect()
        sockets.append(conn.sock)
        if expired.is_set():
            raise TimeoutError
        conn.request(method, target, body=body, headers=headers)
        phase = "answer"
        response = conn.getresponse()
        phase = "body"
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise RemoteError(
                    f"the answer is larger than {MAX_RESPONSE_BYTES // 2**20} MB",
                    path=url,
                    hint="Add a LIMIT to the query.",
                )
            chunks.append(chunk)
        if expired.is_set():
            raise _timeout_error(phase, url, timeout)
        if response.length:  # Content-Length promised more than arrived
            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        content_type = response.getheader("Content-Type", "") or ""
        headers = {name.lower(): value for name, value in response.getheaders()}
        body = b"".join(chunks)
        return HttpAnswer(response.status, response.reason, content_type, body, headers)
    except RemoteError:
        raise
    except ConnectionRefusedError as exc:
        raise RemoteError(
            "connection refused: nothing is listening there",
            path=url,
            hint="Check the host and port, and that the server is running.",
        ) from exc
    except http.client.IncompleteRead as exc:
        if expired.is_set():
            raise _timeout_error(phase, url, timeout) from exc
        raise RemoteError(
            f"the server closed the connection after {len(exc.partial)} bytes of a longer answer",
            path=url,
            hint="The answer was cut off; check the server's logs and try again.",
        ) from exc
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise _timeout_error(phase, url, timeout) from exc
        if phase == "connect":
            raise RemoteError(
                f"cannot connect: {exc}", path=url, hint="Check the host name and port."
            ) from exc
        raise RemoteError(
            f"the connection failed while waiting for the {phase}: {exc!r}",
            path=url,
            hint="Check the server's logs and try again.",
        ) from exc
    finally:
        watchdog.cancel()
        conn.close()


def _timeout_error(phase: str, url: str, timeout: float) -> RemoteError:
    limit = f"{timeout:g} s"
    if phase == "connect":
        message = f"no connection within {limit}"
        hint = "Check the host and port, and any firewall."
    elif phase == "answer":
        message = f"the server accepted the connection but sent no answer within {limit}"
        hint = "It may be overloaded or the query too heavy; try a larger --timeout."
    else:
        message = f"the answer was still arriving after {limit} (a slow or stalled response)"
        hint = "Try a larger --timeout, or a LIMIT on the query."
    return RemoteError(message, path=url, hint=hint)


def check_status(answer: HttpAnswer, url: str, *, credentials: Credentials | None) -> None:
    """Turn an HTTP error status into a RemoteError that says what to do about it."""
    status = answer.status
    if 200 <= status < 300:
        return
    first = _first_line(answer.body)
    detail = f": {first}" if first else ""
    if status == 400:
        raise RemoteError(
            f"the endpoint rejected the request (HTTP 400){detail}",
            path=url,
            hint="The server may not support a SPARQL feature the query uses.",
        )
    if status == 403 and credentials is None:
        raise RemoteError(
            f"the endpoint forbids this request (HTTP 403){detail}",
            path=url,
            hint=f"The server may be read-only, or need credentials: {CREDENTIALS_HINT}",
        )
    if status in (401, 403):
        if credentials is None:
            raise RemoteError(
                f"the endpoint needs credentials (HTTP {status})", path=url, hint=CREDENTIALS_HINT
            )
        raise RemoteError(
            f"the endpoint refused the credentials from {credentials.source} (HTTP {status})",
            path=url,
            hint="Check the user name and password, and that the user may do this.",
        )
    if status == 404:
        raise RemoteError(
            "no SPARQL service at this URL (HTTP 404)",
            path=url,
            hint="Check the URL (Oxigraph: http://HOST:PORT/query; Fuseki: .../DATASET/sparql).",
        )
    if status == 405:
        raise RemoteError(
            f"the endpoint does not allow this request (HTTP 405){detail}",
            path=url,
            hint="The server may be read-only, or this is not its update or store URL.",
        )
    if status == 500:
        raise RemoteError(
            f"the endpoint failed with an internal error (HTTP 500){detail}",
            path=url,
            hint="See the server's logs; the query may be too heavy for it.",
        )
    if status == 503:
        raise RemoteError(
            "the endpoint is unavailable (HTTP 503)",
            path=url,
            hint="It may be overloaded, starting up or in maintenance; try again later.",
        )
    raise RemoteError(
        f"the endpoint answered HTTP {status} {answer.reason}{detail}",
        path=url,
        hint="Check the URL and the server's logs.",
    )


def _first_line(body: bytes, width: int = 200) -> str:
    text = body.decode("utf-8", "replace").strip()
    if _looks_like_html(body, ""):
        return ""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body.lstrip()[:100].lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def sparql_request(
    url: str,
    text: str,
    *,
    credentials: Credentials | None,
    return_format: str = "json",
    query_type: str | None = None,
    update: bool = False,
) -> urllib.request.Request:
    """The SPARQL 1.1 Protocol request SPARQLWrapper builds: POST, form-encoded, with our agent."""
    from SPARQLWrapper import POST, SPARQLWrapper

    wrapper = SPARQLWrapper(url, updateEndpoint=url if update else None, agent=USER_AGENT)
    wrapper.setMethod(POST)
    with warnings.catch_warnings():  # its keyword sniffing is fooled by comments; we know better
        warnings.simplefilter("ignore")
        wrapper.setQuery(text)
    if query_type is not None:
        wrapper.queryType = query_type
    wrapper.setReturnFormat(return_format)
    if credentials is not None:
        wrapper.setCredentials(credentials.user, credentials.password)
    return wrapper._createRequest()  # noqa: SLF001  (we send it ourselves, under a deadline)


def send(
    request: urllib.request.Request, *, timeout: float, credentials: Credentials | None
) -> HttpAnswer:
    """Send a urllib request through `http_request`; refuse an error status or a partial answer."""
    url = request.full_url
    data = request.data if isinstance(request.data, bytes) else None
    headers = dict(request.header_items())
    answer = http_request(request.get_method(), url, headers=headers, body=data, timeout=timeout)
    check_status(answer, url.split("?", 1)[0], credentials=credentials)
    check_complete(answer.status, answer.headers, url.split("?", 1)[0])
    return answer


def run_remote(
    url: str,
    query: QueryFile,
    bindings: dict[str, Node],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int | None = None,
    credentials: Credentials | None = None,
) -> QueryResult:
    """Run a vetted query with its parameters on a SPARQL endpoint; same result as `run_local`."""
    check_url(url)
    text = with_bindings(query.text, bindings)
    form = vet_query(text, query.path or query.name)
    creds = credentials if credentials is not None else find_credentials(url)
    request = sparql_request(
        url,
        with_prologue(text),
        credentials=creds,
        return_format="turtle" if form == "construct" else "json",
        query_type=form.upper(),
    )
    answer = send(request, timeout=timeout, credentials=creds)
    if _looks_like_html(answer.body, answer.content_type):
        raise RemoteError(
            f"the endpoint sent an HTML page{_html_title(answer.body)} instead of SPARQL results",
            path=url,
            hint="The URL is probably a web page, not the query service (Oxigraph: .../query).",
        )
    if form == "construct":
        return construct_result(answer.body, answer.content_type, url)
    expected = expected_variables(with_prologue(text)) if form == "select" else None
    return json_result(answer.body, url, form, limit, expected)


def _html_title(body: bytes) -> str:
    match = re.search(rb"<title[^>]*>(.*?)</title>", body, re.I | re.S)
    title = " ".join(match.group(1).decode("utf-8", "replace").split())[:80] if match else ""
    return f" ('{title}')" if title else ""
