"""The demo project behind `lineage seed --demo`: a churn model, from raw data to production.

One ML project, written through the domain's services (`Services`), so every write is
checked like a GraphQL mutation's:

    raw datasets ─► validation ─► feature engineering ─► training runs ─► evaluation
                                                                            │
                         served model ◄─ deployment ◄─ registered model ◄─ promotion

Two experiments run under the project `churn-prediction`. `gbdt-baseline` trains on
features built from September's events. `gbdt-features-v2` adds October's events — the
dataset `events-2026-10`, later found CORRUPTED (custom property `quality`): a retried
export duplicated three days of sessions. Its runs score best, so its best model was
evaluated, promoted and deployed; the corrupted dataset therefore reaches three runs,
their models, the evaluation, the promoted model, the deployment and the served model.

The ingredients of the two best runs are versioned in the repository `churn`, and their
models are versions of the registered model `churn-classifier`, `champion` on `prod`
(`graph_api.demo_ingredients`).

Every node carries an external id under `PREFIX`: seeding again writes nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_api.demo_ingredients import IngredientsReport, seed_ingredients
from graph_api.model.enums import ArtifactState, EventType, ExecutionState, NodeKind
from graph_api.model.enums import PropertyType as P
from graph_api.model.filters import Filter, ListOptions
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import ParentContext, PathStep
from graph_api.model.types import TypeInput
from graph_api.services.container import Services

PREFIX = "churn-demo/"
EventPath = Sequence[PathStep]

DEPLOYED_MODEL = f"{PREFIX}served/churn-classifier-v3"
"""External id of the served (deployed) model."""
CORRUPTED_DATASET = f"{PREFIX}raw/events-2026-10"
"""External id of the raw dataset later found corrupted."""
EXPERIMENT = f"{PREFIX}experiment/gbdt-features-v2"
"""External id of the experiment whose runs used the corrupted dataset."""
PROJECT = f"{PREFIX}project/churn-prediction"


# -- the types ------------------------------------------------------------------------

TYPES: list[tuple[NodeKind, TypeInput]] = [
    (NodeKind.ARTIFACT, TypeInput(
        name="RawDataset", base_type="DATASET", description="A snapshot landed in the lake.",
        properties={"source": P.STRING, "snapshot": P.STRING, "row_count": P.INT,
                    "format": P.STRING})),
    (NodeKind.ARTIFACT, TypeInput(
        name="Dataset", base_type="DATASET", description="A derived dataset.",
        properties={"stage": P.STRING, "split": P.STRING, "row_count": P.INT})),
    (NodeKind.ARTIFACT, TypeInput(
        name="ValidationReport", base_type="STATISTICS",
        description="Statistics and anomalies found by data validation.",
        properties={"anomalies": P.INT, "checks_run": P.INT})),
    (NodeKind.ARTIFACT, TypeInput(
        name="Model", base_type="MODEL", description="A trained model.",
        properties={"framework": P.STRING, "algorithm": P.STRING})),
    (NodeKind.ARTIFACT, TypeInput(
        name="Metrics", base_type="METRICS", description="Evaluation metrics of a model.",
        properties={"auc": P.DOUBLE, "logloss": P.DOUBLE, "baseline_auc": P.DOUBLE,
                    "blessed": P.BOOLEAN})),
    (NodeKind.ARTIFACT, TypeInput(
        name="RegisteredModel", base_type="MODEL", description="A model in the registry.",
        properties={"registry": P.STRING, "version": P.INT, "stage": P.STRING})),
    (NodeKind.ARTIFACT, TypeInput(
        name="ServedModel", base_type="MODEL", description="A model behind an endpoint.",
        properties={"endpoint": P.STRING, "replicas": P.INT})),
    (NodeKind.EXECUTION, TypeInput(
        name="DataValidation", base_type="PROCESS", description="Checks raw data.",
        properties={"validator": P.STRING, "code_version": P.STRING})),
    (NodeKind.EXECUTION, TypeInput(
        name="FeatureEngineering", base_type="TRANSFORM",
        description="Builds train and test features.",
        properties={"code_version": P.STRING, "features": P.LIST, "params": P.STRUCT})),
    (NodeKind.EXECUTION, TypeInput(
        name="Trainer", base_type="TRAIN", description="A training run with its metrics.",
        properties={"algorithm": P.STRING, "learning_rate": P.DOUBLE, "max_depth": P.INT,
                    "n_estimators": P.INT, "auc": P.DOUBLE, "logloss": P.DOUBLE,
                    "code_version": P.STRING})),
    (NodeKind.EXECUTION, TypeInput(
        name="Evaluator", base_type="EVALUATE",
        description="Compares a candidate with the baseline on held-out data.",
        properties={"metric": P.STRING, "threshold": P.DOUBLE})),
    (NodeKind.EXECUTION, TypeInput(
        name="ModelPromotion", base_type="PROCESS",
        description="Registers a blessed model for production.",
        properties={"registry": P.STRING, "approved_by": P.STRING})),
    (NodeKind.EXECUTION, TypeInput(
        name="Deployment", base_type="DEPLOY", description="Rolls a model out to serving.",
        properties={"environment": P.STRING, "strategy": P.STRING})),
    (NodeKind.CONTEXT, TypeInput(
        name="Project", description="An ML product and everything made for it.",
        properties={"team": P.STRING, "goal": P.STRING})),
    (NodeKind.CONTEXT, TypeInput(
        name="Experiment", description="Runs that test one idea.",
        properties={"hypothesis": P.STRING, "owner": P.STRING})),
    (NodeKind.CONTEXT, TypeInput(
        name="PipelineRun", description="One run of a pipeline.",
        properties={"pipeline": P.STRING, "trigger": P.STRING, "started": P.STRING})),
]


# -- the contexts ---------------------------------------------------------------------

def _context(key: str, type_: str, name: str, **properties: str) -> ContextInput:
    return ContextInput(external_id=f"{PREFIX}{key}", type=type_, name=name,
                        properties=properties)


CONTEXTS: dict[str, ContextInput] = {c.external_id or "": c for c in [
    _context("project/churn-prediction", "Project", "churn-prediction", team="growth-ml",
             goal="predict subscriber churn 60 days ahead"),
    _context("experiment/gbdt-baseline", "Experiment", "gbdt-baseline", owner="maria",
             hypothesis="gradient-boosted trees on September's activity"),
    _context("experiment/gbdt-features-v2", "Experiment", "gbdt-features-v2", owner="li",
             hypothesis="two more months of sessions and session-depth features help"),
    _context("pipeline-run/baseline-2026-11-01", "PipelineRun", "baseline-2026-11-01",
             pipeline="churn-training", trigger="manual", started="2026-11-01"),
    _context("pipeline-run/features-v2-2026-11-04", "PipelineRun", "features-v2-2026-11-04",
             pipeline="churn-training", trigger="manual", started="2026-11-04"),
    _context("pipeline-run/release-2026-11-10", "PipelineRun", "release-2026-11-10",
             pipeline="churn-release", trigger="schedule", started="2026-11-10"),
]}

PARENTS: list[tuple[str, str]] = [  # (child, parent), by external id
    (f"{PREFIX}experiment/gbdt-baseline", PROJECT),
    (EXPERIMENT, PROJECT),
    (f"{PREFIX}pipeline-run/baseline-2026-11-01", f"{PREFIX}experiment/gbdt-baseline"),
    (f"{PREFIX}pipeline-run/features-v2-2026-11-04", EXPERIMENT),
    (f"{PREFIX}pipeline-run/release-2026-11-10", PROJECT),
]

IN_BASELINE = (f"{PREFIX}experiment/gbdt-baseline", f"{PREFIX}pipeline-run/baseline-2026-11-01")
IN_FEATURES_V2 = (EXPERIMENT, f"{PREFIX}pipeline-run/features-v2-2026-11-04")
IN_RELEASE = (f"{PREFIX}pipeline-run/release-2026-11-10",)


# -- the raw datasets -----------------------------------------------------------------

def _raw(name: str, source: str, snapshot: str, rows: int, fmt: str,
         **custom: str) -> ArtifactInput:
    return ArtifactInput(
        external_id=f"{PREFIX}raw/{name}", type="RawDataset", name=name,
        uri=f"s3://acme-ml/churn/raw/{name}/", state=ArtifactState.LIVE,
        properties={"source": source, "snapshot": snapshot, "row_count": rows, "format": fmt},
        custom_properties={"quality": "OK", **custom})


RAW: list[ArtifactInput] = [
    _raw("events-2026-09", "clickstream", "2026-09-30", 48_210_113, "parquet"),
    _raw("events-2026-10", "clickstream", "2026-10-31", 61_874_402, "parquet",
         quality="CORRUPTED", incident="INC-4127",
         issue="sessions of 2026-10-14..16 exported twice by a retried job; the duplicates "
               "carry churn labels into the features"),
    _raw("customers-2026-10", "crm", "2026-10-31", 1_250_331, "parquet"),
    _raw("churn-labels-2026-10", "billing", "2026-10-31", 1_250_331, "csv"),
]


# -- the steps ------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One execution: its inputs (by external id, with an event path), its new outputs."""

    execution: ExecutionInput
    inputs: Sequence[tuple[str, EventPath]]
    outputs: Sequence[tuple[ArtifactInput, EventPath]]
    contexts: Sequence[str]


