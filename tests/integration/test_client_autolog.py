"""scikit-learn autologging against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from graph_api.client import ExecutionState, LineageClient, connect
from graph_api.client.integrations.sklearn import autolog
from tests.integration.api import Api

pytestmark = pytest.mark.integration


@pytest.fixture
def client(api: Api) -> Iterator[LineageClient]:
    with connect(api.url) as client:
        yield client
    autolog(disable=True)


def test_plain_estimator_fit_and_score(client: LineageClient) -> None:
    X, y = load_breast_cancer(return_X_y=True)
    handle = autolog(client, experiment="trees", project="cancer")
    assert handle is not None
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    accuracy = tree.score(X, y)
    run = handle.run_of(tree)
    assert run is not None
    [execution] = client.get_executions_by_id([run.id])
    props = execution.custom_properties
    assert execution.name == "DecisionTreeClassifier"
    assert execution.state is ExecutionState.COMPLETE
    assert props["param_max_depth"] == 3 and props["param_random_state"] == 0
    assert props["param_criterion"] == "gini"
    assert props["metric_score"] == pytest.approx(accuracy)
    events = {e.path[0]: e for e in client.get_events_by_execution_ids([run.id])}
    assert set(events) == {"train", "model"}
    [data] = client.get_artifacts_by_id([events["train"].artifact_id])
    assert data.type == "Dataset" and (data.uri or "").startswith("sha256:")
    assert data.custom_properties["shape"] == [569, 30]
    [model] = client.get_artifacts_by_id([events["model"].artifact_id])
    assert model.type == "Model"
    assert model.custom_properties["class"] == "sklearn.tree._classes.DecisionTreeClassifier"

    # the same data again: the same dataset artifact; other data: another one
    DecisionTreeClassifier(max_depth=2).fit(X, y)
    DecisionTreeClassifier(max_depth=2).fit(X[:100], y[:100])
    datasets = client.get_artifacts_by_type("Dataset")
    assert len(datasets) == 2
    experiment = handle.experiment
    assert len(experiment.runs()) == 3

    handle.disable()
    DecisionTreeClassifier(max_depth=2).fit(X, y)
    assert len(experiment.runs()) == 3


def test_pipeline_is_one_run(client: LineageClient) -> None:
    X, y = load_breast_cancer(return_X_y=True)
    with autolog(client, experiment="pipes") as handle:
        pipe = Pipeline([("scale", StandardScaler()),
                         ("clf", LogisticRegression(C=0.5, max_iter=1000))]).fit(X, y)
        pipe.score(X, y)
        runs = handle.experiment.runs()
    assert [r.name for r in runs] == ["Pipeline"]  # no runs of the nested steps
    props = runs[0].custom_properties
    assert props["param_clf__C"] == 0.5 and props["param_scale__with_mean"] is True
    [execution] = client.get_executions_by_id([runs[0].id])
    assert "metric_score" in execution.custom_properties
    # disabled on leaving the block
    LogisticRegression(max_iter=1000).fit(StandardScaler().fit_transform(X), y)
    assert len(handle.experiment.runs()) == 1


def test_failed_fit_records_a_failed_run(client: LineageClient) -> None:
    autolog(client, experiment="fails")
    with pytest.raises(ValueError):
        LogisticRegression().fit([[1.0], [2.0]], [0, 0])  # one class only
    autolog(disable=True)
    [run] = client.project("sklearn").experiment("fails").runs()
    assert run.state is ExecutionState.FAILED
    assert run.custom_properties["error"]["type"] == "ValueError"
