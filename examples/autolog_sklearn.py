"""The tracked experiment of `tracked_sklearn.py`, recorded by autologging instead.

`autolog` patches scikit-learn's `fit` and `score`: each fit below records a run with its
parameters, the training data (by content hash) and the fitted model; `score` adds the
accuracy. The training code itself is plain scikit-learn.

    scripts/run                                   # in another terminal
    .venv/bin/python examples/autolog_sklearn.py  # LINEAGE_URL picks another server
"""

from __future__ import annotations

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from graph_api.client import connect
from graph_api.client.integrations.sklearn import autolog


def main() -> None:
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

    with connect() as client, autolog(client, experiment="logreg-autolog",
                                      project="breast-cancer") as logging:
        for c in (0.01, 0.1, 1.0):
            model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
            model.fit(X_train, y_train)          # plain scikit-learn from here on
            accuracy = model.score(X_test, y_test)
            run = logging.run_of(model)
            assert run is not None
            print(f"C={c}: run {run.id}  accuracy {accuracy:.3f}  "
                  f"see {client.url}/lineage/{run.id}")
        experiment = logging.experiment
        print(f"experiment {experiment.name}: {experiment.id}  "
              f"see {client.url}/contexts/{experiment.id}")


if __name__ == "__main__":
    main()
