"""Load shedding: above its capacity the service says 503 with Retry-After at once, rather than
queueing checks for minutes behind each other (every client then times out, and the work done
for them is wasted).

A check holds a place from the moment its request is admitted until its response is sent; a
request that finds every place taken is refused before any work is done. The rate limit is per
client; this is for the service as a whole.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

from fastapi import HTTPException, Request

#: how long a refused client is asked to wait, seconds
RETRY_AFTER = 2
BUSY = "服务繁忙，正在处理的审查已达上限，请稍后重试。"


class Admission:
    """At most `capacity` checks in the service at once (0: no limit)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.inside = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if self.capacity and self.inside >= self.capacity:
                return False
            self.inside += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.inside -= 1


async def admit(request: Request) -> AsyncIterator[None]:
    """Dependency for the routes that check: a place for the request, or 503 with Retry-After."""
    gate: Admission = request.app.state.admission
    if not gate.enter():
        raise HTTPException(503, BUSY, headers={"Retry-After": str(RETRY_AFTER)})
    try:
        yield
    finally:
        gate.leave()
