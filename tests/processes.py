"""Find and watch the embedded engine's processes from tests."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


def engine_pids(data_dir: Path) -> list[int]:
    """Pids of the processes whose command line names this data directory's engine root."""
    found = subprocess.run(["pgrep", "-f", str(data_dir / "arcadedb")],
                           capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def gone(pid: int) -> bool:
    """Whether `pid` has exited (a zombie waiting for its reaper counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in {"Z", "X"}


def wait_ready(process: subprocess.Popen[str], url: str, seconds: float = 90) -> None:
    """Wait until the API server `process` at `url` answers `/readyz` with 200; fail with
    its output if it exits first, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the API did not become ready"
        time.sleep(0.3)
