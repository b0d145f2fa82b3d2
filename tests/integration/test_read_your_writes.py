"""Two API processes on one database: what a client wrote through one is in the answers
of the other once the client sends the position its write returned."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_api.embedded import free_port
from graph_api.services.container import Services
from tests.graph_server import GraphServer
from tests.integration.lineage_graphs import build
from tests.processes import wait_ready

LINEAGE = Path(sys.executable).parent / "lineage"
POSITION = "Lineage-Position"
CONSUME = """mutation ($input: ID!, $name: String!) {
  putExecution(execution: {type: "Step", name: $name},
               artifactEvents: [{artifactId: $input, event: {type: INPUT}},
                                {artifact: {type: "Dataset", name: $name},
                                 event: {type: OUTPUT}}]) { artifactIds }
}"""
DOWNSTREAM = """query ($id: ID!) {
  lineage(input: {startArtifactIds: [$id], direction: DOWNSTREAM}) { nodes { id } }
}"""
RENAME = """mutation ($id: ID!, $name: String!, $round: Int!) {
  putArtifacts(input: [{id: $id, type: "Dataset", externalId: "out0", name: $name,
                        uri: "mem://out0", customProperties: {round: $round}}])
}"""
IMPACT_TABLE = """query ($id: ID!) {
  impact(artifactIds: [$id]) { table(columns: [NAME, PROPERTIES]) }
}"""
#: Enough outputs that the impact's table goes through the field cache.
FAN_OUT = 1_000


def serve(graph_server: GraphServer, data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    """`lineage serve` in a process of its own, on the session's database."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env |= {"NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
            "NEO4J_PASSWORD": graph_server.password or "",
            "NEO4J_DATABASE": graph_server.database or "", "LINEAGE_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([str(LINEAGE), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def two_servers(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[str, str]]:
    started = [serve(graph_server, tmp_path_factory.mktemp(f"api{i}")) for i in range(2)]
    try:
        for process, url in started:
            wait_ready(process, url)
        yield started[0][1], started[1][1]
    finally:
        for process, _ in started:
            process.terminate()
            process.communicate(timeout=60)


def post(url: str, query: str, variables: dict[str, Any], position: str | None = None
         ) -> httpx.Response:
    headers = {POSITION: position} if position else {}
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables},
                          headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response


async def test_a_write_through_one_process_is_read_through_the_other(
        two_servers: tuple[str, str], services: Services) -> None:
    writer, reader = two_servers
    built = await build(services, {"train": (["raw"], ["model"])})
    read = post(reader, DOWNSTREAM, {"id": built.id("raw")})  # the reader's index is fresh
    assert len(read.json()["data"]["lineage"]["nodes"]) == 3
    assert POSITION not in read.headers  # a read moves no position

    for i in range(10):
        wrote = post(writer, CONSUME, {"input": built.id("model"), "name": f"eval{i}"})
        position = wrote.headers[POSITION]
        [_, new] = wrote.json()["data"]["putExecution"]["artifactIds"]

        answer = post(reader, DOWNSTREAM, {"id": built.id("raw")}, position)

        assert new in {n["id"] for n in answer.json()["data"]["lineage"]["nodes"]}


async def test_a_field_update_through_one_process_is_in_the_others_large_table(
        two_servers: tuple[str, str], services: Services) -> None:
    writer, reader = two_servers
    built = await build(services, {"fan": (["raw"], [f"out{i}" for i in range(FAN_OUT)])})

    def out0(position: str | None = None) -> tuple[str, object]:
        table = post(reader, IMPACT_TABLE, {"id": built.id("raw")}, position).json()[
            "data"]["impact"]["table"]
        nodes = table["nodes"]
        assert len(nodes["id"]) == FAN_OUT + 2  # raw, the step, its outputs
        at = nodes["id"].index(built.id("out0"))
        return nodes["name"][at], nodes["customProperties"][at]

    assert out0() == ("out0", {})
    assert out0() == ("out0", {})  # now held by the reader's field cache
    for i in range(5):
        wrote = post(writer, RENAME, {"id": built.id("out0"), "name": f"out0-v{i}", "round": i})

        assert out0(wrote.headers[POSITION]) == (f"out0-v{i}", {"round": i})


def test_a_position_the_api_did_not_make_is_refused(two_servers: tuple[str, str]) -> None:
    for garbage in ("not base64 at all!", "eyJ4IjogMX0"):  # the second is {"x": 1}
        response = httpx.post(f"{two_servers[1]}/graphql", json={"query": "{ __typename }"},
                              headers={POSITION: garbage})

        assert response.status_code == 400
        assert response.json()["code"] == "BAD_USER_INPUT"
        assert POSITION in response.json()["message"]
