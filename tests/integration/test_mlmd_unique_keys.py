"""MLMD's unique keys hold under concurrent writers: of several clients creating a node of
one key (a context's or a node's (type, name), an external id) at once, exactly one
creates it and the others get ALREADY_EXISTS, unless the call asks to reuse the stored
node; the check runs inside the write, so a key taken after the call's own look-up is
still refused."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph_api.embedded import free_port
from graph_api.errors import Conflict
from graph_api.model.enums import NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
CLIENTS = 8


async def test_a_new_only_row_whose_key_is_stored_refuses_the_batch(services: Services) -> None:
    for kind in (A, E, C):
        await services.types.put(kind, TypeInput(name="T"))
    await services.ingest.put_nodes(A, [ArtifactInput(type="T", name="model", external_id="x1")])
    await services.ingest.put_nodes(E, [ExecutionInput(type="T", name="fit")])
    await services.ingest.put_nodes(C, [ContextInput(type="T", name="run")])
    refused = [
        (A, ArtifactInput(type="T", name="model"), "input[1].name"),
        (A, ArtifactInput(type="T", name="other", external_id="x1"), "input[1].externalId"),
        (E, ExecutionInput(type="T", name="fit"), "input[1].name"),
        (C, ContextInput(type="T", name="run"), "input[1].name"),
    ]
    fresh = {A: ArtifactInput(type="T", name="fresh"), E: ExecutionInput(type="T"),
             C: ContextInput(type="T", name="fresh")}
    before = {kind: await _count(services, kind) for kind in (A, E, C)}
    for kind, row, field in refused:
        with pytest.raises(Conflict) as raised:
            await services.ingest.put_nodes(kind, [fresh[kind], row], new_only=True)
        assert raised.value.field == field
    # Nothing of the refused batches was written: not even their fresh rows.
    assert {kind: await _count(services, kind) for kind in (A, E, C)} == before
    # The domain's own writes keep upserting: a context by (type, name), an artifact by
    # its external id, and an artifact of a taken name is a second artifact.
    [run] = await services.ingest.put_nodes(C, [ContextInput(type="T", name="run")])
    [again] = await services.ingest.put_nodes(C, [ContextInput(type="T", name="run")])
    assert run == again
    [twin] = await services.ingest.put_nodes(A, [ArtifactInput(type="T", name="model")])
    [named] = await services.ingest.put_nodes(A, [ArtifactInput(type="T", name="model",
                                                                external_id="x1")])
    assert twin != named
    # A new-only name check leaves a type's other names alone.
    await services.ingest.put_nodes(A, [ArtifactInput(type="T", name="model-2")], new_only=True)
    assert await _count(services, A) == before[A] + 2  # the twin and model-2


async def _count(services: Services, kind: NodeKind) -> int:
    return (await services.nodes.list(kind, with_total=True)).total_count or 0


def _at_once(call: Callable[[Any], Any], store: Callable[[], Any]) -> tuple[list[Any], list[str]]:
    """Run `call(store)` from CLIENTS threads released together; (answers, error names)."""
    barrier = threading.Barrier(CLIENTS)
    answers: list[Any] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        mine = store()
        barrier.wait()
        try:
            answer = call(mine)
        except Exception as error:  # MLMD's client raises its own error classes
            with lock:
                errors.append(type(error).__name__)
        else:
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, errors


def test_concurrent_creates_of_one_key_let_exactly_one_through(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels "
                                              "exist for CPython 3.11 on glibc Linux only")
    from ml_metadata.proto import metadata_store_pb2 as pb

    from graph_api.compat.mlmd import MetadataStore

    port = free_port()
    with running_api(settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port))):
        def store() -> Any:
            return MetadataStore(f"127.0.0.1:{port}")

        setup = store()
        data = setup.put_artifact_type(pb.ArtifactType(name="Data"))
        step = setup.put_execution_type(pb.ExecutionType(name="Step"))
        run = setup.put_context_type(pb.ContextType(name="Run"))
        cases: list[tuple[str, Callable[[Any], Any], Callable[[], int]]] = [
            ("context (type, name)",
             lambda s: s.put_contexts([pb.Context(type_id=run, name="nightly")]),
             lambda: len(setup.get_contexts_by_type("Run"))),
            ("artifact (type, name)",
             lambda s: s.put_artifacts([pb.Artifact(type_id=data, name="model")]),
             lambda: len(setup.get_artifacts_by_type("Data"))),
            ("execution external id",
             lambda s: s.put_executions([pb.Execution(type_id=step, external_id="job-1")]),
             lambda: len(setup.get_executions_by_type("Step"))),
        ]
        for name, call, count in cases:
            answers, errors = _at_once(call, store)
            assert len(answers) == 1, (name, errors)
            assert errors == ["AlreadyExistsError"] * (CLIENTS - 1), name
            assert count() == 1, name

        # Asked to reuse the context, every concurrent put_execution lands in one context.
        def put_execution(s: Any) -> Any:
            return s.put_execution(pb.Execution(type_id=step),
                                   [(pb.Artifact(type_id=data, uri="out"),
                                     pb.Event(type=pb.Event.OUTPUT))],
                                   [pb.Context(type_id=run, name="shared")],
                                   reuse_context_if_already_exist=True)

        answers, errors = _at_once(put_execution, store)
        assert errors == []
        assert len({context_ids[0] for _, _, context_ids in answers}) == 1
        shared = setup.get_context_by_type_and_name("Run", "shared")
        assert len(setup.get_executions_by_context(shared.id)) == CLIENTS
