"""Retries across a server restart, typed errors, and the exit flush of a run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_api.client import (
    ArtifactInput,
    ExecutionState,
    InvalidInput,
    LimitExceeded,
    RetryPolicy,
    TypeInput,
    Unavailable,
    connect,
)
from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

pytestmark = pytest.mark.integration


def test_a_write_retried_across_a_restart_is_written_once(
        graph_server: GraphServer, clean_db: Database, tmp_path: Path) -> None:
    settings = settings_for(graph_server, tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_api(settings, port), connect(url) as client:
        client.put_artifact_type(TypeInput(name="Dataset"))
    # The server is down: the write retries until it is back.
    client = connect(url, retry=RetryPolicy(attempts=50, initial=0.1, max_delay=0.5,
                                            deadline=60))
    outcome: list[object] = []

    def write() -> None:
        try:
            outcome.append(client.put_artifacts([ArtifactInput(type="Dataset",
                                                               uri="s3://retried")]))
        except Exception as error:  # reported below
            outcome.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(1.0)
    assert writer.is_alive() and not outcome  # still retrying
    with running_api(settings, port):
        writer.join(timeout=60)
        assert len(outcome) == 1 and isinstance(outcome[0], list), outcome
        found = client.get_artifacts_by_uri("s3://retried")
        assert [a.id for a in found] == outcome[0]
        # the same write re-sent (as a retry after a lost answer would) is no new node
        [again] = client.put_artifacts([ArtifactInput(
            type="Dataset", uri="s3://retried", external_id=found[0].external_id)])
        assert again == found[0].id
        assert len(client.get_artifacts_by_uri("s3://retried")) == 1
        client.close()


def test_unreachable_server_is_unavailable_after_the_retries() -> None:
    with connect(f"http://127.0.0.1:{free_port()}",
                 retry=RetryPolicy(attempts=3, initial=0.01)) as client:
        with pytest.raises(Unavailable) as raised:
            client.get_artifacts()
        assert raised.value.code == "UNAVAILABLE"


def test_server_errors_are_typed(api: Api) -> None:
    with connect(api.url) as client:
        with pytest.raises(LimitExceeded) as limit:
            client.get_lineage_subgraph(artifact_ids=["x"], max_hops=100_000)
        assert limit.value.code == "LIMIT_EXCEEDED"
        with pytest.raises(InvalidInput) as bad:
            client.put_artifact_type(TypeInput(name="T", base_type="NOT_A_BASE"))
        assert bad.value.code == "BAD_USER_INPUT" and bad.value.errors


def test_token_is_sent_as_a_bearer_header(api: Api) -> None:
    import httpx

    seen: list[str | None] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.headers.get("authorization"))

    with connect(api.url, token="s3cret", event_hooks={"request": [record]}) as client:
        assert "s3cret" not in repr(client) and "s3cret" not in repr(client.transport)
        client.get_contexts()
    assert seen == ["Bearer s3cret"]


def test_a_run_started_without_with_ends_at_exit(api: Api) -> None:
    script = (
        "from graph_api.client import connect\n"
        "exp = connect().project('p').experiment('e')\n"
        "run = exp.start_run('left-open', flush_interval=3600)\n"
        "run.log_metric('m', 2.5)\n"
        "print(run.id)\n")
    env = {**os.environ, "LINEAGE_URL": api.url}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    run_id = done.stdout.strip()
    with connect(api.url) as client:
        [execution] = client.get_executions_by_id([run_id])
    assert execution.state is ExecutionState.COMPLETE
    assert execution.custom_properties["metric_m"] == 2.5
