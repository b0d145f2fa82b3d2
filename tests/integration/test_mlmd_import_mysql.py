"""`lineage import mlmd --mysql` against a real MySQL-protocol server, a private MariaDB
(`mariadb_server`): MLMD's own MySQL client writes a lineage there, the command imports it
as a user types it, and MLMD's client then gets the same answers from lineage-explorer's
MLMD service as from MariaDB. A second import writes nothing; a wrong password, an unknown
database or a closed port is refused in words with exit code 2; the password is never
shown."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for
from tests.integration.mariadb_server import MariaDB

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist "
                                          "for CPython 3.11 on glibc Linux and macOS only")

from google.protobuf import json_format, struct_pb2, text_format
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api import mlmd_cli
from tests.integration.mlmd_sources import STEPS, graph_counts, write_pipelines

#: With STEPS steps a pipeline, and the evaluation step: 2,058 nodes.
PIPELINES = 40
Q = pb.LineageSubgraphQueryOptions
KINDS = ("artifacts", "executions", "contexts")


def _connection(server: MariaDB) -> pb.ConnectionConfig:
    config = pb.ConnectionConfig()
    config.mysql.host = "127.0.0.1"
    config.mysql.port = server.port
    config.mysql.database = server.database
    config.mysql.user = server.user
    config.mysql.password = server.password
    return config


def _add_evaluation(store: metadata_store.MetadataStore) -> None:
    """A step whose event paths hold a key and an index, whose properties are a double, a
    boolean, a struct and text beyond ASCII, in a context of its own."""
    kind = store.put_execution_type(pb.ExecutionType(
        name="Evaluate", properties={"metric": pb.STRING, "score": pb.DOUBLE}))
    report_type = store.put_artifact_type(pb.ArtifactType(name="Report",
                                                          properties={"verdict": pb.STRING}))
    review = store.put_context_type(pb.ContextType(name="Review"))
    [model] = store.get_artifacts_by_uri("mem://p7/s24")
    reads, writes = pb.Event(type=pb.Event.INPUT), pb.Event(type=pb.Event.OUTPUT)
    reads.path.steps.add().key = "models"
    reads.path.steps.add().index = 2
    writes.path.steps.add().key = "report"
    layout = struct_pb2.Struct()
    layout.update({"pages": 3, "sections": ["résumé", "détails"]})
    report = pb.Artifact(type_id=report_type, uri="mem://report", name="rapport ✓",
                         state=pb.Artifact.LIVE,
                         properties={"verdict": pb.Value(string_value="données vérifiées ✓")},
                         custom_properties={"approved": pb.Value(bool_value=True),
                                            "layout": pb.Value(struct_value=layout)})
    store.put_execution(
        pb.Execution(type_id=kind, name="évaluation", last_known_state=pb.Execution.COMPLETE,
                     properties={"metric": pb.Value(string_value="f1"),
                                 "score": pb.Value(double_value=0.875)}),
        [(model, reads), (report, writes)], [pb.Context(type_id=review, name="review-1")])


@pytest.fixture(scope="module")
def source(mariadb: MariaDB) -> metadata_store.MetadataStore:
    """The lineage MLMD's MySQL client wrote into the server's database."""
    store = write_pipelines(_connection(mariadb), PIPELINES)
    _add_evaluation(store)
    return store


def _cli(graph_server: GraphServer, data_dir: Path, *args: str
         ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env.update(NEO4J_URI=graph_server.uri, NEO4J_USER=graph_server.user,
               NEO4J_PASSWORD=graph_server.password or "", LINEAGE_DATA_DIR=str(data_dir))
    if graph_server.database:
        env["NEO4J_DATABASE"] = graph_server.database
    return subprocess.run([str(Path(sys.executable).parent / "lineage"), "import", "mlmd",
                           *args], env=env, capture_output=True, text=True, timeout=900,
                          check=False)


def _assert_password_hidden(server: MariaDB, done: subprocess.CompletedProcess[str],
                            data_dir: Path) -> None:
    """Neither the password nor its percent-encoded form is in the command's output, in a
    file under its data directory, or in the server's error log."""
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    for secret in (server.password, quote(server.password, safe="")):
        assert secret not in done.stdout and secret not in done.stderr
        for path in [*files, server.error_log]:
            assert secret.encode() not in path.read_bytes(), path


