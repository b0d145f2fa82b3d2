"""The demo's versioned ingredients and model registry, joined to its lineage.

The repository `churn` versions what the demo's training runs were made of:

    main        code ─ env ─ features v1 ─ baseline ─ features v2 ─ merge ─ merge ─ 800 trees
    tune-lr                                   │            ├─ lr 0.03 ─┘       │
    more-depth                                │            └─ max depth 8 ─────┘
    more-trees                                └─ n_estimators 1200
    prod        fast-forwarded by each promotion: to baseline, features v2, then 800 trees

with the tags `baseline` and `release-2026-10` (features v2).

`baseline-run-2` used the baseline commit, `features-v2-run-1` the features-v2 commit (the
baseline's hyperparameters on October's data) and `features-v2-run-2` the 800-trees commit,
after `tune-lr` (learning rate 0.03) and `more-depth` (max depth 8) were merged into `main`
cleanly, each having changed one key of `config/train`. Their models are versions 1, 2
and 3 of the registered model `churn-classifier`, each promoted in turn to `champion` on
the protected branch `prod`: `champion` moved three times and is version 3, the model the
demo's lineage deploys, trained on the October events later found corrupted. The branch
`more-trees` raised `n_estimators` from the baseline's 400 to 1200 while `prod` moved to
800: merging it into `prod` conflicts on that one key, and is left open.

Everything goes through the versioning services, and each step first looks whether it
was done (by commit message, branch, tag, merge, run link, registration, alias history):
seeding again writes nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.model.versioning import (
    BlobInput,
    BlobKind,
    Change,
    Committed,
    FastForwarded,
    Merged,
    NoChanges,
    UpToDate,
)
from graph_api.services.container import Services

REPO = "churn"
MODEL = "churn-classifier"
ALIAS = "champion"
PROD = "prod"
BRANCH = "more-trees"
TAG = "baseline"
RELEASE = "release-2026-10"
ACTOR = "maria"

_S3 = "s3://acme-ml/churn"
_IMAGE = {"repository": "acme/churn-train", "tag": "2026.10",
          "digest": "sha256:5f1c0e9a47d2b8c36e1f04a9d7b25c8e3f6a1d0b9c4e7f2a8d5b3c6e9f0a1b2c"}


def _features(version: str, parts: list[tuple[str, int]]) -> dict[str, Any]:
    return {"source": "s3", "uri": f"{_S3}/features/{version}/train/",
            "components": [{"path": f"part-{i:05d}.parquet", "sha256": digest, "size": size}
                           for i, (digest, size) in enumerate(parts)]}


def _code(commit: str) -> dict[str, Any]:
    return {"git": {"repo": "git@github.com:acme/churn-training.git", "commit": commit,
                    "branch": "main", "dirty": False}}


def _config(lr: float, depth: int, trees: int) -> dict[str, Any]:
    return {"learning_rate": lr, "max_depth": depth, "n_estimators": trees, "subsample": 0.8,
            "colsample_bytree": 0.8}


CODE_V1 = "a41c9e2f0b6d8e1c3a5f7b9d2e4c6a8f0b1d3e5f"
CODE_V2 = "5d07b3f1c9e2a4d6f8b0c2e4a6d8f0b2c4e6a8d0"
BASELINE_MESSAGE = "Baseline hyperparameters (gbdt, 400 trees)"
FEATURES_V2_MESSAGE = "Features v2: October's events and session-depth features"

#: The commits of `main`, oldest first: (message, {path: (kind, content)}).
MAIN: list[tuple[str, dict[str, tuple[BlobKind, Any]]]] = [
    ("Training code of the baseline", {"code": (BlobKind.CODE, _code(CODE_V1))}),
    ("Training image: python 3.11, xgboost 2.1", {"env/train": (BlobKind.ENVIRONMENT, {
        "python": "3.11", "requirements": ["xgboost==2.1.1", "pandas==2.2.3",
                                           "scikit-learn==1.5.2"], "docker": _IMAGE})}),
    ("Features v1: September's events", {"data/train": (BlobKind.DATASET, _features("v1", [
        ("9b1f" + "0" * 60, 402_113_536), ("c47a" + "1" * 60, 398_551_040)]))}),
    (BASELINE_MESSAGE, {"config/train": (BlobKind.CONFIG, _config(0.05, 6, 400))}),
    (FEATURES_V2_MESSAGE, {
        "data/train": (BlobKind.DATASET, _features("v2", [
            ("9b1f" + "0" * 60, 402_113_536), ("e3d8" + "2" * 60, 517_996_544),
            ("0a6c" + "3" * 60, 511_705_088)])),
        "code": (BlobKind.CODE, _code(CODE_V2))}),
]
#: Branches started at features v2 that each changed one hyperparameter, merged into
#: `main` cleanly, in this order: branch -> (message, changes).
TUNING: dict[str, tuple[str, dict[str, tuple[BlobKind, Any]]]] = {
    "tune-lr": ("Learning rate 0.03",
                {"config/train": (BlobKind.CONFIG, _config(0.03, 6, 400))}),
    "more-depth": ("Max depth 8", {"config/train": (BlobKind.CONFIG, _config(0.05, 8, 400))}),
}
TREES_MESSAGE = "800 trees"
#: After the merges, on `main`.
TREES = {"config/train": (BlobKind.CONFIG, _config(0.03, 8, 800))}
MORE_TREES_MESSAGE = "More trees: n_estimators 1200"
MORE_TREES = {"config/train": (BlobKind.CONFIG, _config(0.05, 6, 1200))}

#: (run's external id, model's external id, the commit it used (by message), the reason of
#: its promotion).
TRAINED: list[tuple[str, str, str, str]] = [
    ("churn-demo/run/baseline-run-2", "churn-demo/model/baseline-run-2", BASELINE_MESSAGE,
     "Baseline: AUC 0.836"),
    ("churn-demo/run/features-v2-run-1", "churn-demo/model/features-v2-run-1",
     FEATURES_V2_MESSAGE, "Features v2: AUC 0.871 vs the baseline's 0.836"),
    ("churn-demo/run/features-v2-run-2", "churn-demo/model/features-v2-run-2",
     TREES_MESSAGE, "Tuned on features v2: AUC 0.894 vs 0.871"),
]


@dataclass(frozen=True)
class IngredientsReport:
    """What the versioning part of the seed wrote: commits, versions and alias moves."""

    commits: int
    versions: int
    promotions: int


def _changes(paths: Mapping[str, tuple[BlobKind, Any]]) -> list[Change]:
    return [Change(path, BlobInput(kind, content)) for path, (kind, content) in paths.items()]


async def _messages(services: Services, ref: str) -> dict[str, str]:
    """sha by message of the commits reachable from `ref` (the demo's are few)."""
    page = await services.versioning.log(REPO, ref, first=100)
    return {c.message: c.sha for c in page.items}


async def _commit(services: Services, branch: str, message: str,
                  paths: Mapping[str, tuple[BlobKind, Any]]) -> bool:
    """Commit unless `branch` already holds a commit with this message; whether it did."""
    if message in await _messages(services, branch):
        return False
    outcome = await services.versioning.commit(REPO, branch, message, _changes(paths),
                                               author=ACTOR)
    if not isinstance(outcome, Committed | NoChanges):
        raise RuntimeError(f"demo commit {message!r} on {branch}: {outcome}")
    return isinstance(outcome, Committed)


async def _merge(services: Services, branch: str) -> bool:
    """Merge `branch` into `main` (a merge commit, even when it could fast-forward) unless
    it is in `main` already; whether it wrote."""
    outcome = await services.versioning.merge(REPO, branch, "main", no_fast_forward=True,
                                              message=f"Merge {branch}", author=ACTOR)
    if not isinstance(outcome, Merged | FastForwarded | UpToDate):
        raise RuntimeError(f"demo merge of {branch}: {outcome}")
    return not isinstance(outcome, UpToDate)


async def _tag(services: Services, tag: str, sha: str) -> None:
    if tag not in {t.name for t in (await services.versioning.tags(REPO, 100, None)).items}:
        await services.versioning.create_tag(REPO, tag, sha, actor=ACTOR)


async def seed_ingredients(services: Services, ids: Mapping[str, str]) -> IngredientsReport:
    """Write the demo's repository, runs' ingredients, model versions and promotions.

    Args:
        services: the domain's services.
        ids: node id by external id of the demo's lineage (what `demo.seed` wrote).
    Returns:
        How many commits, versions and promotions this call wrote (all 0 the second time).
    """
    versioning, registry = services.versioning, services.registry
    if await versioning.repository(REPO) is None:
        await versioning.create_repository(REPO, actor=ACTOR)
    branches = {b.name for b in (await versioning.branches(REPO, 100, None)).items}
    if PROD not in branches:
        await versioning.create_branch(REPO, PROD, "main", actor=ACTOR)
    commits = versions = promotions = 0
    for message, paths in MAIN:
        commits += await _commit(services, "main", message, paths)
        if message == BASELINE_MESSAGE:
            # more-trees and the tag start from the baseline, before features v2
            shas = await _messages(services, "main")
            if BRANCH not in branches:
                await versioning.create_branch(REPO, BRANCH, shas[message], actor=ACTOR)
            await _tag(services, TAG, shas[message])
    commits += await _commit(services, BRANCH, MORE_TREES_MESSAGE, MORE_TREES)
    features_v2 = (await _messages(services, "main"))[FEATURES_V2_MESSAGE]
    await _tag(services, RELEASE, features_v2)
    for branch, (message, paths) in TUNING.items():
        if branch not in branches:
            await versioning.create_branch(REPO, branch, features_v2, actor=ACTOR)
        commits += await _commit(services, branch, message, paths)
    for branch in TUNING:
        commits += await _merge(services, branch)
    commits += await _commit(services, "main", TREES_MESSAGE, TREES)
    shas = await _messages(services, "main")
    promoted = {u.to for u in (await registry.alias_history(
        MODEL, ALIAS, as_of=None, first=100, after=None)).items if u.promotion_id}
    known = ({v.artifact_id for v in (await registry.versions(MODEL, 100, None)).items}
             if await registry.registered(MODEL) else set())
    for run, model, message, reason in TRAINED:
        # re-linking a run to the commit it used, and re-registering an artifact, are no-ops
        await registry.use_ingredients(ids[run], REPO, shas[message],
                                       {"train_data": "data/train", "params": "config/train"})
        registered = await registry.register_model_version(MODEL, ids[model])
        versions += ids[model] not in known
        if str(registered.version) not in promoted:
            await registry.promote(MODEL, registered.version, alias=ALIAS, branch=PROD,
                                   reason=reason, actor=ACTOR)
            promotions += 1
    return IngredientsReport(commits=commits, versions=versions, promotions=promotions)
