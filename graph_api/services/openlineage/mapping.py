"""How OpenLineage maps onto the MLMD model, as pure functions: names and external ids,
run states, and facets merged so that the result does not depend on arrival order.

- a dataset (namespace, name) is an artifact of type `Dataset`; its symlinks are other
  identities of the same artifact (`Identity`), the one it shows chosen by `Identity.rank`;
- a run is an execution of type `JobRun`, named after its job; its state comes from the
  event that ranks highest by `state_rank` (terminal events over others, then the newest
  `eventTime`), whatever order the events arrive in;
- a job is a context of type `Job`, under a context of type `Namespace`; a parent run is
  a context of type `ParentRun` that holds its child runs;
- facets are custom properties, one per facet; each keeps the value of the newest event
  that carried it (`merge_facets`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.model.enums import ArtifactState, ExecutionState
from graph_api.model.openlineage import Identity
from graph_api.services.openlineage.validation import event_time_us, run_id

DATASET_TYPE = "Dataset"
RUN_TYPE = "JobRun"
JOB_TYPE = "Job"
NAMESPACE_TYPE = "Namespace"
PARENT_RUN_TYPE = "ParentRun"

#: Custom properties the mapping sets itself; a facet of the same name gets a suffix.
RESERVED = frozenset({"namespace", "identities", "runId", "jobNamespace", "jobName",
                      "eventType", "eventTime", "facetTimes"})
#: Where each node keeps the time (µs) of the event each facet's value came from.
FACET_TIMES = "facetTimes"
#: Job facets on a run's execution are kept under this prefix (a run facet and a job
#: facet may share a name: `tags`).
JOB_FACET = "job."

TERMINAL = frozenset({"COMPLETE", "FAIL", "ABORT"})
STATES = {"START": ExecutionState.RUNNING, "RUNNING": ExecutionState.RUNNING,
          "COMPLETE": ExecutionState.COMPLETE, "FAIL": ExecutionState.FAILED,
          "ABORT": ExecutionState.CANCELED}
#: Which of two events of equal rank and time gives the state: the later in a run's life.
_PRIORITY = {"START": 0, "RUNNING": 1, "COMPLETE": 2, "ABORT": 3, "FAIL": 4}

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def dataset_external_id(namespace: str, name: str) -> str:
    return f"openlineage:dataset:{namespace}:{name}"


def run_external_id(run: str) -> str:
    return f"openlineage:run:{run}"


def job_external_id(namespace: str, name: str) -> str:
    return f"openlineage:job:{namespace}:{name}"


def job_context_name(namespace: str, name: str) -> str:
    return f"{namespace}:{name}"


def namespace_external_id(namespace: str) -> str:
    return f"openlineage:namespace:{namespace}"


def parent_run_external_id(run: str) -> str:
    return f"openlineage:parentRun:{run}"


def parent_run_name(job_name: str, run: str) -> str:
    return f"{job_name} {run}"


def property_name(facet: str) -> str:
    """The custom property a facet is kept in: its name with what a property name cannot
    hold made `_` (`spark.logicalPlan` → `spark_logicalPlan`)."""
    name = _NOT_NAME.sub("_", facet)
    if not name or name[0].isdigit():
        name = "_" + name
    return name + "_facet" if name in RESERVED else name


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def merge_facets(stored: Mapping[str, Any], incoming: Mapping[str, Any], time_us: int
                 ) -> dict[str, Any]:
    """Custom properties after an event at `time_us` brought `incoming` facets.

    Each facet keeps the value of the newest event that carried it (ties: the larger
    value as canonical JSON), so any arrival order of a set of events gives the same
    properties. Facets the event does not carry are kept.
    """
    out = dict(stored)
    times: dict[str, int] = dict(stored.get(FACET_TIMES) or {})
    for name, value in incoming.items():
        if value is None:
            continue
        key = property_name(name)
        old = times.get(name)
        newer = old is None or time_us > old or (
            time_us == old and _canonical(value) > _canonical(out.get(key)))
        if name == "columnLineage" and isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = column_lineage_union(out[key], value, newer)
            times[name] = max(time_us, old or time_us)
        elif newer:
            out[key] = value
            times[name] = time_us
    if times:
        out[FACET_TIMES] = times
    return out


def column_lineage_union(stored: Mapping[str, Any], incoming: Mapping[str, Any], newer: bool
                         ) -> dict[str, Any]:
    """Two column lineage facets of one dataset (written by several runs or jobs) as one:
    per column, every input field either names, each once, in a fixed order; the rest of
    the facet from the newer."""
    base = dict(incoming if newer else stored)
    fields: dict[str, Any] = {}
    for facet in (stored, incoming):
        for column, spec in (facet.get("fields") or {}).items():
            if not isinstance(spec, dict):
                continue
            known = fields.setdefault(column, {**spec, "inputFields": []})
            if newer and facet is incoming:
                known.update({k: v for k, v in spec.items() if k != "inputFields"})
            known["inputFields"] += spec.get("inputFields") or []
    for spec in fields.values():
        unique = {_canonical(i): i for i in spec["inputFields"]}
        spec["inputFields"] = [unique[k] for k in sorted(unique)]
    base["fields"] = fields
    return base


def facets_of(custom: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The facets kept in a node's custom properties (those named by `prefix`, which is
    taken off), by their OpenLineage names."""
    times = custom.get(FACET_TIMES) or {}
    return {name[len(prefix):]: custom.get(property_name(name)) for name in sorted(times)
            if name.startswith(prefix) and (prefix or not name.startswith(JOB_FACET))}


