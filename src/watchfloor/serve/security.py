"""The server's guards: security headers, the request size limit, the write token, hosts.

- Every response carries a Content-Security-Policy that allows scripts only from this
  server's own files (no inline script, no eval, nothing from elsewhere), and headers
  that stop framing, MIME sniffing and referrers.
- A request body over the limit is refused with 413 before the app reads it: at once
  when Content-Length says so, else as soon as the streamed body passes the limit.
- Writes need the token (`WATCHFLOOR_TOKEN`), compared in constant time; with no
  token configured, writes are refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # plotly.js adds its own <style> rules at run time; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DEFAULT_MAX_UPLOAD_BYTES = 10_000_000
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
NO_TOKEN = (
    "writes are disabled: this server has no token configured; set WATCHFLOOR_TOKEN "
    "(or `token` in watchfloor.toml) and restart it"
)
BAD_TOKEN = "a valid token is required: send it as 'Authorization: Bearer <token>'"


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_problem(configured: str | None, given: str | None) -> tuple[int, str] | None:
    """Why a write with this token is refused (status, message), or None when it may go on.

    >>> token_problem(None, "x")[0], token_problem("s3cret", "nope")[0]
    (403, 401)
    >>> token_problem("s3cret", "s3cret") is None
    True
    """
    if not configured:
        return 403, NO_TOKEN
    if not given or not hmac.compare_digest(given.encode(), configured.encode()):
        return 401, BAD_TOKEN
    return None


def bearer(authorization: str | None) -> str | None:
    """The token of an 'Authorization: Bearer <token>' header.

    >>> bearer("Bearer abc"), bearer("Basic abc")
    ('abc', None)
    """
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` gets 413 and never reaches the app."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(send)
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        await self.app(scope, _replay(messages, receive), send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"the request is larger than the limit of {self.max_bytes:,} bytes"}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(messages: Sequence[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def host_name(header: str) -> str:
    """The host name of a Host header, without its port.

    >>> host_name("127.0.0.1:8000"), host_name("[::1]:8000"), host_name("LocalHost")
    ('127.0.0.1', '::1', 'localhost')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.split(":", 1)[0]


class HostCheck:
    """ASGI middleware: only requests naming one of the allowed hosts (DNS rebinding guard)."""

    def __init__(self, app: ASGIApp, *, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope.get("headers", []) if k.lower() == b"host"), b"")
        if host_name(header.decode("latin-1")) in self.allowed:
            await self.app(scope, receive, send)
            return
        body = b"this server answers only to the host names it was started with"
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})
