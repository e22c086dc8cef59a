"""Benchmark `POST /api/v1/check` at a fixed arrival rate against a real server process.

Starts `python -m compliance.web` (what `compliance serve` runs) on a free 127.0.0.1 port with
a fresh SQLite file and rate limiting off, then sends the example projects at `--rate` requests
per second for `--seconds`, whether or not earlier ones were answered: an open loop, as users
arrive, so a server that falls behind shows it in the latency instead of slowing the clients
down (closed-loop clients hide a queue). Each latency counts from the moment the request was due.
The client is raw asyncio over keep-alive connections, cheap enough not to be the bottleneck.

    .venv/bin/python bench/api.py --rate 200 --seconds 20

Prints the latencies, errors, load shed (503) and how many checks the audit trail holds; the
last line is JSON `{"rate", "p50_ms", "p99_ms", "errors", "stored", ...}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from compliance.web.subprocess_server import ServerProcess

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def requests() -> list[bytes]:
    """Each example form as a whole HTTP request, ready to send."""
    paths = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".expected.yaml"))
    made = []
    for path in paths:
        body = json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str,
                          ensure_ascii=False).encode()
        made.append(b"POST /api/v1/check HTTP/1.1\r\nHost: bench\r\n"
                    b"Content-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return made


async def exchange(connection: Connection, request: bytes) -> int:
    """Send one request on a keep-alive connection, read the whole answer, return its status."""
    reader, writer = connection
    writer.write(request)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


class Load:
    """The open-loop driver: one coroutine per request, connections reused when idle."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.idle: list[Connection] = []
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    async def one(self, request: bytes, due: float) -> None:
        reused = bool(self.idle)
        status = await self.attempt(request, self.idle.pop() if reused else None)
        if status == 0 and reused:  # the server closed an idle keep-alive connection: as a
            status = await self.attempt(request, None)  # browser would, retry on a new one
        self.latencies.append(time.perf_counter() - due)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    async def attempt(self, request: bytes, connection: Connection | None) -> int:
        """The status, or 0 when the connection failed (it is then dropped)."""
        try:
            connection = connection or await asyncio.open_connection(self.host, self.port)
            status = await exchange(connection, request)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            if connection is not None:
                connection[1].close()
            return 0
        self.idle.append(connection)
        return status

    async def run(self, rate: float, seconds: float) -> float:
        made = requests()
        started = time.perf_counter()
        pending = []
        for index in range(round(rate * seconds)):
            due = started + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            pending.append(asyncio.create_task(self.one(made[index % len(made)], due)))
        await asyncio.gather(*pending)
        for _, writer in self.idle:
            writer.close()
        return time.perf_counter() - started


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (None without it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stored_checks(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "compliance.sqlite3") as database:
        return database.execute("SELECT COUNT(*) FROM checks").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to send")
    parser.add_argument("--engine", choices=("durable", "python"), default="durable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
        data_dir = Path(folder)
        env = {"COMPLIANCE_RATE_LIMIT_PER_MINUTE": "0", "COMPLIANCE_ENGINE": args.engine}
        with ServerProcess(data_dir, env=env) as server:
            load = Load(server.url)
            before = cpu_seconds(server.process.pid)
            elapsed = asyncio.run(load.run(args.rate, args.seconds))
            after = cpu_seconds(server.process.pid)
        stored = stored_checks(data_dir)
    ordered = sorted(load.latencies)
    ok, shed = load.statuses.get(200, 0), load.statuses.get(503, 0)
    result: dict[str, Any] = {
        "rate": args.rate, "seconds": round(elapsed, 2), "sent": len(ordered), "ok": ok,
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 2),
        "errors": len(ordered) - ok - shed, "shed_503": shed, "stored": stored,
        "engine": args.engine, "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "server_cpu_ms_per_request": round((after - before) * 1000 / len(ordered), 2)
        if before is not None and after is not None else None}
    print(f"POST /api/v1/check · {args.engine} engine · {args.rate:g} requests/s offered for "
          f"{args.seconds:g} s")
    print(f"  p50 {result['p50_ms']} ms · p99 {result['p99_ms']} ms · {ok} answered, "
          f"{shed} shed (503), {result['errors']} errors · {stored} checks stored · server CPU "
          f"{result['server_cpu_ms_per_request']} ms per request")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
