"""Elasticsearch support: config, index template, documents, upserts, spool and replay, CLI.

The Scrapy pipeline itself is :class:`pipelines.indexing.ElasticsearchPipeline`.
"""

from pipelines.es.config import EsConfig
from pipelines.es.documents import build_document, doc_id
from pipelines.es.spool import Spool
from pipelines.es.template import setup_index
from pipelines.es.writer import HitWriter
from pipelines.urls import canonical_post_url

__all__ = [
    "EsConfig",
    "HitWriter",
    "Spool",
    "build_document",
    "canonical_post_url",
    "doc_id",
    "setup_index",
]