def _timeless(messages: Any) -> list[str]:
    """Nodes in id order, as text (map entries in key order), without their create and
    update times (the store sets its own when it writes a node)."""
    out = []
    for message in sorted(messages, key=lambda m: m.id):
        copy = type(message)()
        copy.CopyFrom(message)
        copy.ClearField("create_time_since_epoch")
        copy.ClearField("last_update_time_since_epoch")
        out.append(text_format.MessageToString(copy))
    return out


def _graph(store: Any) -> dict[str, Any]:
    """Everything MLMD's client reads of a store: types, nodes, events with their paths,
    attributions, associations and parent contexts."""
    contexts = store.get_contexts()
    executions = store.get_executions()
    return {
        "types": [sorted(text_format.MessageToString(t) for t in read()) for read in (
            store.get_artifact_types, store.get_execution_types, store.get_context_types)],
        "artifacts": _timeless(store.get_artifacts()),
        "executions": _timeless(executions),
        "contexts": _timeless(contexts),
        "events": sorted(text_format.MessageToString(e) for e in store.get_events_by_execution_ids(
            [x.id for x in executions])),
        "attributions": {c.id: sorted(a.id for a in store.get_artifacts_by_context(c.id))
                         for c in contexts},
        "associations": {c.id: sorted(x.id for x in store.get_executions_by_context(c.id))
                         for c in contexts},
        "parents": {c.id: sorted(p.id for p in store.get_parent_contexts_by_context(c.id))
                    for c in contexts},
    }


def _lineage(store: Any, options: Any) -> tuple[list[int], list[int], list[int], list[str]]:
    graph = store.get_lineage_subgraph(options)
    return (sorted(a.id for a in graph.artifacts), sorted(x.id for x in graph.executions),
            sorted(c.id for c in graph.contexts),
            sorted(f"{e.artifact_id}-{e.execution_id}-{e.type}" for e in graph.events))


def _summary(what: str, found: int, new: int) -> str:
    return f"{what:<16} {found:>9} found, {new} new"


async def test_a_mysql_database_imports_through_the_command_and_answers_as_mlmd_does(
        source: metadata_store.MetadataStore, mariadb: MariaDB, graph_server: GraphServer,
        clean_db: Database, tmp_path: Path) -> None:
    found = {"artifacts": len(source.get_artifacts()),
             "executions": len(source.get_executions()),
             "contexts": len(source.get_contexts())}
    assert 2_000 <= sum(found.values()) <= 2_500

    first = _cli(graph_server, tmp_path, "--mysql", mariadb.uri())
    assert first.returncode == 0, first.stderr
    assert "MLMD database imported" in first.stdout and "7 types" in first.stdout
    for what in KINDS:
        assert _summary(what, found[what], found[what]) in first.stdout
    _assert_password_hidden(mariadb, first, tmp_path)
    imported = await graph_counts(clean_db)
    assert imported["nodes"] == sum(found.values())

    port = free_port()
    with running_api(settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port))):
        ours = metadata_store.MetadataStore(pb.MetadataStoreClientConfig(host="127.0.0.1",
                                                                         port=port))
        want, got = _graph(source), _graph(ours)
        for part in want:
            assert got[part] == want[part], part
        [report] = ours.get_artifacts_by_uri("mem://report")
        assert json_format.MessageToDict(report.custom_properties["layout"].struct_value) == {
            "pages": 3, "sections": ["résumé", "détails"]}
        assert report.properties["verdict"].string_value == "données vérifiées ✓"
        for uri in ("raw://3", "mem://p7/s12", "mem://p39/s24", "mem://report"):
            for direction in (Q.UPSTREAM, Q.DOWNSTREAM, Q.BIDIRECTIONAL):
                options = Q(starting_artifacts=Q.StartingNodes(filter_query=f"uri = '{uri}'"),
                            max_num_hops=2 * STEPS + 2, direction=direction)
                assert _lineage(ours, options) == _lineage(source, options), (uri, direction)

    again = _cli(graph_server, tmp_path, "--mysql", mariadb.uri())
    assert again.returncode == 0, again.stderr
    for what in KINDS:
        assert _summary(what, found[what], 0) in again.stdout
    assert await graph_counts(clean_db) == imported
    _assert_password_hidden(mariadb, again, tmp_path)


