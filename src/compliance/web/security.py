"""Security basics: standard headers, body size limits, CSRF tokens and per-client rate limits.

Officers run this on intranets where the app may be the only line of defence, so every page
gets a strict Content-Security-Policy (nothing but our own files), bodies are bounded before
they are parsed, form posts carry a token signed with the server's secret, JSON endpoints take
only JSON (a cross-site form cannot post it) and check endpoints are throttled.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

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
#: the cookie's random value: `secrets.token_urlsafe(32)` gives 43 characters
CSRF_NONCE_LENGTH = (32, 128)
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


def signature(request: Request, purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under the server's secret, bound to `purpose` so a signature made
    for one use (a CSRF token) is never accepted for another (an admin session)."""
    secret: bytes = request.app.state.secret
    return hmac.new(secret, f"{purpose}\n{value}".encode(), hashlib.sha256).hexdigest()


def _usable_nonce(value: str) -> bool:
    return CSRF_NONCE_LENGTH[0] <= len(value) <= CSRF_NONCE_LENGTH[1] and value.isascii()


def csrf_token(request: Request) -> str:
    """The hidden field's token: the HMAC of the browser's random cookie value. Knowing or even
    setting the cookie (a sibling subdomain can) does not let anyone forge the field: that
    takes the server's secret. A browser without a usable cookie gets a new one."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not _usable_nonce(nonce):
        nonce = getattr(request.state, "new_csrf", "") or secrets.token_urlsafe(32)
        request.state.new_csrf = nonce
    return signature(request, "csrf", nonce)


def set_csrf_cookie(request: Request, response: Response) -> None:
    nonce = getattr(request.state, "new_csrf", "")
    if nonce:
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")


def verify_csrf(request: Request, submitted: Any) -> None:
    """The field must be the signature of the cookie's nonce (compared in constant time)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not (isinstance(submitted, str) and _usable_nonce(nonce) and hmac.compare_digest(
            submitted.encode(), signature(request, "csrf", nonce).encode())):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败）。请刷新页面后重新提交。")


async def require_json(request: Request) -> None:
    """Dependency for JSON bodies. A page on another site can make a browser post text/plain
    or form data here without asking first, but never application/json (that needs a CORS
    preflight this app does not answer), so every other type is refused (415)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "请求内容须为 JSON（Content-Type: application/json）。")


#: methods that change nothing, never refused for where they come from
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def same_origin(request: Request) -> None:
    """Dependency of the API: a request that changes something, sent by a page of another site,
    is refused (403). A page elsewhere can make a browser post a form (multipart, no preflight)
    to `/api/v1/batch`; the browser then names that page's site in `Origin` (or `Referer`).
    Programs (curl, scripts) send neither and are not browsers: they pass."""
    if request.method in SAFE_METHODS:
        return
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return
    if urlsplit(source).netloc != request.headers.get("host", ""):
        raise HTTPException(403, f"拒绝来自其他网站的请求（来源「{source[:100]}」不是本服务）。")


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

    def _tokens(self, client: str, now: float) -> float:
        """The client's tokens now (call with the lock held)."""
        tokens, last = self.buckets.get(client, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def waiting(self, client: str) -> float:
        """Seconds until the client may go ahead (0: now), without counting a request."""
        if not self.enabled:
            return 0.0
        with self.lock:
            tokens = self._tokens(client, self.clock())
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def wait_time(self, client: str) -> float:
        """0 when the request may go ahead (and is counted), else seconds until it may."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self.lock:
            tokens = self._tokens(client, now)
            if tokens < 1:
                self.buckets[client] = (tokens, now)
                return (1 - tokens) / self.rate
            if len(self.buckets) >= self.MAX_CLIENTS:
                self.buckets.clear()  # a flood of addresses: forget all rather than grow
            self.buckets[client] = (tokens - 1, now)
            return 0.0


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def rate_limit(request: Request) -> None:
    """Dependency for check endpoints: 429 with Retry-After when the client is over its rate."""
    wait = request.app.state.limiter.wait_time(client_address(request))
    if wait:
        raise HTTPException(429, "请求过于频繁，请稍后再试。",
                            headers={"Retry-After": str(max(1, round(wait)))})
