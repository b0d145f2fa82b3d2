"""The mutation tests' fixtures: the services on the server's (emptied) database, and the
types most tests register first."""

from __future__ import annotations

import pytest

from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.mutations.helpers import SCHEMA, put_type, type_spec


@pytest.fixture
def graph(api: Api, database: Database) -> Services:
    """A store on the server's (emptied) database, to probe what the mutations wrote."""
    return Services.create(database)


@pytest.fixture
def typed(api: Api, graph: Services) -> Services:
    """Types registered through the API: Dataset/Model, Trainer, Experiment/Pipeline."""
    put_type(api, "Artifact", type_spec("Dataset", SCHEMA, baseType="DATASET"))
    put_type(api, "Artifact", type_spec("Model", {"layers": "INT"}))
    put_type(api, "Execution", type_spec("Trainer", {**SCHEMA, "lr": "DOUBLE"}))
    put_type(api, "Context", type_spec("Experiment", SCHEMA))
    put_type(api, "Context", type_spec("Pipeline"))
    return graph
