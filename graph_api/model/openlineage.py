"""OpenLineage's records: dataset identities, what an ingested event wrote, and a
dataset's columns with the input columns each derives from."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    """The three kinds of OpenLineage event (the schema's `oneOf`)."""

    RUN = "RunEvent"
    DATASET = "DatasetEvent"
    JOB = "JobEvent"


def alias_key(namespace: str, name: str) -> str:
    """The key of a dataset identity: unambiguous whatever the namespace and name hold
    (both may contain ':' and '/')."""
    return json.dumps([namespace, name], ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Identity:
    """A name of a dataset: its (namespace, name), whether some event named the dataset by
    it (`primary`, not only as a symlink), and whether a symlink called it a LOCATION."""

    namespace: str
    name: str
    primary: bool = False
    location: bool = False

    @property
    def key(self) -> str:
        return alias_key(self.namespace, self.name)

    def rank(self) -> tuple[bool, bool, str, str]:
        """Order of preference for the name an artifact shows (smallest first): a name
        datasets are given by, over a table name only symlinks give; a table over a
        location; then alphabetical, so the choice depends on the set, not on arrival."""
        return (not self.primary, self.location, self.namespace, self.name)

    def union(self, other: Identity) -> Identity:
        return Identity(self.namespace, self.name, self.primary or other.primary,
                        self.location or other.location)


@dataclass(frozen=True)
class IngestResult:
    """What one event wrote or found: the ids of its run's execution (None for a dataset
    or job event), its datasets' artifacts (inputs, then outputs), and its contexts."""

    kind: EventKind
    execution_id: str | None
    artifact_ids: list[str]
    context_ids: list[str]


@dataclass(frozen=True, slots=True)
class ColumnInput:
    """A column an output column derives from: its dataset (namespace, name, and the
    artifact that identity names, when one does) and field."""

    namespace: str
    name: str
    field: str
    artifact_id: str | None = None
    transformations: list[dict[str, object]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DatasetColumn:
    """A column of a dataset (from its schema facet, or only named by its column lineage
    facet), and the input columns it derives from."""

    name: str
    type: str | None = None
    description: str | None = None
    inputs: list[ColumnInput] = dataclasses.field(default_factory=list)
