"""The front of `azgraph serve`: a WSGI app that decides what reaches the Oxigraph engine.

Oxigraph's own server overflows its stack on deeply nested queries, runs SERVICE and LOAD, has
no write protection and stalls under idle connections. So the engine listens on a private
loopback port and this app, run by waitress (which bounds connections, request sizes and slow
clients) on the user's address, checks every request first: query texts go through the same
gate as the CLI (`sparqlvet.bounds_problem`, then `queries.vet_query`), updates through
`vet_update`, and writes need the token and a same-origin request. What passes is sent to the
engine in one canonical form, so the engine never sees a parameter the front did not check.
`serverproxy` sends it and bounds the answer.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode

from azgraph.errors import AzgraphError, LimitError, PolicyError, QueryError, one_line
from azgraph.publish.querypage import CSP, SITE_PREFIX, query_page, site_file
from azgraph.publish.serverproxy import CHUNK, EngineProxy, Forward, Limits, RefusalError
from azgraph.query.queries import MAX_QUERY_CHARS, QueryFile, bind_params, vet_query, with_bindings
from azgraph.query.sparqlvet import bounds_problem, scan

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

QUERY_GRAPHS = ("default-graph-uri", "named-graph-uri")
UPDATE_GRAPHS = ("using-graph-uri", "using-named-graph-uri")
STORE_GRAPHS = ("graph", "default")
FORM = "application/x-www-form-urlencoded"


class Front:
    """The WSGI app: route, check, forward, and answer within the limits."""

    def __init__(
        self,
        engine_port: int,
        limits: Limits,
        token: str | None,
        queries: dict[str, QueryFile] | None = None,
        site: Path | None = None,
    ) -> None:
        self.limits = limits
        self.token = token
        self.engine = EngineProxy(engine_port, limits)
        self.queries = queries or {}
        self.site = site
        self.page = query_page(self.queries, site is not None)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            local = self.local_answer(environ)
            if local is not None:
                return _page(start_response, environ["REQUEST_METHOD"], *local)
            own_base = f"http://{environ.get('HTTP_HOST', '')}"
            status, headers, body = self.engine.send(self.route(environ), own_base)
        except RefusalError as refusal:
            return _plain(start_response, refusal.status, refusal.message, refusal.headers)
        except AzgraphError as error:
            return _plain(start_response, _status_for(error), str(error))
        except Exception as error:  # noqa: BLE001  (one line, never a traceback to a client)
            message = f"internal error in the azgraph front: {type(error).__name__}"
            return _plain(start_response, HTTPStatus.INTERNAL_SERVER_ERROR, message)
        start_response(status, headers)
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(body, CHUNK) if wrapper else _chunks(body)

    # --- routing and checks ---------------------------------------------------------------

    def route(self, environ: dict[str, Any]) -> Forward:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        accept = environ.get("HTTP_ACCEPT")
        if len(environ.get("QUERY_STRING", "")) > self.limits.max_query_bytes:
            raise RefusalError(HTTPStatus.REQUEST_URI_TOO_LONG, self._too_long("URL"))
        if path == "/run":
            _allow(method, "POST")
            return self.run_request(environ, accept)
        if path == "/query":
            return self.query_request(environ, method, accept)
        if path == "/update":
            _allow(method, "POST")
            self.check_write(environ)
            return self.update_request(environ)
        if path == "/store":
            _allow(method, "GET", "HEAD", "PUT", "POST", "DELETE")
            return self.store_request(environ, method, accept)
        raise RefusalError(HTTPStatus.NOT_FOUND, f"no such path: {path[:200]}; use /query")

    def query_request(self, environ: dict[str, Any], method: str, accept: str | None) -> Forward:
        _allow(method, "GET", "HEAD", "POST")
        params = _params(environ.get("QUERY_STRING", ""))
        texts = params.get("query", [])
        if method == "POST":
            kind = _content_type(environ)
            if kind == FORM:
                form = _params(self.read_body(environ).decode("ascii", "replace"))
                texts = texts + form.get("query", [])
                params = {k: params.get(k, []) + form.get(k, []) for k in {*params, *form}}
            elif kind == "application/sparql-query":
                texts = texts + [_utf8(self.read_body(environ))]
            else:
                raise RefusalError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _media_hint("a query", kind))
        elif not params:
            return Forward(method, "/query", accept=accept)  # the service description
        text = _single(texts, "query")
        self.vet_query_text(text)
        target = "/query?" + _graphs(params, QUERY_GRAPHS)
        return Forward("POST", target, text.encode(), "application/sparql-query", accept)

    def local_answer(self, environ: dict[str, Any]) -> tuple[bytes, str] | None:
        """The query page and the site's files, answered here: the engine has neither."""
        path = environ.get("PATH_INFO", "")
        if path != "/" and not path.startswith(SITE_PREFIX):
            return None
        _allow(environ["REQUEST_METHOD"], "GET", "HEAD")
        if path == "/":
            return self.page, "text/html; charset=utf-8"
        found = site_file(self.site, path) if self.site is not None else None
        if found is None:
            raise RefusalError(HTTPStatus.NOT_FOUND, f"no such page: {path[:200]}")
        return found

    def run_request(self, environ: dict[str, Any], accept: str | None) -> Forward:
        """A bundled query by name, its parameters bound as the CLI binds them (typed RDF
        terms in a VALUES block, never pasted text), then the same gate as /query."""
        if _content_type(environ) != FORM:
            raise RefusalError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _media_hint("a run", "?"))
        form = _params(self.read_body(environ).decode("ascii", "replace"))
        query = self.queries.get(_single(form.get("name", []), "name"))
        if query is None:
            raise RefusalError(HTTPStatus.NOT_FOUND, "no bundled query of that name")
        given = {k[6:]: v[-1] for k, v in form.items() if k.startswith("param.")}
        text = with_bindings(query.text, bind_params(query, given))
        self.vet_query_text(text)
        return Forward("POST", "/query", text.encode(), "application/sparql-query", accept)

    def update_request(self, environ: dict[str, Any]) -> Forward:
        params = _params(environ.get("QUERY_STRING", ""))
        kind = _content_type(environ)
        if kind == FORM:
            form = _params(self.read_body(environ).decode("ascii", "replace"))
            texts = form.get("update", [])
            params = {k: params.get(k, []) + form.get(k, []) for k in {*params, *form}}
        elif kind == "application/sparql-update":
            texts = [_utf8(self.read_body(environ))]
        else:
            raise RefusalError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _media_hint("an update", kind))
        text = _single(texts, "update")
        vet_update(text, "/update")
        target = "/update?" + _graphs(params, UPDATE_GRAPHS)
        return Forward("POST", target, text.encode(), "application/sparql-update")

    def store_request(self, environ: dict[str, Any], method: str, accept: str | None) -> Forward:
        params = _params(environ.get("QUERY_STRING", ""))
        target = "/store?" + _graphs(params, STORE_GRAPHS)
        if method in ("GET", "HEAD"):
            return Forward(method, target, accept=accept)
        self.check_write(environ)
        length = _content_length(environ)
        if length > self.limits.max_upload_bytes:
            raise RefusalError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self._too_long("upload"))
        kind = environ.get("CONTENT_TYPE") or None
        return Forward(method, target, environ["wsgi.input"], kind, accept, length)

    def vet_query_text(self, text: str) -> None:
        """The CLI's gate, with the bounds first: pyoxigraph's parser (in vet_query) is what a
        too-deep query would crash."""
        _check_length(text, "/query")
        problem = bounds_problem(text)
        if problem:
            raise QueryError(f"{problem}", path="/query", hint="Simplify the query.")
        vet_query(text, "/query")

    def check_write(self, environ: dict[str, Any]) -> None:
        """Writes need --writable, a same-origin request (so a cross-origin form can never
        write, even with credentials the browser remembers) and the token."""
        if self.token is None:
            raise RefusalError(
                HTTPStatus.FORBIDDEN,
                "this server is read-only. Start it with 'azgraph serve --writable' to write.",
            )
        origin, host = environ.get("HTTP_ORIGIN"), environ.get("HTTP_HOST", "")
        site = environ.get("HTTP_SEC_FETCH_SITE", "")
        if (origin is not None and origin != f"http://{host}") or site in (
            "cross-site",
            "same-site",
        ):
            raise RefusalError(
                HTTPStatus.FORBIDDEN,
                f"cross-origin writes are refused (Origin: {(origin or site)[:100]}). "
                "Send writes from the server's own page or from a program.",
            )
        if not _authorised(environ.get("HTTP_AUTHORIZATION", ""), self.token):
            raise RefusalError(
                HTTPStatus.UNAUTHORIZED,
                "writes need the token printed by 'azgraph serve --writable'. Send "
                "'Authorization: Bearer TOKEN', or HTTP Basic with any user and TOKEN as password.",
                [("WWW-Authenticate", 'Basic realm="azgraph serve", charset="UTF-8"')],
            )

    def read_body(self, environ: dict[str, Any]) -> bytes:
        length = _content_length(environ)
        if length > self.limits.max_query_bytes:
            raise RefusalError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self._too_long("request body"))
        body: bytes = environ["wsgi.input"].read(length) if length else b""
        return body

    def _too_long(self, what: str) -> str:
        limit = self.limits.max_upload_bytes if what == "upload" else self.limits.max_query_bytes
        return f"the {what} is longer than the server's limit of {limit} bytes. Send less."

    # --- the engine ------------------------------------------------------------------------


