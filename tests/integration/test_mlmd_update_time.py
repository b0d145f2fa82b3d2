"""A node's last update time moves as MLMD's own store moves it: MLMD compares the node
put with the node stored, times included, so a node sent back as it was read keeps its
time (unless `force_update_time`), and any other put moves it; and an artifact put with
`abort_if_latest_updated_time_changed` is refused if it was updated since it was read."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist "
                                          "for CPython 3.11 on glibc Linux and macOS only")

from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.compat.mlmd import MetadataStore

T = TypeVar("T")


def _moves(store: Any) -> list[bool]:
    """For each kind of put, whether it moved the execution's last update time."""
    step = store.put_execution_type(pb.ExecutionType(
        name="Step", properties={"lr": pb.DOUBLE}))
    data = store.put_artifact_type(pb.ArtifactType(name="Data"))
    execution = pb.Execution(type_id=step, name="fit", last_known_state=pb.Execution.RUNNING)
    execution.properties["lr"].double_value = 0.1
    [execution.id] = store.put_executions([execution])

    def updated_at() -> int:
        [stored] = store.get_executions_by_id([execution.id])
        return int(stored.last_update_time_since_epoch)

    def moved(put: Any) -> bool:
        before = updated_at()
        time.sleep(0.005)  # a put after this has a later millisecond to show, if it writes
        put()
        return updated_at() != before

    def read() -> Any:
        [stored] = store.get_executions_by_id([execution.id])
        return stored

    def changed() -> Any:
        node = read()
        node.properties["lr"].double_value = 0.2
        return node

    output = [(pb.Artifact(type_id=data, uri="out"), pb.Event(type=pb.Event.OUTPUT))]
    return [
        moved(lambda: store.put_executions([execution])),  # without its times
        moved(lambda: store.put_executions([read()])),
        moved(lambda: store.put_execution(read(), output, [])),
        moved(lambda: store.put_execution(read(), [], [], force_update_time=True)),
        moved(lambda: store.put_executions([changed()])),
    ]


def _theirs_and_ours(graph_server: GraphServer, tmp_path: Path, measure: Callable[[Any], T]
                     ) -> tuple[T, T]:
    """`measure` of MLMD's own store (SQLite in memory), then of ours over gRPC."""
    config = pb.ConnectionConfig()
    config.sqlite.SetInParent()
    theirs = measure(metadata_store.MetadataStore(config))
    port = free_port()
    with running_api(settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port))):
        return theirs, measure(MetadataStore(f"127.0.0.1:{port}"))


def test_update_times_move_as_mlmds_own_do(graph_server: GraphServer, clean_db: Database,
                                           tmp_path: Path) -> None:
    theirs, ours = _theirs_and_ours(graph_server, tmp_path, _moves)

    assert theirs == [True, False, False, True, True]  # what MLMD does
    assert ours == theirs


def _abort_if_changed(store: Any) -> list[str]:
    """What `abort_if_latest_updated_time_changed` does with an artifact updated since it
    was read, then with one read anew: each put's outcome and the stored uri after it."""
    from ml_metadata.proto import metadata_store_service_pb2 as rpc

    data = store.put_artifact_type(pb.ArtifactType(name="Data"))
    [artifact_id] = store.put_artifacts([pb.Artifact(type_id=data, uri="a")])
    [read] = store.get_artifacts_by_id([artifact_id])
    time.sleep(0.005)  # the next put's time is a later millisecond
    meanwhile = pb.Artifact()
    meanwhile.CopyFrom(read)
    meanwhile.uri = "b"
    store.put_artifacts([meanwhile])

    outcomes = []
    for artifact in (read, store.get_artifacts_by_id([artifact_id])[0]):
        artifact.uri = "c"
        request = rpc.PutArtifactsRequest(
            artifacts=[artifact],
            options=rpc.PutArtifactsRequest.Options(abort_if_latest_updated_time_changed=True))
        try:
            store._call("PutArtifacts", request, rpc.PutArtifactsResponse())
            outcome = "ok"
        except Exception as error:  # MLMD's client raises its own error classes
            outcome = type(error).__name__
        outcomes.append(f"{outcome} {store.get_artifacts_by_id([artifact_id])[0].uri}")
    return outcomes


def test_abort_if_the_artifact_changed_refuses_as_mlmd_does(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    theirs, ours = _theirs_and_ours(graph_server, tmp_path, _abort_if_changed)

    assert theirs == ["FailedPreconditionError b", "ok c"]
    assert ours == theirs
