"""Version a model's ingredients, train on a commit, promote the model, reproduce it.

A repository holds the config, data, environment and code of a model as commits; a run
records the commit it used; its model is registered, promoted to `prod` (merge + alias
`champion`, in one step) and reproduced from the alias.

    scripts/run                                         # in another terminal
    .venv/bin/python examples/versioned_ingredients.py  # LINEAGE_URL picks another server
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from graph_api.client import Config, Conflict, Dataset, Environment, Refused, connect

MODEL = "churn-example"


def main() -> None:
    with connect() as client, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "train"
        data.mkdir()
        (data / "part-0.csv").write_text("tenure,churned\n1,1\n24,0\n")
        (data / "part-1.csv").write_text("tenure,churned\n3,1\n60,0\n")

        repo = client.repository(MODEL)                   # created with main; prod is protected
        with contextlib.suppress(Conflict):               # a second run of the example
            repo.create_branch("prod", "main")
        try:
            commit = repo.branch("main").commit("baseline: lr 0.05", {
                "config/train": Config({"lr": 0.05, "epochs": 10}),
                "data/train": Dataset.from_path(str(data)),
                "env/python": Environment.capture(),
            })
        except Refused as refused:                        # NoChanges on a second run
            commit = repo.log(refused.details["head"], limit=1)[0]
        print("committed", commit.sha[:12], commit.message)

        project = client.project("churn")
        with project.experiment("versioned").run("lr-0.05") as run:
            run.use_ingredients(commit, keys={"train_data": "data/train"})
            run.log_metric("auc", 0.91)
            version = run.log_model("s3://models/churn.pkl", register=MODEL)
        print("registered", MODEL, "version", version.version, "trained on",
              version.commit[:12])

        try:
            client.promote(MODEL, version=version.version, alias="champion", branch="prod",
                           reason="first model")
            print("promoted to champion; prod is at", repo.log("prod", limit=1)[0].sha[:12])
        except Refused as refused:
            print("not promoted:", refused.reason)

        recipe = client.reproduce(alias=(MODEL, "champion"))
        print("reproducible:", recipe.reproducible, "config:", recipe.config)
        out = recipe.materialize(Path(tmp) / "repro")
        print("recipe written:", sorted(p.name for p in out.iterdir()))


if __name__ == "__main__":
    main()
