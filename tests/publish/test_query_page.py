"""Issue #19 item 6: `azgraph serve`'s page stays home and knows the project.

A real `azgraph serve` on 127.0.0.1 (over a project with a release, so a site exists) and real
Chromium: the page offers every bundled query with its title, runs one with its parameters as
form fields, links result IRIs to the local entity pages, and the browser asks no other host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.publish.test_server import QUERIES, Served

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served_release(real_release: Path) -> Iterator[Served]:
    server = Served(project=real_release.parent.parent)  # <root>/dist/release
    yield server
    server.close()


@pytest.fixture
def logged(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    yield page, requests
    context.close()


def test_the_page_asks_for_nothing_but_the_server(served_release: Served) -> None:
    answer = served_release.request("GET", "/")
    body = answer.body.decode("utf-8")
    assert answer.status == 200 and "prefix.cc" not in body
    assert 'src="http' not in body and 'href="http' not in body
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_bundled_queries_run_and_link_to_the_site(
    served_release: Served, logged: tuple[Any, list[str]]
) -> None:
    page, requests = logged
    page.goto(served_release.base + "/")
    options = page.locator("#example option")
    titles = [options.nth(i).inner_text() for i in range(options.count())]
    for query in QUERIES.values():
        assert f"{query.title} ({query.name})" in titles
    assert "PREFIX az: <https://w3id.org/azgraph/ontology#>" in page.input_value("#text")

    page.select_option("#example", "facts-about")
    assert page.input_value("#params input[name=entity]") == "state:azerbaijan"
    page.fill("#params input[name=entity]", "pipeline:baku-tbilisi-ceyhan-pipeline")
    page.click("#run")
    page.wait_for_selector("#results table tr:nth-child(2)")
    assert "rows" in page.inner_text("#status")
    first = page.locator("#results a[href^='/site/id/']").first
    href = first.get_attribute("href")
    assert href and href.endswith(".html")
    first.click()
    page.wait_for_load_state()
    assert page.url == served_release.base + href
    assert page.locator("h1").count() == 1

    page.goto(served_release.base + "/")
    page.select_option("#example", "pipelines")
    page.click("#run")
    page.wait_for_selector("#results table tr:nth-child(2)")
    assert "Baku" in page.inner_text("#results")

    elsewhere = [url for url in requests if not url.startswith(served_release.base + "/")]
    assert elsewhere == [], elsewhere
    assert any(url.endswith("/run") for url in requests)


def test_without_a_site_results_link_to_describe(
    served_release: Served, logged: tuple[Any, list[str]]
) -> None:
    """The repository itself has no release: IRIs then link to the server's DESCRIBE."""
    server = Served()
    try:
        page, requests = logged
        page.goto(server.base + "/?example=pipelines")
        page.click("#run")
        page.wait_for_selector("#results table tr:nth-child(2)")
        href = page.locator("#results td a").first.get_attribute("href") or ""
        assert href.startswith("/query?query=DESCRIBE")
        answer = server.request("GET", href, Accept="text/turtle")
        assert answer.status == 200 and answer.body
        assert all(url.startswith(server.base + "/") for url in requests)
    finally:
        server.close()