def vet_update(text: str, where: str) -> None:
    """Updates a token holder may send: INSERT/DELETE/DROP/CLEAR/CREATE/ADD/MOVE/COPY, never
    LOAD (it fetches URLs) or SERVICE, and within the same bounds as queries."""
    _check_length(text, where)
    problem = bounds_problem(text)
    if problem:
        raise QueryError(problem, path=where, hint="Split the update.")
    found = scan(text)
    if found.network:
        raise PolicyError(
            "SERVICE is refused: an update may not contact other endpoints",
            path=where,
            hint="Remove the SERVICE clause.",
        )
    if "LOAD" in found.update:
        raise PolicyError(
            "LOAD is refused: the server does not fetch URLs",
            path=where,
            hint="Send the data with a Graph Store PUT or POST to /store instead.",
        )
    if found.dataset:
        raise PolicyError("FROM is refused in updates", path=where, hint="Remove it.")
    if not found.update:
        raise QueryError("not a SPARQL update", path=where, hint="Send queries to /query.")


def _check_length(text: str, where: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise LimitError(
            f"the text is longer than {MAX_QUERY_CHARS} characters",
            path=where,
            hint="Send a shorter one.",
        )


def _authorised(header: str, token: str) -> bool:
    scheme, _, value = header.partition(" ")
    given = value.strip()
    if scheme.lower() == "basic":
        try:
            given = base64.b64decode(given, validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return False
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def _params(text: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as error:
        raise RefusalError(
            HTTPStatus.BAD_REQUEST, f"unreadable parameters: {error}"[:200]
        ) from error
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        found.setdefault(name, []).append(value)
    return found


def _graphs(params: dict[str, list[str]], names: tuple[str, ...]) -> str:
    return urlencode([(name, value) for name in names for value in params.get(name, [])])


def _single(texts: list[str], name: str) -> str:
    if not texts:
        raise RefusalError(
            HTTPStatus.BAD_REQUEST, f"no {name} given. Send it as the '{name}' parameter."
        )
    if len(texts) > 1:
        raise RefusalError(HTTPStatus.BAD_REQUEST, f"more than one {name} given. Send one.")
    return texts[0]


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RefusalError(
            HTTPStatus.BAD_REQUEST, "the body is not UTF-8. Send UTF-8 text."
        ) from error


def _content_type(environ: dict[str, Any]) -> str:
    return str(environ.get("CONTENT_TYPE", "")).split(";", 1)[0].strip().lower()


def _content_length(environ: dict[str, Any]) -> int:
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError as error:
        raise RefusalError(HTTPStatus.BAD_REQUEST, "the Content-Length is not a number") from error


def _media_hint(what: str, kind: str) -> str:
    return f"cannot read {what} sent as '{kind[:100]}'. Send it form-encoded or as SPARQL text."


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise RefusalError(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{method[:20]} is not allowed here. Use {' or '.join(allowed)}.",
            [("Allow", ", ".join(allowed))],
        )


def _status_for(error: AzgraphError) -> HTTPStatus:
    if isinstance(error, LimitError):
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    if isinstance(error, PolicyError):
        return HTTPStatus.FORBIDDEN
    return HTTPStatus.BAD_REQUEST


def _plain(
    start_response: StartResponse,
    status: HTTPStatus,
    message: str,
    extra: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    body = (one_line(message) + "\n").encode("utf-8")
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("X-Content-Type-Options", "nosniff"),
        *extra,
    ]
    start_response(f"{status.value} {status.phrase}", headers)
    return [body]


def _page(start_response: StartResponse, method: str, body: bytes, kind: str) -> list[bytes]:
    headers = [
        ("Content-Type", kind),
        ("Content-Length", str(len(body))),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", CSP),
    ]
    start_response("200 OK", headers)
    return [] if method == "HEAD" else [body]


def _chunks(body: IO[bytes]) -> Iterable[bytes]:
    try:
        while chunk := body.read(CHUNK):
            yield chunk
    finally:
        body.close()
