"""The error bodies of WordPress.com's native API and of core REST, and bounded parameters."""

from __future__ import annotations

from typing import Any

from replica.http import Request, Response, json_response

__all__ = ["bounded", "invalid_param", "rest_error", "wpcom_error"]


def wpcom_error(code: str, message: str, status: int, envelope: bool = False) -> Response:
    """A WordPress.com native API error (``http_envelope=1``: HTTP 200 with the status inside)."""
    body = {"error": code, "message": message}
    if envelope:
        return json_response(
            {
                "code": status,
                "headers": [{"name": "Content-Type", "value": "application/json"}],
                "body": body,
            }
        )
    return json_response(body, status)


def rest_error(code: str, message: str, status: int, **data: Any) -> Response:
    """A core REST API error: ``{"code", "message", "data": {"status"}}``."""
    return json_response(
        {"code": code, "message": message, "data": {"status": status, **data}}, status
    )


def invalid_param(name: str, why: str) -> Response:
    return rest_error(
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        400,
        params={name: why},
        details={name: {"code": "rest_out_of_bounds", "message": why, "data": None}},
    )


def bounded(request: Request, name: str, default: int, low: int, high: int) -> int | None:
    """An integer parameter within ``[low, high]``; ``None`` when it is out of bounds."""
    value = request.int_arg(name, default)
    return value if low <= value <= high else None
