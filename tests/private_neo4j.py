"""A private Neo4j for tests that must stop, crash, restart or bulk-load a server.

The shared test server (NETMAP_TEST_NEO4J_URI) cannot be taken away under the other tests.
:class:`PrivateNeo4j` runs tools/neo4j/start with its own NETMAP_NEO4J_HOME and
NETMAP_NEO4J_PERSIST=1 (an embedded database kept in HOME/db across restarts) on a fixed port,
so its URI stays valid across restarts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "tools" / "neo4j"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateNeo4j:
    """A Neo4j of this test's own: by default with its data kept across restarts; with
    ``gds=True`` it also loads the Graph Data Science plugin (built once by tools/neo4j/start)."""

    def __init__(self, home: Path, *, persist: bool = True, gds: bool = False) -> None:
        self.home = home
        self.env = {
            **os.environ,
            "NETMAP_NEO4J_HOME": str(home),
            "NETMAP_NEO4J_PERSIST": "1" if persist else "0",
            "NETMAP_NEO4J_GDS": "1" if gds else "0",
            "NETMAP_NEO4J_PORT": str(_free_port()),
            "NETMAP_NEO4J_HEAP": "1g",
            "NETMAP_NEO4J_PAGECACHE": "256m",
            "NETMAP_NEO4J_PYTHON": sys.executable,
        }
        self.uri = ""

    def start(self) -> str:
        proc = subprocess.run([str(LAUNCHER / "start")], env=self.env, capture_output=True,
                              text=True, timeout=400)
        assert proc.returncode == 0, f"private Neo4j did not start:\n{proc.stderr[-3000:]}"
        self.uri = proc.stdout.strip().splitlines()[-1]
        return self.uri

    def pid(self) -> int:
        return int((self.home / "pid").read_text())

    def crash(self) -> None:
        """SIGKILL: no shutdown, the restart recovers from the transaction log."""
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        _wait_gone(pid)

    def stop(self) -> None:
        subprocess.run([str(LAUNCHER / "stop")], env=self.env, capture_output=True, timeout=120)

    def admin_import(self, files: Path) -> subprocess.CompletedProcess[str]:
        """neo4j-admin database import full of ``files`` into this (stopped) server's database."""
        return subprocess.run([str(LAUNCHER / "import"), str(files)], env=self.env,
                              capture_output=True, text=True, timeout=600)


def _wait_gone(pid: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        # a zombie of the launcher's nohup'ed child: gone for our purposes once it is not running
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return
        except OSError:
            return
        time.sleep(0.1)
    raise AssertionError(f"Neo4j pid {pid} still running {timeout} s after SIGKILL")
