"""Find and watch the embedded engine's processes from tests."""

from __future__ import annotations

import subprocess
from pathlib import Path


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
