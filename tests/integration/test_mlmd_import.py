"""`lineage import mlmd`: an MLMD SQLite database of more than 10,000 nodes, written by
MLMD's own library, imported through the batch writes; its lineage answers equal MLMD's,
a second import writes nothing, and an interrupted import, run again, resumes."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_api.config import Limits
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.lineage import LineageRequest
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.graph_server import GraphServer

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist "
                                          "for CPython 3.11 on glibc Linux and macOS only")

from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api import mlmd_cli
from graph_api.services.mlmd.importer import ImportReport, MlmdImporter
from tests.integration.mlmd_sources import STEPS, graph_counts, write_pipelines

#: With STEPS steps a pipeline: more than 10,000 nodes.
PIPELINES = 200


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> metadata_store.MetadataStore:
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(tmp_path_factory.mktemp("mlmd") / "mlmd.sqlite")
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return write_pipelines(config, PIPELINES)


class Interrupt(Exception):
    pass


async def _mlmd_ids(services: Services, ids: list[str], kinds: list[NodeKind]) -> set[int]:
    out: set[int] = set()
    for kind in (NodeKind.ARTIFACT, NodeKind.EXECUTION):
        wanted = [i for i, k in zip(ids, kinds, strict=True) if k is kind]
        out |= {int(n.mlmd_id or 0) * (1 if kind is NodeKind.ARTIFACT else -1)
                for n in await services.nodes.by_ids(kind, wanted)}
    return out


async def test_an_mlmd_database_imports_resumes_and_answers_lineage_as_mlmd_does(
        source: metadata_store.MetadataStore, clean_db: Database, limits: Limits) -> None:
    mlmd = source
    services = Services.create(clean_db, limits)
    total = len(mlmd.get_artifacts()) + len(mlmd.get_executions()) + len(mlmd.get_contexts())
    assert total >= 10_000

    def stop_midway(what: str, done: int, _: int) -> None:
        if what == "artifacts" and done >= 2000:
            raise Interrupt

    with pytest.raises(Interrupt):
        await MlmdImporter(services, mlmd, stop_midway).run()
    partial = await graph_counts(clean_db)
    assert 0 < partial["nodes"] < total

    report: ImportReport = await MlmdImporter(services, mlmd).run()
    assert sum(report.found[k] for k in ("artifacts", "executions", "contexts")) == total
    assert sum(report.written[k] for k in ("artifacts", "executions", "contexts")) == (
        total - partial["nodes"])
    imported = await graph_counts(clean_db)
    assert imported["nodes"] == total
    for kind, theirs in ((NodeKind.ARTIFACT, mlmd.get_artifact_types()),
                         (NodeKind.EXECUTION, mlmd.get_execution_types()),
                         (NodeKind.CONTEXT, mlmd.get_context_types())):
        assert {t.name: t.mlmd_id for t in await services.types.list(kind)} == {
            t.name: t.id for t in theirs}

    for start in (mlmd.get_artifacts_by_uri("raw://3")[0],
                  mlmd.get_artifacts_by_uri("mem://p7/s12")[0],
                  mlmd.get_artifacts_by_uri("mem://p150/s24")[0]):
        found = await _stored_by_mlmd(services, start.id)
        for direction, mlmd_direction in ((Direction.UPSTREAM,
                                           pb.LineageSubgraphQueryOptions.UPSTREAM),
                                          (Direction.DOWNSTREAM,
                                           pb.LineageSubgraphQueryOptions.DOWNSTREAM)):
            want = mlmd.get_lineage_subgraph(pb.LineageSubgraphQueryOptions(
                starting_artifacts=pb.LineageSubgraphQueryOptions.StartingNodes(
                    filter_query=f"id = {start.id}"),
                max_num_hops=2 * STEPS + 2, direction=mlmd_direction),
                ["artifacts", "executions"])
            graph = await services.lineage.lineage(LineageRequest(
                start_artifact_ids=[found], direction=direction, max_hops=2 * STEPS + 2))
            got = await _mlmd_ids(services, graph.ids, graph.kinds)
            assert got == ({a.id for a in want.artifacts}
                           | {-x.id for x in want.executions}), (start.uri, direction)
            if direction is Direction.DOWNSTREAM:  # what a bad dataset affects: the same
                impact = await services.impact.analyze([found], max_hops=2 * STEPS + 2)
                assert await _mlmd_ids(services, impact.graph.ids, impact.graph.kinds) == got

    again = await MlmdImporter(services, mlmd).run()
    assert sum(again.written.values()) == 0
    assert await graph_counts(clean_db) == imported


async def _stored_by_mlmd(services: Services, mlmd_id: int) -> str:
    from graph_api.store import mlmd as rows

    listing = rows.Listing(NodeKind.ARTIFACT, limit=1).by("mlmdId", [mlmd_id])
    [found], _ = await services.ingest.db.read(lambda tx: rows.page(tx, listing))
    return found.node.id


async def test_every_value_kind_imports_as_mlmd_holds_it(
        tmp_path: Path, clean_db: Database, limits: Limits) -> None:
    from google.protobuf import any_pb2

    from graph_api.model.values import ProtoValue

    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(tmp_path / "values.sqlite")
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    mlmd = metadata_store.MetadataStore(config)
    stats = any_pb2.Any(type_url="type.googleapis.com/tensorflow.metadata.v0.Statistics",
                        value=b"\x00\xffstats")
    type_id = mlmd.put_artifact_type(pb.ArtifactType(name="Statistics", properties={
        "stats": pb.PROTO, "spec": pb.STRUCT, "ok": pb.BOOLEAN, "span": pb.INT}))
    artifact = pb.Artifact(type_id=type_id, uri="s3://stats")
    artifact.properties["stats"].proto_value.CopyFrom(stats)
    artifact.properties["spec"].struct_value.update({"splits": ["train", {"eval": []}]})
    artifact.properties["ok"].bool_value = True
    artifact.properties["span"].int_value = 3
    artifact.custom_properties["stats"].proto_value.CopyFrom(stats)
    [mlmd_id] = mlmd.put_artifacts([artifact])
    services = Services.create(clean_db, limits)

    await MlmdImporter(services, mlmd).run()

    [node] = await services.nodes.by_ids(NodeKind.ARTIFACT,
                                         [await _stored_by_mlmd(services, mlmd_id)])
    assert node.properties == {"stats": ProtoValue(stats.type_url, stats.value),
                               "spec": {"splits": ["train", {"eval": []}]}, "ok": True,
                               "span": 3}
    for value in (node.properties["stats"], node.custom_properties["stats"]):
        assert isinstance(value, ProtoValue) and value.data == stats.value


def test_an_unknown_schema_version_is_refused_clearly(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE MLMDEnv (schema_version INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO MLMDEnv VALUES (7)")
    args = argparse.Namespace(sqlite=path, mysql=None)
    with pytest.raises(mlmd_cli.ImportError_, match="schema version 7; this import reads "
                                                     "version 10"):
        mlmd_cli._open_source(args)


def test_the_import_command_prints_progress_and_a_summary_and_resumes(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "small.sqlite"
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(path)
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    store = metadata_store.MetadataStore(config)
    data = store.put_artifact_type(pb.ArtifactType(name="SmallData"))
    step = store.put_execution_type(pb.ExecutionType(name="SmallStep"))
    store.put_execution(pb.Execution(type_id=step, name="copy"),
                        [(pb.Artifact(type_id=data, uri="in"), pb.Event(type=pb.Event.INPUT)),
                         (pb.Artifact(type_id=data, uri="out"), pb.Event(type=pb.Event.OUTPUT))],
                        [])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env.update(NEO4J_URI=graph_server.uri, NEO4J_USER=graph_server.user,
               NEO4J_PASSWORD=graph_server.password or "", LINEAGE_DATA_DIR=str(tmp_path))
    if graph_server.database:
        env["NEO4J_DATABASE"] = graph_server.database
    command = [str(Path(sys.executable).parent / "lineage"), "import", "mlmd", "--sqlite",
               str(path)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                           check=False)
    assert first.returncode == 0, first.stderr
    assert "artifacts                2/2" in first.stderr
    assert "MLMD database imported" in first.stdout and "2 types" in first.stdout
    assert "artifacts                2 found, 2 new" in first.stdout
    assert "executions               1 found, 1 new" in first.stdout
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert "artifacts                2 found, 0 new" in again.stdout
    missing = subprocess.run([*command[:-1], str(tmp_path / "none.sqlite")], env=env,
                             capture_output=True, text=True, timeout=300, check=False)
    assert missing.returncode == 2
    assert "no MLMD SQLite file at" in missing.stderr and "Traceback" not in missing.stderr