def _execution(key: str, type_: str, state: ExecutionState = ExecutionState.COMPLETE,
               custom: dict[str, object] | None = None, **properties: object) -> ExecutionInput:
    return ExecutionInput(external_id=f"{PREFIX}{key}", type=type_, name=key.split("/")[-1],
                          state=state, properties=properties, custom_properties=custom or {})


def _artifact(key: str, type_: str, uri: str, custom: dict[str, object] | None = None,
              *, name: str | None = None, **properties: object) -> ArtifactInput:
    return ArtifactInput(external_id=f"{PREFIX}{key}", type=type_,
                         name=name or key.split("/")[-1],
                         uri=uri, state=ArtifactState.LIVE, properties=properties,
                         custom_properties=custom or {})


FEATURES_V1 = ["sessions_30d", "days_since_last_login", "support_tickets_90d", "plan",
               "tenure_months"]
FEATURES_V2 = [*FEATURES_V1, "avg_session_minutes_30d", "pages_per_session_30d"]
S3 = "s3://acme-ml/churn"


def _data_steps(tag: str, events: list[str], features: list[str], rows: int, anomalies: int,
                contexts: Sequence[str], report_custom: dict[str, object]) -> list[Step]:
    validated = f"data/validated-{tag}"
    paths: list[EventPath] = [("events", i) for i in range(len(events))]
    inputs = [*zip(events, paths, strict=True),
              (f"{PREFIX}raw/customers-2026-10", ("customers",)),
              (f"{PREFIX}raw/churn-labels-2026-10", ("labels",))]
    version = "v1" if tag == "baseline" else "v2"
    return [
        Step(_execution(f"exec/validate-{tag}", "DataValidation", validator="tfdv-1.16",
                        code_version="a41c9e2"),
             inputs,
             [(_artifact(validated, "Dataset", f"{S3}/validated/{tag}/", stage="validated",
                         split="all", row_count=rows), ["examples"]),
              (_artifact(f"stats/validation-{tag}", "ValidationReport",
                         f"{S3}/stats/validation-{tag}.json", report_custom,
                         anomalies=anomalies, checks_run=42), ["report"])],
             contexts),
        Step(_execution(f"exec/features-{version}", "FeatureEngineering",
                        code_version="a41c9e2" if version == "v1" else "5d07b3f",
                        features=features,
                        params={"window_days": 30, "label_horizon_days": 60,
                                "min_sessions": 1, "test_fraction": 0.2}),
             [(f"{PREFIX}{validated}", ["examples"])],
             [(_artifact(f"data/features-{version}-{split}", "Dataset",
                         f"{S3}/features/{version}/{split}/", stage="features", split=split,
                         row_count=int(rows * share)), [split])
              for split, share in (("train", 0.8), ("test", 0.2))],
             contexts),
    ]


