"""The Python example of docs/services.md runs as written and prints what it promises."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from graph_api.store.connection import Database
from tests.graph_server import GraphServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "services.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


async def test_the_services_example_runs(clean_db: Database, graph_server: GraphServer,
                                         tmp_path: Path) -> None:
    [example] = python_blocks()
    script = tmp_path / "example.py"
    script.write_text(example)
    env = {**os.environ, "NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
           "NEO4J_PASSWORD": graph_server.password or "",
           "LINEAGE_DATA_DIR": str(tmp_path / "unused")}
    if graph_server.database:
        env["NEO4J_DATABASE"] = graph_server.database
    done = await asyncio.to_thread(subprocess.run, [sys.executable, str(script)], env=env,
                                   capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # upstream of the model: itself (0), the trainer (1), the dataset (2)
    assert [line.split()[:3] for line in lines[:3]] == [
        ["0", "Artifact", "Model"], ["1", "Execution", "Trainer"], ["2", "Artifact", "Dataset"]]
    assert lines[3] == "1 ['s3://models/xgb/42']"
    assert not (tmp_path / "unused").exists()  # NEO4J_URI set: no embedded engine started
