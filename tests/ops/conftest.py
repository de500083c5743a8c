"""Fixtures of tests/ops: the real Elasticsearch server's (tests/es)."""

from __future__ import annotations

from tests.es.conftest import es, es_url  # noqa: F401 - the real server's fixtures