def _training_runs(experiment: str, version: str, code_version: str,
                   runs: list[tuple[float, int, int, float | None, float | None]],
                   contexts: Sequence[str]) -> list[Step]:
    """Trainer runs (learning rate, max depth, trees, auc, logloss); no auc: it failed."""
    steps = []
    for n, (lr, depth, trees, auc, logloss) in enumerate(runs, start=1):
        name = f"{experiment}-run-{n}"
        metrics = {} if auc is None else {"auc": auc, "logloss": logloss}
        failed = auc is None
        outputs = [] if failed else [(_artifact(
            f"model/{name}", "Model", f"{S3}/models/{name}/model.ubj",
            {"size_bytes": 4_096 * trees}, framework="xgboost-2.1", algorithm="gbdt"),
            ["model"])]
        steps.append(Step(
            _execution(f"run/{name}", "Trainer",
                       ExecutionState.FAILED if failed else ExecutionState.COMPLETE,
                       {"subsample": 0.8, "colsample_bytree": 0.8, "gpu": "a10g",
                        **({"error": "OOMKilled: container exceeded 16Gi"} if failed else {})},
                       algorithm="gbdt", learning_rate=lr, max_depth=depth,
                       n_estimators=trees, code_version=code_version, **metrics),
            [(f"{PREFIX}data/features-{version}-train", ["train"])],
            outputs, contexts))
    return steps


