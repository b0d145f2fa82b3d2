"""A lineage that MLMD's own client writes through the gRPC service is drawn by the web UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests.e2e.conftest import Screenshot, built_ui
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist "
                                          "for CPython 3.11 on glibc Linux and macOS only")

from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.compat.mlmd import MetadataStore

#: This test's types: its nodes are removed afterwards, so that the other browser tests
#: see the demo project alone.
TYPES = ("MlmdE2eDataset", "MlmdE2eTrainer", "MlmdE2eRun")


@pytest.fixture
async def mlmd_server(graph_server: GraphServer, database: Database, tmp_path: Path,
                      ) -> AsyncIterator[tuple[Api, int]]:
    port = free_port()
    settings = settings_for(graph_server, tmp_path, LINEAGE_UI_DIR=str(built_ui()),
                            LINEAGE_MLMD_PORT=str(port))
    try:
        with running_api(settings) as api:
            yield api, port
    finally:
        async with database.driver.session(database=database.database) as session:
            await session.run("MATCH (n) WHERE n.type IN $types OR n.name IN $types "
                              "DETACH DELETE n", {"types": list(TYPES)})


async def test_a_lineage_written_by_mlmds_client_is_drawn(
        page: Page, mlmd_server: tuple[Api, int], screenshot: Screenshot) -> None:
    api, port = mlmd_server
    store = MetadataStore(f"127.0.0.1:{port}")
    dataset, trainer, run = TYPES
    data = store.put_artifact_type(pb.ArtifactType(name=dataset))
    train = store.put_execution_type(pb.ExecutionType(name=trainer))
    context = store.put_context_type(pb.ContextType(name=run))
    raw = pb.Artifact(type_id=data, name="clicks-2026-11", uri="s3://e2e/clicks.csv")
    features = pb.Artifact(type_id=data, name="features-v3", uri="s3://e2e/features")
    model = pb.Artifact(type_id=data, name="ranker-7", uri="s3://e2e/ranker")
    _, [_, features_id], _ = store.put_execution(
        pb.Execution(type_id=train, name="featurize"),
        [(raw, pb.Event(type=pb.Event.INPUT)), (features, pb.Event(type=pb.Event.OUTPUT))],
        [pb.Context(type_id=context, name="e2e-run")])
    features.id = features_id
    _, [_, model_id], _ = store.put_execution(
        pb.Execution(type_id=train, name="train-ranker"),
        [(features, pb.Event(type=pb.Event.INPUT)), (model, pb.Event(type=pb.Event.OUTPUT))],
        [pb.Context(type_id=context, name="e2e-run")], reuse_context_if_already_exist=True)
    [stored] = store.get_artifacts_by_id([model_id])
    assert stored.name == "ranker-7"

    [ours] = api.data('{ artifacts(filterQuery: "name = \'ranker-7\'") '
                      '{ edges { node { id } } } }')["artifacts"]["edges"]
    await page.goto(f"{api.url}/lineage/{ours['node']['id']}?up=4&down=0")
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-layout", "ready")
    await expect(canvas).to_have_attribute("data-node-count", "5")
    for name in ("clicks-2026-11", "featurize", "features-v3", "train-ranker", "ranker-7"):
        await expect(page.locator(".react-flow__node", has_text=name)).to_have_count(1)
    await screenshot("drawn")
