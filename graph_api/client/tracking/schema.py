"""The types the tracking API records with, registered once per client.

Projects and experiments are contexts (`Project`, `Experiment`, the experiment a child of
its project); a run is an execution of type `Run` (base type TRAIN) associated with both;
datasets, models and other files are artifacts of `Dataset` (DATASET), `Model` (MODEL)
and `RunArtifact`. Everything a run logs is a custom property (see `run.py`), so the
types declare no properties and never conflict with a schema declared elsewhere.
"""

from __future__ import annotations

from graph_api.client import wire
from graph_api.client.errors import Conflict
from graph_api.client.models import TypeInput
from graph_api.client.store_api import AsyncStore

PROJECT = "Project"
EXPERIMENT = "Experiment"
RUN = "Run"
DATASET = "Dataset"
MODEL = "Model"
RUN_ARTIFACT = "RunArtifact"


#: (alias, mutation, type): the tracking types, registered in one request.
_TYPES = (
    ("project", "putContextType", TypeInput(name=PROJECT)),
    ("experiment", "putContextType", TypeInput(name=EXPERIMENT)),
    ("run", "putExecutionType", TypeInput(name=RUN, base_type="TRAIN")),
    ("dataset", "putArtifactType", TypeInput(name=DATASET, base_type="DATASET")),
    ("model", "putArtifactType", TypeInput(name=MODEL, base_type="MODEL")),
    ("file", "putArtifactType", TypeInput(name=RUN_ARTIFACT)),
)


def _document(types: tuple[tuple[str, str, TypeInput], ...]) -> tuple[str, dict[str, object]]:
    args = ", ".join(f"${alias}: TypeDefinitionInput!" for alias, _, _ in types)
    body = " ".join(f"{alias}: {field}(input: ${alias}) {{ id }}" for alias, field, _ in types)
    # Evolving, never narrowing: a type declared elsewhere keeps its properties.
    variables: dict[str, object] = {
        alias: wire.type_input(spec, can_add_fields=True, can_omit_fields=True)
        for alias, _, spec in types}
    return f"mutation ({args}) {{ {body} }}", variables


class TrackingTypes:
    """Registers the tracking types the first time a client needs them."""

    def __init__(self) -> None:
        self.registered = False

    async def ensure(self, store: AsyncStore) -> None:
        if self.registered:
            return
        try:
            await store.transport.execute(*_document(_TYPES))
        except Conflict:
            # A type of that name was declared elsewhere with another base type: use it
            # as it is declared.
            await store.transport.execute(*_document(tuple(
                (alias, field, spec.model_copy(update={"base_type": None}))
                for alias, field, spec in _TYPES)))
        self.registered = True
