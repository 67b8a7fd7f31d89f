"""Fixtures of the query tests: a one-trick HTTP server on 127.0.0.1 for remote faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.query.stubs import Responder, Stub, StubFactory


@pytest.fixture
def stub() -> Iterator[StubFactory]:
    made: list[Stub] = []

    def make(respond: Responder) -> Stub:
        made.append(Stub(respond))
        return made[-1]

    yield make
    for server in made:
        server.close()
