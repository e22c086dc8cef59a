"""Who is an administrator: the token (`Authorization: Bearer`) or a session from the login form.

Three things an attack found: the Bearer token could be guessed 700 times in 2 s (the login
form was rate-limited, the header was not); logging out only deleted the browser's cookie, a
copied cookie went on working for 8 hours; and nothing recorded who logged in or failed to.
Now wrong tokens, by header or form, are counted per client and, past the allowance, refused
with 429 before any comparison; a session is a random id the server keeps, ended on the
server by logging out (by a restart too, and when the token changes); and every login, logout
and failure is logged (`compliance.web.admin`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time

from fastapi import HTTPException, Request

from compliance.web.security import RateLimiter, client_address

ADMIN_COOKIE = "compliance_admin"
ADMIN_SESSION_SECONDS = 8 * 3600
#: sessions kept at once; past it the oldest end (a flood of logins cannot grow memory)
MAX_SESSIONS = 1000
log = logging.getLogger("compliance.web.admin")


class AdminSessions:
    """Sessions on the server: the cookie holds only a random id."""

    def __init__(self) -> None:
        #: session id -> (expiry, fingerprint of the token it was opened with)
        self._sessions: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def open(self, token: str) -> str:
        session = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            self._sessions = {key: value for key, value in self._sessions.items()
                              if value[0] > now}
            while len(self._sessions) >= MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]
            self._sessions[session] = (now + ADMIN_SESSION_SECONDS, _fingerprint(token))
        return session

    def valid(self, session: str, token: str) -> bool:
        with self._lock:
            found = self._sessions.get(session)
        return found is not None and found[0] > time.time() and hmac.compare_digest(
            found[1], _fingerprint(token))

    def close(self, session: str) -> bool:
        with self._lock:
            return self._sessions.pop(session, None) is not None


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _guard(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.admin_failures
    return limiter


def refuse_if_guessing(request: Request) -> None:
    """429 for a client past its allowance of wrong tokens, before its token is even compared."""
    wait = _guard(request).waiting(client_address(request))
    if wait:
        log.warning("admin token attempts refused for %s: too many wrong tokens",
                    client_address(request))
        raise HTTPException(429, "管理员令牌错误次数过多，请稍后再试。",
                            headers={"Retry-After": str(max(1, round(wait)))})


def token_matches(request: Request, given: str, how: str) -> bool:
    """Whether `given` is the configured admin token (never when none is configured); a wrong
    one is counted against the client and logged."""
    token: str = request.app.state.settings.admin_token
    if bool(token) and hmac.compare_digest(given.encode(), token.encode()):
        return True
    _guard(request).wait_time(client_address(request))
    log.warning("wrong admin token (%s) from %s", how, client_address(request))
    return False


def is_admin(request: Request) -> bool:
    """A right Bearer token, or a live session from the login form; neither when no admin token
    is configured. A client guessing tokens gets 429 (`refuse_if_guessing`)."""
    token: str = request.app.state.settings.admin_token
    if not token:
        return False
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        refuse_if_guessing(request)
        return token_matches(request, authorization.removeprefix("Bearer ").strip(), "bearer")
    session = request.cookies.get(ADMIN_COOKIE, "")
    sessions: AdminSessions = request.app.state.admin_sessions
    return bool(session) and sessions.valid(session, token)
