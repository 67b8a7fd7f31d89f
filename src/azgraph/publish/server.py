"""`azgraph serve`: Oxigraph's server as the engine, behind a front that bounds what reaches it.

The engine is ``oxigraph serve`` with an in-memory store on a private loopback port, loaded over
that port at start, with ``--timeout-s`` (it really cancels queries). The front
(`serverfront.Front`, run by waitress) listens on HOST:PORT. Two choices keep every exit clean:

- The store lives in the engine's memory, so no folder exists that only azgraph could remove.
  (Oxigraph's read-only server kept answering after its folder was deleted, but a writable one
  writes new files there, and a folder still exists while ``oxigraph load`` fills it.)
- The engine asks Linux to kill it when the thread that started it dies (PR_SET_PDEATHSIG), so
  even a SIGKILL of azgraph, which runs no clean-up code, ends the engine too.
"""

from __future__ import annotations

import ctypes
import http.client
import logging
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from azgraph.errors import InputError, RemoteError
from azgraph.publish.serverfront import Front
from azgraph.publish.serverproxy import Limits
from azgraph.query.queries import QueryFile

READY_TIMEOUT = 30.0
TOKEN_ENV = "AZGRAPH_SERVE_TOKEN"
MIN_TOKEN_CHARS = 16
_PR_SET_PDEATHSIG = 1
_MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads"}


@dataclass
class Engine:
    """The Oxigraph child: its process, private port and (unnamed) log file."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    def last_message(self) -> str:
        """The last line the engine logged (for error messages)."""
        self.log.seek(0)
        return _last_line(self.log.read().decode("utf-8", "replace"))

    def stop(self, grace: float = 10.0) -> int:
        """Terminate the engine and wait for it; return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@dataclass
class Server:
    """The engine and the front that listens on HOST:PORT."""

    engine: Engine
    front: Any  # a waitress server, run by ``loop`` (the main thread only waits and stops it)
    host: str
    port: int
    token: str | None
    limits: Limits
    loop: threading.Thread

    @property
    def writable(self) -> bool:
        return self.token is not None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def wait(self) -> int:
        """Block until the engine exits (a signal's KeyboardInterrupt ends the wait first)."""
        while True:
            try:
                return self.engine.process.wait(1.0)
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> int:
        """Stop the front, then the engine; return the engine's exit code."""
        from waitress import wasyncore

        try:
            if self.loop.is_alive():  # close the sockets in the loop's own thread; it then ends
                self.front.trigger.pull_trigger(lambda: wasyncore.close_all(self.front._map))
                self.loop.join(5)
            self.front.task_dispatcher.shutdown(timeout=2)
        finally:
            code = self.engine.stop()
        return code


def oxigraph_binary() -> Path:
    """The ``oxigraph`` program installed next to this Python (the PyPI ``oxigraph`` package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise InputError(
        "the oxigraph server program is not installed",
        hint="Install it with: pip install 'oxigraph>=0.5,<0.6'.",
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def write_token() -> tuple[str, bool]:
    """The token writes need: AZGRAPH_SERVE_TOKEN if set, else a new random one; and whether
    it came from the environment."""
    import secrets

    given = os.environ.get(TOKEN_ENV)
    if given is None:
        return secrets.token_urlsafe(24), False
    if len(given) < MIN_TOKEN_CHARS or not given.isprintable() or " " in given:
        raise InputError(
            f"{TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} printable characters without spaces",
            hint="Unset it to get a random token, or set a longer one.",
        )
    return given, True


def start_server(
    files: list[Path],
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    token: str | None = None,
    limits: Limits | None = None,
    max_connections: int = 500,
    client_timeout: int = 30,
    queries: dict[str, QueryFile] | None = None,
    site: Path | None = None,
) -> Server:
    """Start the engine, load ``files`` into it, and open the front on HOST:PORT."""
    from waitress.server import create_server

    # Its "task queue depth" warnings are normal under load and would only fill the terminal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    limits = limits or Limits()
    engine = start_engine(files, timeout=limits.timeout)
    try:
        _allow_open_files(max_connections + 64)
        listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            front = create_server(
                Front(engine.port, limits, token, queries, site),
                listen=listen,
                threads=limits.engine_slots + 4,  # refusals and pages are answered while it works
                connection_limit=max_connections,
                channel_timeout=client_timeout,
                cleanup_interval=max(1, min(client_timeout // 2, 10)),
                max_request_header_size=limits.max_query_bytes + 16384,
                # waitress reads a body before the app can check the token: only a writable
                # server takes uploads (twice the query limit leaves the app's own 413 message)
                max_request_body_size=limits.max_upload_bytes + 1
                if token
                else 2 * limits.max_query_bytes,
                asyncore_use_poll=True,  # select() stops at 1,024 sockets
                expose_tracebacks=False,
                ident="azgraph",
            )
        except OSError as error:
            raise RemoteError(
                f"cannot listen on {listen}: {error.strerror or error}",
                hint="Stop what uses it, or choose another --port (0: any free port).",
            ) from error
        bound_port = int(cast(Any, front).effective_port)
        loop = threading.Thread(target=front.run, name="azgraph-front", daemon=True)
        loop.start()
        return Server(engine, front, host, bound_port, token, limits, loop)
    except BaseException:
        engine.stop()
        raise


def start_engine(files: list[Path], *, timeout: int) -> Engine:
    """Start ``oxigraph serve`` in memory on a private port and load ``files`` into it."""
    binary = oxigraph_binary()
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115  (unnamed: nothing to remove after a SIGKILL)
    process = subprocess.Popen(
        [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches azgraph, which then stops the engine
        preexec_fn=partial(_die_with_parent, os.getpid()) if sys.platform == "linux" else None,
    )
    engine = Engine(process, port, log)
    try:
        _wait_ready(engine)
        for path in files:
            _load(engine, path)
        return engine
    except BaseException:
        engine.stop()
        raise


def _die_with_parent(parent: int) -> None:
    """In the forked child, before exec: die with the parent even if it is SIGKILLed."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _load(engine: Engine, path: Path) -> None:
    kind = _MEDIA_TYPES.get(path.suffix.lower(), "text/turtle")
    connection = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=READY_TIMEOUT)
    try:
        with path.open("rb") as body:
            connection.request("POST", "/store?default", body=body, headers={"Content-Type": kind})
            answer = connection.getresponse()
            detail = answer.read().decode("utf-8", "replace")
    except OSError as error:
        raise InputError(f"oxigraph could not load the graph: {error}", path=path) from error
    finally:
        connection.close()
    if answer.status >= 300:
        raise InputError(
            f"oxigraph could not load the graph: {_last_line(detail)}",
            path=path,
            hint="Run 'azgraph validate' to find the broken file.",
        )


def _wait_ready(engine: Engine) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        code = engine.process.poll()
        if code is not None:
            raise RemoteError(
                f"the oxigraph engine exited with code {code}: {engine.last_message()}",
                hint="Run 'oxigraph serve' by hand to see why.",
            )
        try:
            with socket.create_connection(("127.0.0.1", engine.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RemoteError(f"the oxigraph engine did not answer within {READY_TIMEOUT:g} s")


def _allow_open_files(wanted: int) -> None:
    """Raise the soft limit on open files so --max-connections can be reached (it is often
    1,024 by default); never above the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), hard))


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"
