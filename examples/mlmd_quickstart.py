"""ML Metadata's quick-start workflow, against lineage-explorer's Python SDK.

The steps of MLMD's "Getting started" guide: register types, record a dataset, a trainer
run that reads it and writes a model, put both in an experiment, then ask what the model
was trained on.

    scripts/run                                   # in another terminal
    .venv/bin/python examples/mlmd_quickstart.py  # LINEAGE_URL picks another server
"""

from __future__ import annotations

from graph_api.client import (
    ArtifactAndEvent,
    ArtifactInput,
    ArtifactState,
    ContextInput,
    Direction,
    EventType,
    ExecutionInput,
    ExecutionState,
    PropertyType,
    TypeInput,
    connect,
)


def main() -> None:
    with connect() as store:
        # 1. Types: a dataset with a day and a split, a model with a version, a trainer step
        #    and an experiment context.
        store.put_artifact_type(TypeInput(name="DataSet", base_type="DATASET", properties={
            "day": PropertyType.INT, "split": PropertyType.STRING}))
        store.put_artifact_type(TypeInput(name="SavedModel", base_type="MODEL", properties={
            "version": PropertyType.INT}))
        store.put_execution_type(TypeInput(name="Trainer", base_type="TRAIN", properties={
            "state": PropertyType.STRING}))
        store.put_context_type(TypeInput(name="Experiment", properties={
            "note": PropertyType.STRING}), can_add_fields=True, can_omit_fields=True)

        # 2. The dataset.
        [data_id] = store.put_artifacts([ArtifactInput(
            type="DataSet", uri="path/to/data", state=ArtifactState.LIVE,
            properties={"day": 1, "split": "train"})])

        # 3-5. The trainer run: it reads the dataset and writes the model; both go into
        #      the experiment, in one call (MLMD's put_execution).
        step = store.put_execution(
            ExecutionInput(type="Trainer", name="trainer-1", state=ExecutionState.COMPLETE,
                           properties={"state": "COMPLETED"}),
            [ArtifactAndEvent(artifact_id=data_id, event_type=EventType.DECLARED_INPUT,
                              path=["examples"]),
             ArtifactAndEvent(artifact=ArtifactInput(
                 type="SavedModel", uri="path/to/model/file", state=ArtifactState.LIVE,
                 properties={"version": 1}), event_type=EventType.DECLARED_OUTPUT,
                 path=["model"])],
            [ContextInput(type="Experiment", name="exp.27", properties={
                "note": "My first experiment."})])
        model_id = step.artifact_ids[1]
        experiment_id = step.context_ids[0]

        # 6. Query: the trainer's events, what the model was trained on, the experiment.
        events = store.get_events_by_execution_ids([step.execution_id])
        print("trainer events:", [(e.type.value, e.path) for e in events])
        inputs = [e.artifact_id for e in events if e.type is EventType.DECLARED_INPUT]
        [trained_on] = store.get_artifacts_by_id(inputs)
        print("the model was trained on:", trained_on.uri, trained_on.properties)
        lineage = store.get_lineage_subgraph(artifact_ids=[model_id],
                                             direction=Direction.UPSTREAM, max_hops=2)
        print("upstream of the model:", [(n.degree, n.type) for n in lineage.nodes])
        print("artifacts of the experiment:",
              [a.uri for a in store.get_artifacts_by_context(experiment_id)])

        url = store.url
        print(f"dataset   {data_id}")
        print(f"model     {model_id}   see {url}/lineage/{model_id}")
        print(f"trainer   {step.execution_id}")
        print(f"experiment {experiment_id}  see {url}/contexts/{experiment_id}")


if __name__ == "__main__":
    main()
