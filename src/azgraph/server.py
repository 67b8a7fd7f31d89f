"""A local SPARQL server: Oxigraph's own binary (PyPI ``oxigraph``) on a temporary store.

`start_server` loads the ontology and data/*.ttl into a fresh store in a temporary folder, starts
``oxigraph serve-read-only`` (or ``serve`` when writable) on HOST:PORT, and waits until it
answers. `Server.stop` ends the child and removes the folder. The store is a copy: nothing a
client does through the server reaches data/.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, RemoteError

READY_TIMEOUT = 30.0


@dataclass
class Server:
    """A running Oxigraph server and the temporary folder that holds its store."""

    process: subprocess.Popen[bytes]
    folder: Path
    host: str
    port: int
    writable: bool

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

    def last_message(self) -> str:
        """The last line the server logged (for error messages)."""
        log = self.folder / "server.log"
        return _last_line(log.read_text("utf-8", "replace")) if log.is_file() else "no message"

    def stop(self, grace: float = 10.0) -> int:
        """Terminate the server, wait for it, and remove its store; return its exit code."""
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(grace)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return self.process.returncode


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


def start_server(
    files: list[Path], *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False
) -> Server:
    """Load ``files`` into a temporary store and serve it; raise if it does not come up."""
    binary = oxigraph_binary()
    if port == 0:
        port = free_port(host)
    folder = Path(tempfile.mkdtemp(prefix="azgraph-serve-"))
    server: Server | None = None
    try:
        store = folder / "store"
        loaded = subprocess.run(
            [str(binary), "load", "--location", str(store), "--file", *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        if loaded.returncode != 0:
            raise InputError(
                f"oxigraph could not load the graph: {_last_line(loaded.stderr)}",
                hint="Run 'azgraph validate' to find the broken file.",
            )
        mode = "serve" if writable else "serve-read-only"
        log = (folder / "server.log").open("wb")
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        process = subprocess.Popen(
            [str(binary), mode, "--location", str(store), "--bind", bind],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches azgraph, which then stops the server
        )
        log.close()
        server = Server(process, folder, host, port, writable)
        _wait_ready(server)
        return server
    except BaseException:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            raise RemoteError(
                f"the oxigraph server exited with code {code}: {server.last_message()}",
                path=server.base_url,
                hint="Is the port already in use? Try another --port.",
            )
        try:
            with socket.create_connection((server.host, server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RemoteError(
        f"the oxigraph server did not answer within {READY_TIMEOUT:g} s", path=server.base_url
    )


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"
