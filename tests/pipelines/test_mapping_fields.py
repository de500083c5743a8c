"""Every field a hit carries into an export or the index is declared in the strict mapping.

The hit index is ``dynamic: strict``: a field added to :class:`pipelines.items.Hit` but not to
:data:`pipelines.es.template.MAPPINGS` makes Elasticsearch refuse every document of a crawl
(each is spooled instead). This checks the contract without a server; ``tests/es`` on one.
"""

from __future__ import annotations

from pipelines.es.template import MAPPINGS
from pipelines.items import EXPORT_FIELDS


def test_every_exported_field_is_in_the_strict_mapping() -> None:
    missing = [name for name in EXPORT_FIELDS if name not in MAPPINGS["properties"]]
    assert missing == [], f"add these fields to pipelines/es/template.py MAPPINGS: {missing}"


def test_candidate_title_is_searchable_as_a_word_and_aggregatable_as_a_term() -> None:
    spec = MAPPINGS["properties"]["candidate_title"]
    assert spec["type"] == "keyword" and spec["fields"]["text"]["type"] == "text"
