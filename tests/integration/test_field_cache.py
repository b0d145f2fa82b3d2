"""The field cache behind large tables and lineage answers: a table asked again is
answered without reading the nodes' fields, and every write that changes a node's fields
— through any process — is in the next answer, as it is with the cache off."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import pytest

from graph_api.config import Limits, TopologySettings
from graph_api.model.enums import Direction, ExecutionState, NodeKind
from graph_api.model.lineage import LineageRequest
from graph_api.model.nodes import ArtifactInput
from graph_api.model.table import Column, Summaries, Table
from graph_api.services import table as table_service
from graph_api.services.container import Services
from graph_api.store import explore
from graph_api.store.connection import Database, Tx
from tests.integration.lineage_graphs import Built, build, delete_execution

COLUMNS = [Column.NAME, Column.URI, Column.STATE, Column.PROPERTIES]
STEPS = {"train": (["raw"], ["model"]), "eval": (["model", "raw"], ["metrics"])}


@pytest.fixture(autouse=True)
def small_answers_use_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_service, "CACHED_FROM", 1)


async def impact_table(services: Services, built: Built) -> Table:
    answer = await services.impact.analyze([built.id("raw")])
    return await services.tables.table(answer.graph, COLUMNS)


def column(table: Table, built: Built, node: str, key: str) -> object:
    nodes = table["nodes"]
    return nodes[key][nodes["id"].index(built.id(node))]


async def test_a_table_asked_again_reads_no_fields(clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    built = await build(services, STEPS)
    await services.topology.ready()
    first = await impact_table(services, built)
    answer = await services.impact.analyze([built.id("raw")])

    before = clean_db.statements.sent
    again = await services.tables.table(answer.graph, COLUMNS)

    assert again == first
    assert clean_db.statements.sent - before == 1  # the deltas since: none
    uncached = Services.create(clean_db, limits, TopologySettings(field_cache=0))
    for columns in ([Column.NAME], [Column.STATE, Column.URI], [Column.PROPERTIES],
                    [Column.NAME, Column.PROPERTIES]):
        assert (await services.tables.table(answer.graph, columns)
                == await uncached.tables.table(answer.graph, columns))


async def lineage_table(services: Services, built: Built) -> Table:
    request = LineageRequest(start_artifact_ids=[built.id("metrics")],
                             direction=Direction.UPSTREAM)
    return (await services.subgraph.answer(request, COLUMNS))[1]


@pytest.mark.parametrize("answer", [impact_table, lineage_table])
async def test_every_write_is_in_the_next_answer_of_another_process(
        clean_db: Database, limits: Limits,
        answer: Callable[[Services, Built], Awaitable[Table]]) -> None:
    reader, writer = Services.create(clean_db, limits), Services.create(clean_db, limits)
    uncached = Services.create(clean_db, limits, TopologySettings(field_cache=0))
    built = await build(writer, STEPS)
    await reader.topology.ready()
    await answer(reader, built)  # the reader now holds the answer's fields

    for i in range(3):
        await writer.ingest.put_nodes(NodeKind.ARTIFACT, [ArtifactInput(
            id=built.id("model"), type="Model", external_id="model", name=f"model-v{i}",
            uri="mem://model", custom_properties={"round": i})])
        state = [ExecutionState.FAILED, ExecutionState.COMPLETE][i % 2]
        await writer.ingest.update_states(NodeKind.EXECUTION, {built.id("train"): state})

        table = await answer(reader, built)

        assert column(table, built, "model", "name") == f"model-v{i}"
        assert column(table, built, "model", "customProperties") == {"round": i}
        assert column(table, built, "train", "state") == state
        assert table == await answer(uncached, built)
    assert reader.topology.builds == 1


async def test_a_small_lineage_answer_takes_its_fields_from_the_cache_of_its_read(
        clean_db: Database, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_service, "CACHED_FROM", 10**9)  # not what decides here
    services = Services.create(clean_db, limits)
    built = await build(services, STEPS)
    await services.topology.ready()
    first = await lineage_table(services, built)

    before = clean_db.statements.sent
    again = await lineage_table(services, built)

    assert again == first
    assert len(again["nodes"]["id"]) == 5
    assert clean_db.statements.sent - before == 1  # the deltas since: none; no fields read
    uncached = Services.create(clean_db, limits, TopologySettings(field_cache=0))
    assert again == await lineage_table(uncached, built)


async def test_a_deletion_starts_the_cache_anew(clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    uncached = Services.create(clean_db, limits, TopologySettings(field_cache=0))
    built = await build(services, STEPS)
    await services.topology.ready()
    first = await impact_table(services, built)
    held = services.topology.held
    assert held is not None and len(held.fields) == len(first["nodes"]["id"])

    await delete_execution(clean_db, built.id("eval"))
    table = await impact_table(services, built)

    assert built.id("eval") not in table["nodes"]["id"]
    assert table == await impact_table(uncached, built)
    rebuilt = services.topology.held
    assert rebuilt is not None and rebuilt is not held
    assert await impact_table(services, built) == table
    assert len(rebuilt.fields) == len(table["nodes"]["id"])  # only what was read since


async def export_rows(services: Services, built: Built) -> dict[str, tuple[object, ...]]:
    rows: dict[str, tuple[object, ...]] = {}
    async for batch in await services.impact.export([built.id("raw")]):
        for kind, node_id, type_name, degree, name, uri in batch.rows():
            rows[node_id] = (kind, type_name, degree, name, uri)
    return rows


async def test_an_export_takes_names_from_the_cache_and_sees_every_write(
        clean_db: Database, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> None:
    reader, writer = Services.create(clean_db, limits), Services.create(clean_db, limits)
    uncached = Services.create(clean_db, limits, TopologySettings(field_cache=0))
    built = await build(writer, STEPS)
    await reader.topology.ready()
    await impact_table(reader, built)  # the reader now holds every node's fields
    read: list[str] = []
    summaries = explore.summaries

    async def counted(tx: Tx, artifacts: Sequence[str], executions: Sequence[str], *,
                      counts: bool) -> Summaries:
        read.extend([*artifacts, *executions])
        return await summaries(tx, artifacts, executions, counts=counts)

    monkeypatch.setattr(explore, "summaries", counted)
    want = await export_rows(uncached, built)
    read.clear()

    assert await export_rows(reader, built) == want
    assert read == []  # every name, uri and state from the cache

    await writer.ingest.put_nodes(NodeKind.ARTIFACT, [ArtifactInput(
        id=built.id("model"), type="Model", external_id="model", name="model-v2",
        uri="mem://model-v2")])
    read.clear()
    rows = await export_rows(reader, built)

    assert rows[built.id("model")][3:] == ("model-v2", "mem://model-v2")
    assert read == [built.id("model")]  # only the node the write changed is read again
    assert rows == await export_rows(uncached, built)
