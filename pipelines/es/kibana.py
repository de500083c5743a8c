"""``lurewatch kibana import``: post ``kibana/lurewatch.ndjson`` to Kibana's saved-objects import API.

Environment (read here: this is a CLI entry point, not a Scrapy component): ``KIBANA_URL`` (required),
``KIBANA_API_KEY`` or ``KIBANA_USERNAME``/``KIBANA_PASSWORD``, ``KIBANA_SPACE``, ``KIBANA_CA_CERTS``.
TLS is verified; credentials are never printed.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import ssl
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from pipelines._package_data import package_dir
from pipelines.es.config import redact_url

__all__ = ["DEFAULT_NDJSON", "build_request", "main"]

#: The saved objects shipped with the project, as package data.
DEFAULT_NDJSON = package_dir("kibana") / "lurewatch.ndjson"


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = f"lurewatch-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/ndjson\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _auth_header(env: Mapping[str, str]) -> str | None:
    if env.get("KIBANA_API_KEY"):
        return f"ApiKey {env['KIBANA_API_KEY']}"
    if env.get("KIBANA_USERNAME"):
        pair = f"{env['KIBANA_USERNAME']}:{env.get('KIBANA_PASSWORD', '')}".encode()
        return f"Basic {base64.b64encode(pair).decode()}"
    return None


def build_request(
    kibana_url: str, path: Path, env: Mapping[str, str], space: str = "", overwrite: bool = True
) -> Request:
    """The ``POST /[s/<space>/]api/saved_objects/_import`` request for ``path``."""
    prefix = f"/s/{quote(space, safe='')}" if space else ""
    url = f"{kibana_url.rstrip('/')}{prefix}/api/saved_objects/_import?overwrite={str(overwrite).lower()}"
    body, content_type = _multipart(path)
    request = Request(  # noqa: S310 - URL from the operator (--url / KIBANA_URL)
        url, data=body, method="POST", headers={"kbn-xsrf": "true", "Content-Type": content_type}
    )
    if auth := _auth_header(env):
        request.add_unredirected_header("Authorization", auth)
    return request


def _send(request: Request, ca_certs: str | None) -> tuple[int, dict[str, Any]]:
    context = ssl.create_default_context(cafile=ca_certs or None)
    try:
        with urlopen(request, timeout=60, context=context) as response:  # noqa: S310 - URL from the operator
            return response.status, json.loads(response.read() or b"{}")
    except HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, {"message": text[:500]}


def _report(status: int, answer: dict[str, Any], url: str) -> int:
    if status in (401, 403):
        print(
            f"error: Kibana at {url} refused the credentials (HTTP {status}): check KIBANA_API_KEY or "
            "KIBANA_USERNAME/KIBANA_PASSWORD",
            file=sys.stderr,
        )
        return 3
    if status != 200:
        print(
            f"error: Kibana at {url} answered HTTP {status}: {answer.get('message', answer)}", file=sys.stderr
        )
        return 1
    for error in answer.get("errors", []):
        print(f"error: {error.get('type')} {error.get('id')}: {error.get('error')}", file=sys.stderr)
    print(f"imported {answer.get('successCount', 0)} saved objects into {url}")
    return 0 if answer.get("success") else 1


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Entry point of ``lurewatch kibana import``; returns the exit status."""
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(prog="lurewatch kibana", description="Kibana saved objects.")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import the dashboards, saved searches and data view")
    imp.add_argument("--url", default=env.get("KIBANA_URL", ""), help="Kibana URL (default: KIBANA_URL)")
    imp.add_argument("--space", default=env.get("KIBANA_SPACE", ""), help="Kibana space (default: default)")
    imp.add_argument("--file", type=Path, default=DEFAULT_NDJSON, help="NDJSON to import")
    imp.add_argument("--no-overwrite", action="store_true", help="keep objects that already exist")
    args = parser.parse_args(argv)
    if not args.url:
        print("error: KIBANA_URL not set (or pass --url)", file=sys.stderr)
        return 3
    request = build_request(args.url, args.file, env, args.space, overwrite=not args.no_overwrite)
    try:
        status, answer = _send(request, env.get("KIBANA_CA_CERTS"))
    except (URLError, OSError) as exc:
        print(f"error: cannot reach Kibana at {redact_url(args.url)}: {exc}", file=sys.stderr)
        return 1
    return _report(status, answer, redact_url(args.url))


if __name__ == "__main__":
    sys.exit(main())
