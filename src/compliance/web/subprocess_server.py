"""The service in a child process on a free loopback port: for end-to-end tests and benchmarks.

It starts exactly what an operator starts (`python -m compliance.web`, i.e. `compliance serve`),
so what is measured or tested is the real uvicorn stack, not an in-process stand-in.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from urllib.request import urlopen


def free_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (tiny race, fine on loopback)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """`with ServerProcess(data_dir) as server:` → `server.url`; stopped (SIGINT) on exit."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None,
                 startup_timeout: float = 60.0) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "compliance.web", "--host", "127.0.0.1",
                   "--port", str(self.port), "--data-dir", str(self.data_dir)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, **self.env})
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.output()}")
            try:
                with urlopen(f"{self.url}/api/v1/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:  # refused while starting; HTTPError and URLError are OSErrors
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {self.startup_timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """Ctrl-C, as an operator stops it: uvicorn runs the shutdown (closes the checker)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
