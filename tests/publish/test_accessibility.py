"""Issue #19: axe-core finds no serious or critical violation on the site or the query page.

axe-core comes from npm (`tests/axe/package.json`, installed by `make setup` into
`tests/axe/node_modules`) and is injected into each page in real Chromium, opened from
`file://` (the site) and from a real `azgraph serve` on 127.0.0.1 (the query page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.publish.test_server import Served

AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "index.html",
    "id/pipeline/baku-tbilisi-ceyhan-pipeline.html",
    "id/person/heydar-aliyev.html",
    "id/source/cemeri-2022.html",
    "timeline.html",
    "graph.html",
]


def serious_violations(page: Any) -> list[tuple[str, str, list[str]]]:
    """(rule, impact, first targets) of each serious or critical axe-core violation."""
    assert AXE.is_file(), f"{AXE} is missing: run make setup (npm ci --prefix tests/axe)"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "axe.run().then(r => r.violations.map(v => [v.id, v.impact,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' '))]))"
    )
    return [tuple(v) for v in json.loads(json.dumps(found)) if v[1] in ("serious", "critical")]


@pytest.mark.parametrize("name", PAGES)
def test_site_pages_have_no_serious_accessibility_violation(
    site: Path, page: Any, name: str
) -> None:
    page.goto((site / name).as_uri())
    assert serious_violations(page) == []


@pytest.mark.server
def test_the_query_page_has_no_serious_accessibility_violation(
    real_release: Path, browser: Any
) -> None:
    server = Served(project=real_release.parent.parent)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(server.base + "/")
        assert serious_violations(page) == []
    finally:
        context.close()
        server.close()
