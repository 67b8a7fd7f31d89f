"""Remote SPARQL 1.1 endpoints: the same vetted, parameter-bound queries, run on a server.

The request is the SPARQL 1.1 Protocol's form-encoded POST with our User-Agent and, when the
user has set them, HTTP Basic credentials; it goes through the one HTTP client (`transport`),
which bounds the whole exchange by one deadline and caps the answer's size. Every fault becomes
a `RemoteError` (exit 4) with its own message. Credentials come from the environment or
~/.netrc, never from the URL, and never appear in a message.
"""

from __future__ import annotations

import base64
import netrc
import os
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlencode, urlsplit, urlunsplit

from rdflib.term import Node

from azgraph.errors import InputError, PolicyError, RemoteError
from azgraph.query.answers import check_complete, construct_result, expected_variables, json_result
from azgraph.query.queries import QueryFile, QueryResult, vet_query, with_bindings, with_prologue
from azgraph.query.runoptions import DEFAULT_TIMEOUT
from azgraph.query.transport import (
    USER_AGENT,
    ExchangeError,
    HttpAnswer,
    exchange,
)

USER_ENV = "AZGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "AZGRAPH_ENDPOINT_PASSWORD"
CREDENTIALS_HINT = f"Set {USER_ENV} and {PASSWORD_ENV}, or add the host to ~/.netrc."
ACCEPT = {
    "json": "application/sparql-results+json,application/json,"
    "text/javascript,application/javascript",
    "turtle": "application/turtle,text/turtle",
}


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic authentication (the password is never shown)."""

    user: str
    password: str = field(repr=False)
    source: str = "environment"


@dataclass(frozen=True)
class SparqlRequest:
    """A SPARQL Protocol POST, ready to send: the URL, its headers and its form body."""

    url: str
    headers: dict[str, str]
    body: bytes = field(repr=False)


def check_url(url: str) -> str:
    """An http(s) URL with a host and no user:password part; anything else is refused."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise PolicyError(
            "credentials in the endpoint URL are refused",
            path=redact(url),
            hint=f"Remove 'user:password@' from the URL. {CREDENTIALS_HINT}",
        )
    if parts.scheme not in ("http", "https") or not parts.hostname or not _port_ok(parts):
        raise InputError(
            "not an http(s) endpoint URL",
            path=url,
            hint="Give the full query URL, e.g. http://127.0.0.1:7878/query.",
        )
    return url


def _port_ok(parts: SplitResult) -> bool:
    try:
        return parts.port is None or parts.port >= 0
    except ValueError:  # out of range, or not a number
        return False


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
    """Send one request and read the whole answer within ``timeout`` seconds (`exchange`),
    each failure worded for ``query run --endpoint`` and ``publish``."""
    try:
        return exchange(method, url, headers=headers, body=body, timeout=timeout)
    except ExchangeError as failure:
        raise _remote_error(failure, url, timeout) from failure


def _remote_error(failure: ExchangeError, url: str, timeout: float) -> RemoteError:
    if failure.kind == "timeout":
        return _timeout_error(failure.phase, url, timeout)
    if failure.kind == "refused":
        return RemoteError(
            "connection refused: nothing is listening there",
            path=url,
            hint="Check the host and port, and that the server is running.",
        )
    if failure.kind == "connect":
        return RemoteError(
            f"cannot connect: {failure.reason}", path=url, hint="Check the host name and port."
        )
    if failure.kind == "cut":
        return RemoteError(
            f"the server closed the connection after {failure.received} bytes of a longer answer",
            path=url,
            hint="The answer was cut off; check the server's logs and try again.",
        )
    return RemoteError(
        f"the connection failed while waiting for the {failure.phase}: {failure.reason}",
        path=url,
        hint="Check the server's logs and try again.",
    )


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
    update: bool = False,
    agent: str = USER_AGENT,
) -> SparqlRequest:
    """The SPARQL 1.1 Protocol request: a form-encoded POST, byte for byte as SPARQLWrapper
    built it, ``format``/``output``/``results`` included for the endpoints that choose their
    results format by a parameter rather than by Accept."""
    if update:
        fields = {"update": text}
    else:
        fields = {"query": text, "format": return_format}
        fields |= {"output": return_format, "results": return_format}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": agent,
        "Accept": ACCEPT[return_format],
    }
    if credentials is not None:
        headers["Authorization"] = basic_authorization(credentials)
    return SparqlRequest(url, headers, urlencode(fields).encode())


def basic_authorization(credentials: Credentials) -> str:
    """The Authorization header value of HTTP Basic authentication (UTF-8, as SPARQLWrapper)."""
    pair = f"{credentials.user}:{credentials.password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def send(request: SparqlRequest, *, timeout: float, credentials: Credentials | None) -> HttpAnswer:
    """POST a SPARQL request; refuse an error status or a partial answer."""
    url = request.url
    answer = http_request("POST", url, headers=request.headers, body=request.body, timeout=timeout)
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
