"""Google's JSON error envelope, as every googleapis.com API returns it: Blogger, Custom Search."""

from __future__ import annotations

from replica.http import Request, Response, json_response

__all__ = [
    "INVALID_KEY_PREFIX",
    "api_key_error",
    "google_error",
    "invalid_error",
    "not_found",
    "required_error",
]

#: A key starting with this is "not valid" (the tests' way to provoke Google's 400 keyInvalid).
INVALID_KEY_PREFIX = "invalid"


def google_error(code: int, message: str, reason: str, status: str) -> Response:
    """Google's JSON error envelope, as every googleapis.com API returns it."""
    body = {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": status,
        }
    }
    return json_response(body, code, [("Vary", "Origin, X-Origin, Referer")])


def api_key_error(request: Request) -> Response | None:
    """A googleapis.com API's error for a missing or invalid key (``None``: the key is fine)."""
    key = request.arg("key") or request.headers.get("x-goog-api-key", "")
    if not key:
        return google_error(
            403,
            "Method doesn't allow unregistered callers (callers without established identity). "
            "Please use API Key or other form of API consumer identity to call this API.",
            "forbidden",
            "PERMISSION_DENIED",
        )
    if key.startswith(INVALID_KEY_PREFIX):
        return google_error(
            400,
            "API key not valid. Please pass a valid API key.",
            "keyInvalid",
            "INVALID_ARGUMENT",
        )
    return None


def not_found() -> Response:
    return google_error(404, "Not Found", "notFound", "NOT_FOUND")


def required_error(name: str) -> Response:
    return google_error(400, f"Required parameter: {name}", "required", "INVALID_ARGUMENT")


def invalid_error(name: str, value: str) -> Response:
    return google_error(
        400,
        f"Invalid value '{value}'. Values must match the requested format for {name}.",
        "invalid",
        "INVALID_ARGUMENT",
    )
