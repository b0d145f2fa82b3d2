"""A tracked scikit-learn experiment: three runs of logistic regression, one per C.

Each run logs its hyperparameters, the training data, the code version and environment,
its validation accuracy per fold (a metric with history), its tags and the fitted model.
Uses scikit-learn's bundled breast-cancer data (no download).

    scripts/run                                   # in another terminal
    .venv/bin/python examples/tracked_sklearn.py  # LINEAGE_URL picks another server
"""

from __future__ import annotations

import hashlib
import subprocess

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from graph_api.client import connect


def git_commit() -> tuple[str, bool]:
    """This checkout's commit and whether it has local changes ("unknown" outside git)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], capture_output=True,
                                    text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False
    return commit, dirty


def main() -> None:
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    data_version = hashlib.sha256(X.tobytes() + y.tobytes()).hexdigest()[:12]
    commit, dirty = git_commit()

    with connect() as client:
        experiment = client.project("breast-cancer").experiment("logreg-c-sweep")
        url = client.url
        for c in (0.01, 0.1, 1.0):
            with experiment.run(f"logreg-c-{c}") as run:
                run.log_hyperparameters({"C": c, "max_iter": 1000, "scaler": "standard"})
                run.log_tags(["logreg", "sweep"])
                run.log_code_version(commit, "lineage-explorer/examples", dirty)
                run.log_environment()
                run.log_dataset("train", "sklearn://datasets/breast_cancer#train",
                                {"rows": len(X_train)}, version=data_version)
                run.log_dataset("test", "sklearn://datasets/breast_cancer#test",
                                {"rows": len(X_test)}, version=data_version)
                model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
                for fold, score in enumerate(cross_val_score(model, X_train, y_train, cv=5)):
                    run.log_metric("cv_accuracy", float(score), step=fold)
                model.fit(X_train, y_train)
                run.log_metric("test_accuracy", float(model.score(X_test, y_test)))
                run.log_model(f"file:///tmp/models/logreg-c-{c}.pkl", {"framework": "sklearn"})
            print(f"run {run.name}: {run.id}  test accuracy "
                  f"{run.metrics['metric_test_accuracy']:.3f}  see {url}/lineage/{run.id}")
        print(f"experiment {experiment.name}: {experiment.id}  see {url}/contexts/{experiment.id}")


if __name__ == "__main__":
    main()