def state_rank(event_type: str | None, time_us: int) -> tuple[bool, int, int] | None:
    """How strongly an event sets its run's state (None: it does not, as OTHER)."""
    if event_type not in STATES:
        return None
    return (event_type in TERMINAL, time_us, _PRIORITY[event_type])


def stored_rank(custom: Mapping[str, Any]) -> tuple[bool, int, int] | None:
    """The rank of the event that gave a stored run its state."""
    event_type, event_time = custom.get("eventType"), custom.get("eventTime")
    if not isinstance(event_type, str) or not isinstance(event_time, str):
        return None
    return state_rank(event_type, event_time_us(event_time))


def dataset_state(facets: Mapping[str, Any]) -> ArtifactState:
    """DELETED once the newest lifecycle change says the dataset was dropped, else LIVE."""
    change = facets.get("lifecycleStateChange")
    if isinstance(change, dict) and change.get("lifecycleStateChange") == "DROP":
        return ArtifactState.DELETED
    return ArtifactState.LIVE


def identities(dataset: Mapping[str, Any]) -> list[Identity]:
    """A dataset's own identity first, then those of its symlinks facet."""
    own = Identity(dataset["namespace"], dataset["name"], primary=True)
    found = [own]
    symlinks = (dataset.get("facets") or {}).get("symlinks") or {}
    for link in symlinks.get("identifiers") or []:
        if isinstance(link, dict) and isinstance(link.get("namespace"), str) and isinstance(
                link.get("name"), str):
            found.append(Identity(link["namespace"], link["name"],
                                  location=str(link.get("type", "")).upper() == "LOCATION"))
    return found


def dataset_facets(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """A dataset's facets with its input or output facets (statistics, quality…)."""
    return {**(dataset.get("facets") or {}), **(dataset.get("inputFacets") or {}),
            **(dataset.get("outputFacets") or {})}


@dataclass(frozen=True)
class RunRef:
    """A run an event names: its id and its job."""

    run_id: str
    job_namespace: str
    job_name: str


def parent_refs(facets: Mapping[str, Any]) -> tuple[RunRef | None, RunRef | None]:
    """The parent run and the root run a run facet names (validated already)."""
    parent = facets.get("parent")
    if not isinstance(parent, dict) or not isinstance(parent.get("run"), dict):
        return None, None
    job = parent.get("job") or {}
    direct = RunRef(run_id(parent["run"]["runId"], "run.facets.parent.run.runId"),
                    job.get("namespace", ""), job.get("name", ""))
    root = parent.get("root")
    if not isinstance(root, dict):
        return direct, None
    rjob = root["job"]
    top = RunRef(run_id(root["run"]["runId"], "run.facets.parent.root.run.runId"),
                 rjob["namespace"], rjob["name"])
    return direct, (top if top.run_id != direct.run_id else None)


def parent_of(custom: Mapping[str, Any]) -> RunRef | None:
    """The parent a stored run's kept parent facet names."""
    facet = custom.get(property_name("parent"))
    return parent_refs({"parent": facet})[0] if isinstance(facet, dict) else None
