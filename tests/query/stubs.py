"""A one-trick HTTP server on 127.0.0.1 that records each request and answers as told: the
remote-fault tests of the endpoint and of the transport share it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

Responder = Callable[[socket.socket, threading.Event], None]


class Stub:
    """A one-trick HTTP server on 127.0.0.1: records each request, then runs ``respond``."""

    def __init__(self, respond: Responder) -> None:
        self.respond = respond
        self.requests: list[bytes] = []
        self.stopping = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.threads = [threading.Thread(target=self._serve, daemon=True)]
        self.threads[0].start()

    def url(self, path: str = "/query") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    key, _, value = line.partition(b":")
                    if key.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                self.respond(conn, self.stopping)
            except OSError:
                pass

    def header(self, name: str) -> str | None:
        head = self.requests[-1].split(b"\r\n\r\n")[0].decode()
        for line in head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.lower() == name.lower():
                return value.strip()
        return None

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        for thread in self.threads:
            thread.join(5)


StubFactory = Callable[[Responder], Stub]
