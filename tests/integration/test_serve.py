"""`lineage serve` as a user runs it: the API answers, and Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph_api.embedded import free_port
from tests.processes import engine_pids, gone, wait_ready

LINEAGE = Path(sys.executable).parent / "lineage"


def test_serve_runs_the_api_on_the_embedded_engine_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env |= {"LINEAGE_DATA_DIR": str(tmp_path), "LINEAGE_EMBEDDED_HEAP": "512m"}
    server = subprocess.Popen([str(LINEAGE), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(server, url)
        answer = httpx.post(f"{url}/graphql", json={"query": "{ artifactTypes { name } }"})
        assert answer.json() == {"data": {"artifactTypes": []}}
        [engine] = engine_pids(tmp_path)
    finally:
        server.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "Traceback" not in output
    deadline = time.monotonic() + 30
    while not gone(engine):
        assert time.monotonic() < deadline, "the engine outlived the server"
        time.sleep(0.2)
    assert engine_pids(tmp_path) == []


def test_serve_with_an_mlmd_port_answers_mlmds_client_and_stops_cleanly(tmp_path: Path) -> None:
    ml_metadata = pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: "
                                      "its wheels exist for CPython 3.11 only (the mlmd extra)")
    from ml_metadata.proto import metadata_store_pb2 as pb

    from graph_api.compat.mlmd import MetadataStore

    port, mlmd_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env |= {"LINEAGE_DATA_DIR": str(tmp_path), "LINEAGE_EMBEDDED_HEAP": "512m"}
    server = subprocess.Popen(
        [str(LINEAGE), "serve", "--port", str(port), "--mlmd-port", str(mlmd_port)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_ready(server, f"http://127.0.0.1:{port}")
        store = MetadataStore(f"127.0.0.1:{mlmd_port}")
        type_id = store.put_artifact_type(pb.ArtifactType(name="Served"))
        assert store.get_artifact_type("Served").id == type_id
        assert ml_metadata.__version__.startswith("1.17")
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert f"MLMD gRPC MetadataStoreService on 127.0.0.1:{mlmd_port}" in output
    assert "Traceback" not in output
