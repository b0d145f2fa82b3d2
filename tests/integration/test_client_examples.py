"""The examples run as written, against a live server (LINEAGE_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_api.client import connect
from tests.integration.api import Api

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(name: str, api: Api) -> str:
    env = {**os.environ, "LINEAGE_URL": api.url}
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], env=env, capture_output=True,
                          text=True, timeout=300, cwd=EXAMPLES.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_mlmd_quickstart(api: Api) -> None:
    out = _run("mlmd_quickstart.py", api)
    assert "the model was trained on: path/to/data {'day': 1, 'split': 'train'}" in out
    assert f"{api.url}/lineage/" in out and f"{api.url}/contexts/" in out
    with connect(api.url) as client:
        [model] = client.get_artifacts_by_type("SavedModel")
        assert model.properties == {"version": 1}


def test_tracked_sklearn(api: Api) -> None:
    out = _run("tracked_sklearn.py", api)
    assert out.count("test accuracy") == 3
    with connect(api.url) as client:
        experiment = client.get_context_by_type_and_name("Experiment", "breast-cancer/logreg-c-sweep")
        assert experiment is not None
        runs = client.get_executions_by_context(experiment.id)
        assert len(runs) == 3
        assert all(len(r.custom_properties["metric_history"]["cv_accuracy"]) == 5 for r in runs)
        assert len(client.get_artifacts_by_type("Dataset")) == 2  # shared by the three runs


def test_autolog_sklearn(api: Api) -> None:
    out = _run("autolog_sklearn.py", api)
    assert out.count("accuracy") == 3
    with connect(api.url) as client:
        experiment = client.get_context_by_type_and_name("Experiment", "breast-cancer/logreg-autolog")
        assert experiment is not None
        runs = client.get_executions_by_context(experiment.id)
        assert [r.name for r in runs] == ["Pipeline"] * 3
        assert all("metric_score" in r.custom_properties for r in runs)


def test_versioned_ingredients(api: Api) -> None:
    out = _run("versioned_ingredients.py", api)
    assert "registered churn-example version 1" in out
    assert "promoted to champion" in out
    assert "reproducible: True config: {'config/train': {'epochs': 10, 'lr': 0.05}}" in out
    assert "'recipe.json'" in out
    with connect(api.url) as client:
        recipe = client.reproduce(alias=("churn-example", "champion"))
        assert [c["path"] for c in recipe.data[0]["components"]] == ["part-0.csv", "part-1.csv"]
