"""The Python SDK: MLMD's metadata-store calls and experiment tracking over the GraphQL API.

    from graph_api.client import connect

    client = connect()                       # LINEAGE_URL / LINEAGE_TOKEN, else the local server
    project = client.project("churn")
    experiment = project.experiment("baseline")
    with experiment.run("xgb-lr-0.1") as run:
        run.log_hyperparameters({"learning_rate": 0.1})
        run.log_metric("auc", 0.91, step=3)

`connect_async` gives the async client the sync one is derived from. See `store_api.py`
for the store calls and `tracking/run.py` for how a run is stored.
"""

from __future__ import annotations

from typing import Any

from graph_api.client.client import DEFAULT_URL, AsyncLineageClient
from graph_api.client.errors import (
    BadUserInput,
    Conflict,
    InvalidInput,
    LimitExceeded,
    LineageError,
    NotFound,
    ProtocolError,
    ServerError,
    Timeout,
    Unavailable,
)
from graph_api.client.models import *  # noqa: F403
from graph_api.client.models import __all__ as _models
from graph_api.client.retry import RetryPolicy
from graph_api.client.sync import Branch, Experiment, LineageClient, Project, Repository, Run
from graph_api.client.tracking import AsyncExperiment, AsyncProject, AsyncRun
from graph_api.client.versioning import (
    AsyncBranch,
    AsyncRepository,
    Code,
    CommitInfo,
    Config,
    Dataset,
    Environment,
    Ingredient,
    MergeInfo,
    ModelVersionInfo,
    Recipe,
    Refused,
)


def connect_async(url: str | None = None, token: str | None = None, **options: Any
                  ) -> AsyncLineageClient:
    """The async client of the server at `url` (default `LINEAGE_URL`, else
    http://127.0.0.1:8000), sending `token` (default `LINEAGE_TOKEN`) as a bearer token.
    Options: `retry` (a RetryPolicy), `timeout`, `page_size`, `event_hooks`."""
    return AsyncLineageClient(url, token, **options)


def connect(url: str | None = None, token: str | None = None, **options: Any) -> LineageClient:
    """The blocking client; arguments as `connect_async`."""
    return LineageClient.wrapping(connect_async(url, token, **options))


__all__ = [
    *_models,
    "DEFAULT_URL",
    "AsyncBranch",
    "AsyncExperiment",
    "AsyncLineageClient",
    "AsyncProject",
    "AsyncRepository",
    "AsyncRun",
    "BadUserInput",
    "Branch",
    "Code",
    "CommitInfo",
    "Config",
    "Conflict",
    "Dataset",
    "Environment",
    "Experiment",
    "Ingredient",
    "InvalidInput",
    "LimitExceeded",
    "LineageClient",
    "LineageError",
    "MergeInfo",
    "ModelVersionInfo",
    "NotFound",
    "Project",
    "ProtocolError",
    "Recipe",
    "Refused",
    "Repository",
    "RetryPolicy",
    "Run",
    "ServerError",
    "Timeout",
    "Unavailable",
    "connect",
    "connect_async",
]
