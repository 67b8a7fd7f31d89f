"""The site of a release of the real curated data, built once per test process, and real
Chromium (Debian's, through Playwright; never `playwright install`) that may load only files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from azgraph.build.compile import build_graphs
from azgraph.project import Project
from azgraph.publish.release import make_release
from tests.conftest import make_project


@pytest.fixture(scope="session")
def real_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release (Turtle dumps only) of the repository's own curated files."""
    root = make_project(tmp_path_factory.mktemp("site"), case=None)
    build_graphs(Project.at(root))
    folder = root / "dist" / "release"
    make_release(Project.at(root), folder, formats=["turtle", "jsonld"])
    return folder


@pytest.fixture(scope="session")
def site(real_release: Path) -> Path:
    return real_release / "site"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests: list[str] = []

    def guard(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.requests = requests
    yield page
    context.close()
    outside = [url for url in requests if not url.startswith("file://")]
    assert outside == [], f"the site made external requests: {outside}"
