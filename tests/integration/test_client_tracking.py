"""The tracking API against a real server: projects, experiments, runs and their storage."""

from __future__ import annotations

import json

import httpx
import pytest

from graph_api.client import (
    AsyncLineageClient,
    ExecutionState,
    NodeKind,
    connect,
    connect_async,
)
from tests.integration.api import Api

pytestmark = pytest.mark.integration


def test_run_records_everything_in_the_fixed_convention(api: Api) -> None:
    with connect(api.url) as client:
        project = client.project("churn")
        exp = project.experiment("baseline")
        assert client.project("churn").id == project.id  # read, not created again
        with exp.run("xgb-lr-0.1") as run:
            assert run.state is ExecutionState.RUNNING and run.id
            [running] = client.get_executions_by_id([run.id])
            assert running.state is ExecutionState.RUNNING
            run.log_hyperparameters({"learning-rate": 0.1, "max_depth": 6, "3d": True,
                                     "fn": len})
            for step, auc in enumerate([0.7, 0.8, 0.91]):
                run.log_metric("auc", auc, step=step)
            run.log_metric("val/loss", 0.5)
            run.log_metric("val/loss", 0.4)
            run.log_tags(["baseline", "xgb"])
            run.log_tags(["xgb", "gpu"])
            run.log_dataset("train", "s3://data/train.csv", {"rows": 100, "version": "v1"})
            run.log_dataset("test", "s3://data/test.csv")
            run.log_model("s3://models/xgb", {"framework": "xgboost"})
            run.log_artifact("plot", "s3://plots/roc.png")
            run.log_code_version("abc123", "git@example.com:ml/churn.git", dirty=True)
            run.log_environment()
        assert run.state is ExecutionState.COMPLETE
        [execution] = client.get_executions_by_id([run.id])
        props = execution.custom_properties
        assert execution.type == "Run" and execution.name == "xgb-lr-0.1"
        assert execution.state is ExecutionState.COMPLETE
        assert props["param_learning_rate"] == 0.1 and props["param_max_depth"] == 6
        assert props["param__3d"] is True and props["param_fn"].startswith("<built-in")
        assert props["metric_auc"] == 0.91 and props["metric_val_loss"] == 0.4
        history = props["metric_history"]
        assert [h[:2] for h in history["auc"]] == [[0, 0.7], [1, 0.8], [2, 0.91]]
        assert [h[:2] for h in history["val_loss"]] == [[0, 0.5], [1, 0.4]]
        assert all(isinstance(h[2], int) and h[2] > 1.7e12 for h in history["auc"])
        assert props["tags"] == ["baseline", "xgb", "gpu"]
        assert (props["code_git_commit"], props["code_repo"], props["code_dirty"]) == (
            "abc123", "git@example.com:ml/churn.git", True)
        assert props["env_python"].split()[-1].startswith("3.")
        assert props["env_platform"] and props["env_packages"]["httpx"] == httpx.__version__
        assert props["end_time_ms"] >= props["start_time_ms"]

        # the run is in its experiment and project; the experiment is under the project
        assert [e.id for e in exp.runs()] == [run.id]
        assert [c.id for c in client.get_executions_by_context(project.id)] == [run.id]
        assert [c.id for c in client.get_parent_contexts_by_context(exp.id)] == [project.id]
        assert {c.type for c in client.get_contexts_by_execution(run.id)} == {"Project",
                                                                             "Experiment"}
        # artifacts: datasets in, model and file out, attributed to both contexts
        events = {e.path[0]: e for e in client.get_events_by_execution_ids([run.id])}
        assert {k: e.type.value for k, e in events.items()} == {
            "train": "INPUT", "test": "INPUT", "model": "OUTPUT", "plot": "OUTPUT"}
        assert set(run.artifact_ids) == {"train", "test", "model", "plot"}
        artifacts = {a.id: a for a in client.get_artifacts_by_context(exp.id)}
        assert set(artifacts) == set(run.artifact_ids.values())
        train = artifacts[run.artifact_ids["train"]]
        assert (train.type, train.uri, train.custom_properties) == (
            "Dataset", "s3://data/train.csv", {"rows": 100, "version": "v1"})
        assert artifacts[run.artifact_ids["model"]].type == "Model"
        assert artifacts[run.artifact_ids["plot"]].type == "RunArtifact"
        assert len(client.get_artifacts_by_context(project.id)) == 4


def test_experiments_are_scoped_by_their_project(api: Api) -> None:
    with connect(api.url) as client:
        churn = client.project("churn").experiment("baseline")
        fraud = client.project("fraud").experiment("baseline")
        again = client.project("churn").experiment("baseline")

        assert churn.id != fraud.id and again.id == churn.id
        assert (churn.name, fraud.name) == ("baseline", "baseline")
        assert client.get_context_by_type_and_name("Experiment", "churn/baseline").id == churn.id
        assert [e.id for e in client.project("fraud").experiments()] == [fraud.id]


