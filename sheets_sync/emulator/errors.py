"""The error replies of the emulated API, shaped like Google's.

    ApiError                     {"error": {"code", "message", "status"[, "details"]}}
    ├── invalid_argument(...)    400 INVALID_ARGUMENT
    ├── not_found()              404 NOT_FOUND
    └── permission_denied()      403 PERMISSION_DENIED

An ApiError is the emulator's way of answering a bad *request* (it is the server's output,
not a failure of the toolkit): the HTTP layer turns it into the JSON body.
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Messages recorded from Google (cassettes) or quoted in the reference notes.
DEFAULT_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
        "minute per user' of service 'sheets.googleapis.com' for consumer "
        "'project_number:000000000000'."
    ),
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


class ApiError(Exception):
    """An error reply: HTTP status code, message and optional `details` list."""

    def __init__(
        self, code: int, message: str | None = None, details: list[dict[str, Any]] | None = None
    ) -> None:
        self.code = code
        self.message = message or DEFAULT_MESSAGES.get(code, "Error.")
        self.status = STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details
        super().__init__(f"{code} {self.status}: {self.message}")

    def body(self) -> dict[str, Any]:
        """The JSON body Google sends with this status."""
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def invalid_argument(message: str, field: str | None = None) -> ApiError:
    """400 INVALID_ARGUMENT; with `field`, a google.rpc.BadRequest detail as Google adds."""
    details = None
    if field is not None:
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field, "description": message}],
            }
        ]
    return ApiError(400, message, details)


def rate_limited() -> ApiError:
    """429 RESOURCE_EXHAUSTED with the ErrorInfo detail Google sends for quota errors."""
    return ApiError(
        429,
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_limit": "WriteRequestsPerMinutePerUser",
                    "quota_metric": "sheets.googleapis.com/write_requests",
                    "service": "sheets.googleapis.com",
                    "consumer": "projects/000000000000",
                },
            }
        ],
    )


def not_found() -> ApiError:
    return ApiError(404)


def permission_denied() -> ApiError:
    return ApiError(403)
