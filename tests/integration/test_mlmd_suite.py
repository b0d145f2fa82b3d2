"""MLMD's own Python test suite, run by MLMD's real client against our gRPC service.

`ml_metadata/metadata_store/metadata_store_test.py`, as the `ml-metadata` wheel ships it,
runs in a subprocess against `MetadataStoreService` served next to the HTTP API on the
session's graph database. Every one of its tests must pass but those listed below, which
test MLMD itself rather than a server: its SQL schema migrations (marked xfail by MLMD)
and its gRPC connection-config tests, which fail before any call (they call a helper
without its arguments, or `self.self`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests import summaries
from tests.cypher_lint import lint_statements
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for

ml_metadata = pytest.importorskip(
    "ml_metadata", reason="ml-metadata is not installed: its wheels exist for CPython 3.11 "
                          "on glibc Linux and macOS only (the 'mlmd' extra)")

#: Tests of MLMD's own client and database, not of a server.
NOT_OF_A_SERVER = {
    # Call `_get_metadata_store(...)` without its `cli_args`: a TypeError in the test.
    "test_connection_config_with_grpc_max_receive_message_length",
    "test_connection_config_with_grpc_http2_max_ping_strikes",
    "test_connection_config_with_grpc_client_timeout_sec_errors",
    # `self.self.cli_args`: an AttributeError in the test.
    "test_connection_config_with_grpc_max_receive_message_length_errors",
}
#: MLMD's SQL schema migrations: marked xfail(run=False) by MLMD itself.
MIGRATIONS = {"test_downgrade_metadata_store", "test_enable_metadata_store_upgrade_migration"}


def _outcomes(report: Path) -> dict[str, str]:
    """Each test case of a JUnit report with its outcome: passed, failed or skipped."""
    outcomes = {}
    # The report is the one the subprocess just wrote here.
    for case in ElementTree.parse(report).getroot().iter("testcase"):  # noqa: S314
        tags = {child.tag for child in case}
        outcome = ("failed" if tags & {"failure", "error"} else
                   "skipped" if "skipped" in tags else "passed")
        outcomes[case.attrib["name"]] = outcome
    return outcomes


def test_mlmds_own_suite_passes_against_the_grpc_service(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    port = free_port()
    sent = tmp_path / "sent.jsonl"  # every distinct statement the server sent, for the linter
    settings = settings_for(graph_server, tmp_path / "data", LINEAGE_MLMD_PORT=str(port),
                            LINEAGE_RECORD_CYPHER=str(sent))
    suite = Path(ml_metadata.__file__).parent / "metadata_store"
    report = tmp_path / "report.xml"
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not this project's settings
    with running_api(settings):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", str(suite / "metadata_store_test.py"),
             "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(suite),
             "-p", "no:cacheprovider", "-W", "ignore", "-q", f"--junitxml={report}",
             "--use_grpc_backend", "--grpc_host", "127.0.0.1", "--grpc_port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=1200, check=False)
    outcomes = _outcomes(report)
    passed = sorted(n for n, o in outcomes.items() if o == "passed")
    failed = sorted(n for n, o in outcomes.items() if o == "failed")
    summaries.report(request.config, (
        f"MLMD's metadata_store_test.py against the gRPC service: {len(passed)} passed, "
        f"{len(failed)} failed ({', '.join(failed) or 'none'}), "
        f"{len(outcomes) - len(passed) - len(failed)} skipped or xfailed"))
    unexpected = [n for n in failed if n.rstrip("0123456789") not in NOT_OF_A_SERVER]
    assert not unexpected, run.stdout[-20_000:]
    skipped = {n for n, o in outcomes.items() if o == "skipped"}
    assert skipped <= MIGRATIONS, skipped
    assert len(passed) >= 100, run.stdout[-20_000:]
    statements = [json.loads(line) for line in sent.read_text().splitlines()]
    diagnostics = lint_statements([(f"sent[{i}]", s) for i, s in enumerate(statements)])
    assert [f"{d}\n{statements[int(d.source[5:-1])]}" for d in diagnostics] == []


def test_a_lineage_put_by_mlmds_client_is_the_apis_lineage(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    from ml_metadata.proto import metadata_store_pb2 as pb

    from graph_api.compat.mlmd import MetadataStore

    port = free_port()
    settings = settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port))
    with running_api(settings) as api:
        store = MetadataStore(f"127.0.0.1:{port}")
        data = store.put_artifact_type(pb.ArtifactType(name="Dataset"))
        train = store.put_execution_type(pb.ExecutionType(name="Train"))
        run = store.put_context_type(pb.ContextType(name="Run"))
        raw = pb.Artifact(type_id=data, uri="s3://raw.csv", external_id="raw")
        model = pb.Artifact(type_id=data, uri="s3://model", external_id="model")
        store.put_execution(
            pb.Execution(type_id=train, name="fit"),
            [(raw, pb.Event(type=pb.Event.INPUT)), (model, pb.Event(type=pb.Event.OUTPUT))],
            [pb.Context(type_id=run, name="run-1")])
        [ours] = api.data('{ artifact(externalId: "model") { id } }').values()
        lineage = api.data(
            "query($id: ID!) { lineage(input: {startArtifactIds: [$id], direction: UPSTREAM}) "
            "{ nodes { node { ... on Artifact { uri } ... on Execution { name } } } } }",
            {"id": ours["id"]})["lineage"]
    assert sorted(n["node"].get("uri") or n["node"]["name"] for n in lineage["nodes"]) == [
        "fit", "s3://model", "s3://raw.csv"]


def test_errors_carry_mlmds_status_codes_and_no_stack_trace(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    import grpc
    from ml_metadata.proto import metadata_store_pb2 as pb
    from ml_metadata.proto import metadata_store_service_pb2 as rpc
    from ml_metadata.proto import metadata_store_service_pb2_grpc as rpc_grpc

    port = free_port()
    with running_api(settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port))), \
            grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = rpc_grpc.MetadataStoreServiceStub(channel)
        calls = [
            (stub.GetLineageGraph, rpc.GetLineageGraphRequest(),
             grpc.StatusCode.UNIMPLEMENTED, "GetLineageGraph is not implemented"),
            (stub.GetArtifactType, rpc.GetArtifactTypeRequest(type_name="nope"),
             grpc.StatusCode.NOT_FOUND, "nope"),
            (stub.GetArtifacts, rpc.GetArtifactsRequest(
                options=pb.ListOperationOptions(filter_query="name ==")),
             grpc.StatusCode.INVALID_ARGUMENT, "filterQuery: cannot parse"),
            (stub.GetArtifacts, rpc.GetArtifactsRequest(
                options=pb.ListOperationOptions(next_page_token="not-ours")),
             grpc.StatusCode.INVALID_ARGUMENT, "next_page_token"),
            (stub.PutArtifacts, rpc.PutArtifactsRequest(artifacts=[pb.Artifact(type_id=999)]),
             grpc.StatusCode.NOT_FOUND, "no artifact type with id 999"),
        ]
        for method, request, code, message in calls:
            with pytest.raises(grpc.RpcError) as raised:
                method(request, timeout=30)
            assert raised.value.code() == code, raised.value.details()
            assert message in raised.value.details()
            assert "Traceback" not in raised.value.details()