def test_a_socket_uri_without_a_port_opens_the_same_database(
        source: metadata_store.MetadataStore, mariadb: MariaDB) -> None:
    uri = mariadb.uri(socket=True)
    assert "%40" in uri and "%25" in uri and ":3306" not in uri
    opened = mlmd_cli._open_source(argparse.Namespace(sqlite=None, mysql=uri))
    assert _timeless(opened.get_artifacts()) == _timeless(source.get_artifacts())


@pytest.mark.parametrize("case", ["a wrong password", "an unknown database", "a closed port"])
def test_a_mysql_source_that_cannot_be_read_is_refused_in_words(
        case: str, mariadb: MariaDB, graph_server: GraphServer, tmp_path: Path) -> None:
    closed = free_port()
    where = f"127.0.0.1:{mariadb.port}"
    uri, said = {
        "a wrong password": (
            mariadb.uri(password=mariadb.password + "-not"),
            f"lineage: the MySQL server at {where} ({mariadb.version}) refused the login of "
            f"user '{mariadb.user}': a wrong user or password"),
        "an unknown database": (
            mariadb.uri(database="no_such_db"),
            f"lineage: MLMD cannot use the database 'no_such_db' on {where}: Access denied "
            f"for user '{mariadb.user}'@'%' to database 'no_such_db'"),
        "a closed port": (
            mariadb.uri(port=closed),
            f"lineage: cannot reach a MySQL server at 127.0.0.1:{closed}: Connection refused"),
    }[case]
    done = _cli(graph_server, tmp_path, "--mysql", uri)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(said), done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and "InitGoogleLogging" not in done.stderr
    _assert_password_hidden(mariadb, done, tmp_path)


@pytest.mark.parametrize("case", ["an empty database", "another application's database"])
def test_a_mysql_database_without_mlmd_tables_is_refused_and_left_as_it_was(
        case: str, mariadb: MariaDB, graph_server: GraphServer, tmp_path: Path) -> None:
    name = {"an empty database": "empty_db", "another application's database": "shop"}[case]
    mariadb.create_database(name)
    if name == "shop":
        mariadb.sql("CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY)")
    before = mariadb.sql(f"SHOW TABLES FROM {name}")

    done = _cli(graph_server, tmp_path, "--mysql", mariadb.uri(database=name))

    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        f"lineage: the database '{name}' on 127.0.0.1:{mariadb.port} is not an MLMD "
        "database (no MLMDEnv table)"), done.stderr
    assert mariadb.sql(f"SHOW TABLES FROM {name}") == before  # MLMD created no tables there
    _assert_password_hidden(mariadb, done, tmp_path)


def test_a_mysql_database_of_another_mlmd_schema_version_is_refused(
        mariadb: MariaDB, graph_server: GraphServer, tmp_path: Path) -> None:
    mariadb.create_database("mlmd_old")
    mariadb.sql("CREATE TABLE IF NOT EXISTS mlmd_old.MLMDEnv (schema_version INTEGER); "
                "DELETE FROM mlmd_old.MLMDEnv; INSERT INTO mlmd_old.MLMDEnv VALUES (7);")

    done = _cli(graph_server, tmp_path, "--mysql", mariadb.uri(database="mlmd_old"))

    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        f"lineage: the database 'mlmd_old' on 127.0.0.1:{mariadb.port} has MLMD schema "
        "version 7; this import reads version 10"), done.stderr
    assert mariadb.sql("SHOW TABLES FROM mlmd_old").split() == ["MLMDEnv"]
