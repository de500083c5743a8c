"""Import ``kibana/lurewatch.ndjson`` through Kibana's saved-objects API (``lurewatch kibana``).

Settings: ``KIBANA_URL`` (required), ``KIBANA_API_KEY`` or ``KIBANA_USERNAME``/``KIBANA_PASSWORD``,
``KIBANA_SPACE``, ``KIBANA_CA_CERTS``. TLS is always verified; credentials never reach a message:
``user:password@`` in ``KIBANA_URL`` is taken out of the URL (as for ``ELASTICSEARCH_URL``) and
sent as basic auth unless ``KIBANA_USERNAME`` is set.
Scrapy-free: the settings are anything with Scrapy's getters
(:class:`~pipelines.config.SettingsLike`).
"""

from __future__ import annotations

import base64
import json
import ssl
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import Request, urlopen

from pipelines._package_data import package_dir
from pipelines.config import SettingsLike, parse_service_url, read_str
from pipelines.es.config import redact_url
from pipelines.exceptions import ConfigError

__all__ = ["DEFAULT_NDJSON", "KibanaConfig", "build_request", "import_saved_objects"]

#: The saved objects shipped with the project, as package data.
DEFAULT_NDJSON = package_dir("kibana") / "lurewatch.ndjson"
#: Seconds to wait for Kibana's answer (an import of every object takes a few seconds).
_TIMEOUT = 60


@dataclass(frozen=True)
class KibanaConfig:
    """Where Kibana is and how to authenticate; build it with :meth:`from_settings`."""

    url: str
    api_key: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    space: str = ""
    ca_certs: str = ""

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> KibanaConfig:
        """Read and validate; :class:`ConfigError` naming the setting when one is wrong."""
        raw_url = read_str(settings, "KIBANA_URL").strip()
        if not raw_url:
            raise ConfigError("KIBANA_URL not set")
        url = parse_service_url(raw_url, "KIBANA_URL")  # credentials out of the URL, checked
        ca_certs = read_str(settings, "KIBANA_CA_CERTS")
        if ca_certs and not Path(ca_certs).is_file():
            raise ConfigError(f"KIBANA_CA_CERTS: no such file, got {ca_certs!r}")
        username = read_str(settings, "KIBANA_USERNAME")
        password = read_str(settings, "KIBANA_PASSWORD")
        return cls(
            url=url.url,
            api_key=read_str(settings, "KIBANA_API_KEY"),
            username=username or url.username,
            password=password if username else url.password,
            space=read_str(settings, "KIBANA_SPACE"),
            ca_certs=ca_certs,
        )

    @property
    def safe_url(self) -> str:
        """The URL for messages."""
        return redact_url(self.url)

    def authorization(self) -> str | None:
        """The ``Authorization`` header: the API key, else basic auth, else none."""
        if self.api_key:
            return f"ApiKey {self.api_key}"
        if self.username:
            pair = f"{self.username}:{self.password}".encode()
            return f"Basic {base64.b64encode(pair).decode()}"
        return None


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = f"lurewatch-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{path.name}"\r\nContent-Type: application/ndjson\r\n\r\n'
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def build_request(config: KibanaConfig, path: Path, overwrite: bool = True) -> Request:
    """The ``POST /[s/<space>/]api/saved_objects/_import`` request for ``path``."""
    prefix = f"/s/{quote(config.space, safe='')}" if config.space else ""
    query = f"overwrite={str(overwrite).lower()}"
    url = f"{config.url}{prefix}/api/saved_objects/_import?{query}"
    body, content_type = _multipart(path)
    request = Request(  # noqa: S310 - the operator's KIBANA_URL, http(s) checked
        url, data=body, method="POST", headers={"kbn-xsrf": "true", "Content-Type": content_type}
    )
    auth = config.authorization()
    if auth:
        request.add_unredirected_header("Authorization", auth)
    return request


def _send(request: Request, ca_certs: str) -> tuple[int, dict[str, Any]]:
    context = ssl.create_default_context(cafile=ca_certs or None)
    try:
        with urlopen(request, timeout=_TIMEOUT, context=context) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, {"message": text[:500]}


def import_saved_objects(
    config: KibanaConfig, path: Path = DEFAULT_NDJSON, overwrite: bool = True
) -> tuple[int, dict[str, Any]]:
    """Post ``path`` to Kibana; return the HTTP status and Kibana's JSON answer.

    Raises ``URLError``/``OSError`` when Kibana cannot be reached.
    """
    return _send(build_request(config, path, overwrite), config.ca_certs)
