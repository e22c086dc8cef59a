"""Security basics: standard headers, body size limits, CSRF tokens and per-client rate limits.

Officers run this on intranets where the app may be the only line of defence, so every page
gets a strict Content-Security-Policy (nothing but our own files), bodies are bounded before
they are parsed, form posts carry a double-submit token and check endpoints are throttled.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: our pages load only our own CSS and JS; no inline script or style, no framing, no plugins
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS: dict[str, str] = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
CSRF_COOKIE = "compliance_csrf"
CSRF_FIELD = "csrf_token"
#: POST paths that take file uploads and so get the larger body limit
UPLOAD_PATHS = frozenset({"/batch", "/api/v1/batch"})
#: files that never hold project data and may be cached
STATIC_PREFIXES = ("/static/", "/api/docs-assets/")


def security_headers(path: str) -> dict[str, str]:
    """Headers for any response; dynamic responses are never cached (they hold project data)."""
    headers = {**HEADERS, "content-security-policy": CSP}
    if not path.startswith(STATIC_PREFIXES):
        headers["cache-control"] = "no-store"
    return headers


class SecurityHeadersMiddleware:
    """Adds `security_headers` to every response, keeping any a route set itself (e.g. a CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name.encode(), value.encode()) for name, value in extra.items()
                         if name.encode() not in present]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"请求内容过大（上限 {limit // (1 << 20) or 1} MiB）")


class BodyLimitMiddleware:
    """Refuses bodies over the limit with 413, by declared length or while streaming.

    It raises `HTTPException` from `receive`, which FastAPI passes on (other errors while
    reading a body become 400) to the app's handler, so the 413 is shaped like any other error.
    """

    def __init__(self, app: ASGIApp, form_limit: int, upload_limit: int) -> None:
        self.app = app
        self.form_limit = form_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in UPLOAD_PATHS else self.form_limit
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            if declared.isdigit() and int(declared) > limit:
                raise too_large(limit)
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)
            return message

        await self.app(scope, limited_receive, send)


def csrf_token(request: Request) -> str:
    """The browser's token (from its cookie), or a new one `set_csrf_cookie` will hand out."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) < 32:
        token = getattr(request.state, "new_csrf", "") or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "new_csrf", "")
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")


def verify_csrf(request: Request, submitted: Any) -> None:
    """Double-submit check: the form's hidden token must equal the cookie's."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not (isinstance(submitted, str) and cookie and hmac.compare_digest(submitted, cookie)):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败）。请刷新页面后重新提交。")


class RateLimiter:
    """A token bucket per client: `burst` requests at once, `per_minute` sustained."""

    MAX_CLIENTS = 10_000

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait_time(self, client: str) -> float:
        """0 when the request may go ahead (and is counted), else seconds until it may."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self.buckets[client] = (tokens, now)
                return (1 - tokens) / self.rate
            if len(self.buckets) >= self.MAX_CLIENTS:
                self.buckets.clear()  # a flood of addresses: forget all rather than grow
            self.buckets[client] = (tokens - 1, now)
            return 0.0


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limit(request: Request) -> None:
    """Dependency for check endpoints: 429 with Retry-After when the client is over its rate."""
    wait = request.app.state.limiter.wait_time(client_address(request))
    if wait:
        raise HTTPException(429, "请求过于频繁，请稍后再试。",
                            headers={"Retry-After": str(max(1, round(wait)))})
