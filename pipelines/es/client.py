"""The one place that turns an :class:`EsConfig` into a client, and client errors into clear
messages."""

from __future__ import annotations

from elasticsearch import (
    ApiError,
    AsyncElasticsearch,
    AuthenticationException,
    AuthorizationException,
    TransportError,
)

from pipelines.es.config import EsConfig
from pipelines.exceptions import IndexingError

__all__ = ["credential_error", "describe_error", "make_client"]


def make_client(config: EsConfig) -> AsyncElasticsearch:
    """An ``AsyncElasticsearch`` for ``config``; call it inside the running event loop."""
    return AsyncElasticsearch(**config.client_kwargs())


def credential_error(exc: Exception, config: EsConfig) -> IndexingError | None:
    """A clear :class:`IndexingError` for a 401/403, naming the settings to check; ``None``
    otherwise."""
    if isinstance(exc, AuthenticationException):
        basic = config.username or config.password
        how = "API key" if config.api_key else ("user/password" if basic else "no credentials")
        return IndexingError(
            f"Elasticsearch at {config.safe_url} rejected the credentials (HTTP 401, {how}): "
            "check "
            "ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD"
        )
    if isinstance(exc, AuthorizationException):
        return IndexingError(
            f"Elasticsearch at {config.safe_url} refused the request (HTTP 403): the credentials "
            "need manage_index_templates on the cluster and create_index, write, read, manage on "
            f"{config.index}*"
        )
    return None


def describe_error(exc: Exception) -> str:
    """A short, secret-free description of a client error for logs and the spool."""
    if isinstance(exc, ApiError):
        return f"HTTP {exc.status_code} {exc.error}"
    if isinstance(exc, TransportError):
        return f"{type(exc).__name__}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"
