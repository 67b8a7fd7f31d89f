"""Issue #19 item 7: content negotiation proven on a real Apache httpd (Debian's `apache2`).

The release's site folder is copied, as a publisher would copy it, into a folder that Apache
serves from a generated minimal configuration on a free 127.0.0.1 port; the only negotiation
is the site's own ``.htaccess``. An entity IRI's path must answer HTML, Turtle and JSON-LD,
each with its media type, by the Accept header alone."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from azgraph.query.endpoint import http_request
from azgraph.query.transport import HttpAnswer

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir", "negotiation")
ENTITY = "id/pipeline/baku-tbilisi-ceyhan-pipeline"
IRI = URIRef("https://w3id.org/azgraph/" + ENTITY)


def _config(root: Path, docroot: Path, port: int) -> str:
    modules = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in NEEDED)
    # Apache started by root switches to an unprivileged user before serving.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    return f"""ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
ErrorLog "{root}/error.log"
LogLevel warn
{modules}
{user}TypesConfig /etc/mime.types
DocumentRoot "{docroot}"
DirectoryIndex index.html
<Directory "{docroot}">
  AllowOverride All
  Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def apache(real_release: Path) -> Iterator[str]:
    if not APACHE.exists():
        pytest.skip("Apache httpd is not installed (Debian package apache2; make setup adds it)")
    root = Path(tempfile.mkdtemp(prefix="azgraph-apache-"))
    root.chmod(0o755)  # readable by the user Apache serves as
    docroot = root / "www"
    shutil.copytree(real_release / "site", docroot)  # publishing is a copy
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = root / "httpd.conf"
    conf.write_text(_config(root, docroot, port), encoding="utf-8")
    process = subprocess.Popen([str(APACHE), "-f", str(conf), "-DFOREGROUND"])
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_listening(port, process, root)
        yield base
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(root)


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = root / "error.log"
            raise AssertionError(log.read_text() if log.exists() else "apache2 ended")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("apache2 did not listen within 20 s")


def _get(base: str, accept: str) -> HttpAnswer:
    return http_request("GET", f"{base}/{ENTITY}", headers={"Accept": accept}, timeout=10)


@pytest.mark.parametrize(
    ("accept", "media", "syntax"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", None),
        ("*/*", "text/html", None),
    ],
)
def test_entity_iri_path_negotiates_on_apache(
    apache: str, accept: str, media: str, syntax: str | None
) -> None:
    answer = _get(apache, accept)
    assert answer.status == 200, answer.body[:200]
    assert answer.content_type.split(";")[0].strip() == media
    assert "charset=utf-8" in answer.content_type.lower()
    assert "accept" in answer.headers.get("vary", "").lower()
    if syntax is None:
        assert b"<h1" in answer.body and b"Baku" in answer.body
    else:
        graph = Graph().parse(data=answer.body.decode("utf-8"), format=syntax)
        assert (IRI, None, None) in graph


def test_site_files_keep_their_own_types_on_apache(apache: str) -> None:
    index = http_request("GET", f"{apache}/index.html", headers={}, timeout=10)
    assert index.status == 200 and index.content_type.startswith("text/html")
    script = http_request("GET", f"{apache}/search-index.js", headers={}, timeout=10)
    assert script.status == 200 and "javascript" in script.content_type