CANDIDATE = f"{PREFIX}model/features-v2-run-2"
BASELINE_MODEL = f"{PREFIX}model/baseline-run-2"

STEPS: list[Step] = [
    *_data_steps("baseline", [f"{PREFIX}raw/events-2026-09"], FEATURES_V1, 9_640_220, 0,
                 IN_BASELINE, {}),
    *_training_runs("baseline", "v1", "a41c9e2", [
        (0.1, 4, 200, 0.812, 0.412),
        (0.05, 6, 400, 0.836, 0.389),
        (0.3, 8, 100, 0.798, 0.441),
        (0.01, 10, 2000, None, None),
    ], IN_BASELINE),
    *_data_steps("features-v2", [f"{PREFIX}raw/events-2026-09", CORRUPTED_DATASET],
                 FEATURES_V2, 21_915_870, 1, IN_FEATURES_V2,
                 {"warning": "events row count +28% month over month"}),
    *_training_runs("features-v2", "v2", "5d07b3f", [
        (0.05, 6, 400, 0.871, 0.351),
        (0.03, 8, 800, 0.894, 0.322),
        (0.1, 4, 300, 0.859, 0.366),
    ], IN_FEATURES_V2),
    Step(_execution("exec/evaluate-v3", "Evaluator", metric="auc", threshold=0.01),
         [(CANDIDATE, ["candidate"]), (BASELINE_MODEL, ["baseline"]),
          (f"{PREFIX}data/features-v2-test", ["examples"])],
         [(_artifact("metrics/evaluation-v3", "Metrics", f"{S3}/metrics/evaluation-v3.json",
                     auc=0.889, logloss=0.327, baseline_auc=0.829, blessed=True),
           ["evaluation"])],
         IN_RELEASE),
    Step(_execution("exec/promote-v3", "ModelPromotion", registry="mlflow",
                    approved_by="maria"),
         [(CANDIDATE, ["model"]), (f"{PREFIX}metrics/evaluation-v3", ["blessing"])],
         [(_artifact("registry/churn-classifier-v3", "RegisteredModel",
                     "models:/churn-classifier/3", registry="mlflow", version=3,
                     stage="Production"), ["registered"])],
         IN_RELEASE),
    Step(_execution("exec/deploy-v3", "Deployment", environment="production",
                    strategy="canary 10% then 100%"),
         [(f"{PREFIX}registry/churn-classifier-v3", ["model"])],
         [(_artifact("served/churn-classifier-v3", "ServedModel",
                     "https://ml.acme.internal/churn/v3", name="churn-classifier-v3-prod",
                     replicas=3,
                     endpoint="https://ml.acme.internal/churn/v3:predict"), ["served"])],
         (*IN_RELEASE, PROJECT)),
]


# -- writing it -----------------------------------------------------------------------