def test_same_dataset_is_one_artifact_across_runs(api: Api) -> None:
    with connect(api.url) as client:
        exp = client.project("p").experiment("e")
        for name in ("a", "b"):
            with exp.run(name) as run:
                run.log_dataset("train", "s3://same", version="2")
                run.log_dataset("other", "s3://same", version="3")
        datasets = client.get_artifacts_by_type("Dataset")
        assert sorted(a.name or "" for a in datasets) == ["other", "train"]
        [train] = [a for a in datasets if a.name == "train"]
        readers = {e.execution_id for e in client.get_events_by_artifact_ids([train.id])}
        assert len(readers) == 2


def test_failed_run_records_the_error_and_reraises(api: Api) -> None:
    with connect(api.url) as client:
        exp = client.project("p").experiment("e")
        with pytest.raises(ZeroDivisionError), exp.run("boom") as run:
            run.log_metric("loss", 1.0)
            run.log_metric("loss", float("nan"))
            1 / 0  # noqa: B018
        [execution] = client.get_executions_by_id([run.id])
        assert execution.state is ExecutionState.FAILED
        assert execution.custom_properties["error"] == {"type": "ZeroDivisionError",
                                                        "message": "division by zero"}
        # logged before the failure: kept; a NaN is null in the history, not the latest
        assert execution.custom_properties["metric_loss"] == 1.0
        assert [h[1] for h in execution.custom_properties["metric_history"]["loss"]] == [
            1.0, None]


async def test_async_run_and_logging_after_the_end(api: Api) -> None:
    client: AsyncLineageClient = connect_async(api.url)
    project = await client.project("async")
    exp = await project.experiment("exp")
    async with exp.run("r1") as run:
        await run.log_metrics({"a": 1, "b": 2}, step=0)
    await run.log_metric("late", 3.0)  # a finished run writes at once
    [execution] = await client.get_executions_by_id([run.id])
    assert execution.state is ExecutionState.COMPLETE
    assert execution.custom_properties["metric_late"] == 3.0
    started = await exp.start_run("r2")
    await started.log_metric("x", 1)
    await started.end()
    assert [r.name for r in await exp.runs()] == ["r1", "r2"]
    assert [e.id for e in await project.experiments()] == [exp.id]
    await client.close()


def test_a_thousand_metrics_flush_in_one_request(api: Api) -> None:
    requests: list[str] = []

    async def count(request: httpx.Request) -> None:
        requests.append(json.loads(request.content)["query"])

    with connect(api.url, event_hooks={"request": [count]}) as client:
        exp = client.project("p").experiment("e")
        run = exp.run("many", flush_interval=3600)
        with run:
            started = len(requests)
            for step in range(1000):
                run.log_metric("loss", 1 / (step + 1), step=step)
            assert len(requests) == started + 1  # the 1,000th record flushed, in one request
            run.log_metric("loss", 0.0, step=1000)
            flushed = len(requests)
        assert len(requests) == flushed + 1  # the exit: one request
        assert "putExecution" in requests[-1]
        [execution] = client.get_executions_by_id([run.id])
        assert len(execution.custom_properties["metric_history"]["loss"]) == 1001
        assert execution.custom_properties["metric_loss"] == 0.0


def test_timed_flush(api: Api) -> None:
    import time

    with connect(api.url) as client:
        exp = client.project("p").experiment("e")
        with exp.run("timed", flush_interval=0.2) as run:
            run.log_metric("m", 1.0)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                [execution] = client.get_executions_by_id([run.id])
                if "metric_m" in execution.custom_properties:
                    break
                time.sleep(0.1)
            assert execution.custom_properties.get("metric_m") == 1.0
            assert execution.state is ExecutionState.RUNNING


def test_lineage_of_a_tracked_model(api: Api) -> None:
    with connect(api.url) as client:
        exp = client.project("p").experiment("e")
        with exp.run("r") as run:
            run.log_dataset("train", "s3://d")
            run.log_model("s3://m")
        up = client.get_lineage_subgraph(artifact_ids=[run.artifact_ids["model"]],
                                         direction="UPSTREAM")
        assert {(n.kind, n.type) for n in up.nodes} == {
            (NodeKind.ARTIFACT, "Model"), (NodeKind.EXECUTION, "Run"),
            (NodeKind.ARTIFACT, "Dataset")}
        impact = client.get_impact([run.artifact_ids["train"]])
        assert {c.name for c in impact.contexts} == {"p", "p/e"}