@dataclass(frozen=True)
class SeedReport:
    """What `seed` wrote: nodes created (by kind), demo totals, and the ids to start from."""

    created: dict[NodeKind, int]
    totals: dict[NodeKind, int]
    types: dict[NodeKind, int]
    events: int
    attributions: int
    associations: int
    parent_links: int
    ids: dict[str, str] = field(default_factory=dict)
    """Node id by external id, for every node of the demo."""
    ingredients: IngredientsReport = field(default_factory=lambda: IngredientsReport(0, 0, 0))
    """What the versioning part wrote (`graph_api.demo_ingredients`)."""

    @property
    def deployed_model_id(self) -> str:
        return self.ids[DEPLOYED_MODEL]

    @property
    def corrupted_dataset_id(self) -> str:
        return self.ids[CORRUPTED_DATASET]

    @property
    def experiment_id(self) -> str:
        return self.ids[EXPERIMENT]


async def count_demo_nodes(services: Services) -> dict[NodeKind, int]:
    """How many nodes of each kind carry a demo external id."""
    mine = ListOptions(filter=Filter.where("externalId", "STARTS_WITH", PREFIX), limit=1)
    counts = {}
    for kind in NodeKind:
        page = await services.nodes.list(kind, mine, with_total=True)
        counts[kind] = page.total_count or 0
    return counts


async def seed(services: Services) -> SeedReport:
    """Write the demo project; running it again writes nothing new.

    Types are registered with `can_add_fields` and `can_omit_fields`, so the demo shares
    a type such as `Model` with what is already stored as long as no property changes
    type. Nodes upsert by external id, edges merge.

    Returns:
        What was created, the demo's totals, and the ids of its nodes by external id.
    Raises:
        Conflict: a stored type declares one of the demo's properties with another type,
            or a stored context has a demo context's (type, name) with another externalId.
        InvalidInput, NotFound: as the services' writes (a bug in the demo, not user data).
    """
    before = await count_demo_nodes(services)
    for kind, spec in TYPES:
        await services.types.put(kind, spec, can_add_fields=True, can_omit_fields=True)
    contexts = list(CONTEXTS.values())
    context_ids = await services.ingest.put_nodes(NodeKind.CONTEXT, contexts)
    ids = {c.external_id or "": i for c, i in zip(contexts, context_ids, strict=True)}
    await services.ingest.put_parent_contexts(
        [ParentContext(child_id=ids[child], parent_id=ids[parent]) for child, parent in PARENTS])
    raw_ids = await services.ingest.put_nodes(NodeKind.ARTIFACT, RAW)
    ids |= {a.external_id or "": i for a, i in zip(RAW, raw_ids, strict=True)}
    attributions: set[tuple[str, str]] = set()
    associations: set[tuple[str, str]] = set()
    events = 0
    for step in STEPS:
        result = await services.ingest.put_execution(
            step.execution,
            [*(ArtifactAndEvent(artifact_id=ids[key], event_type=EventType.INPUT, path=list(path))
               for key, path in step.inputs),
             *(ArtifactAndEvent(artifact=artifact, event_type=EventType.OUTPUT,
                              path=list(path))
               for artifact, path in step.outputs)],
            [CONTEXTS[key] for key in step.contexts])
        ids[step.execution.external_id or ""] = result.execution_id
        for (artifact, _), new_id in zip(step.outputs, result.artifact_ids[len(step.inputs):],
                                         strict=True):
            ids[artifact.external_id or ""] = new_id
        events += len(step.inputs) + len(step.outputs)
        attributions |= {(a, c) for a in result.artifact_ids for c in result.context_ids}
        associations |= {(result.execution_id, c) for c in result.context_ids}
    ingredients = await seed_ingredients(services, ids)
    after = await count_demo_nodes(services)
    return SeedReport(
        created={k: after[k] - before[k] for k in NodeKind}, totals=after,
        types={k: sum(1 for kind, _ in TYPES if kind is k) for k in NodeKind},
        events=events, attributions=len(attributions), associations=len(associations),
        parent_links=len(PARENTS), ids=ids, ingredients=ingredients)
