"""Versioning services against the real engine: commit, branch, merge, compare-and-set."""

from __future__ import annotations

import asyncio

from graph_api.model.versioning import (
    BlobInput,
    BlobKind,
    Change,
    Committed,
    Conflicted,
    FastForwarded,
    Merged,
    NoChanges,
    StaleHead,
)
from graph_api.services.container import Services


def config(values: dict[str, object]) -> BlobInput:
    return BlobInput(BlobKind.CONFIG, values)


async def test_commit_branch_merge_round_trip(services: Services) -> None:
    v = services.versioning
    repo = await v.create_repository("churn")
    first = await v.commit("churn", "main", "lr", [Change("config/train", config({"lr": 0.1}))],
                           expected_head=repo.root)
    assert isinstance(first, Committed)
    same = await v.commit("churn", "main", "again", [
        Change("config/train", config({"lr": 0.1}))])
    assert isinstance(same, NoChanges)
    await v.create_branch("churn", "dev", "main")
    await v.create_branch("churn", "hotfix", "main")
    dev = await v.commit("churn", "dev", "lr", [Change("config/train", config({"lr": 0.05}))])
    assert isinstance(dev, Committed)
    ff = await v.merge("churn", "dev", "main")
    assert isinstance(ff, FastForwarded)
    hot = await v.commit("churn", "hotfix", "lr", [Change("config/train", config({"lr": 0.2}))])
    assert isinstance(hot, Committed)
    conflicted = await v.merge("churn", "hotfix", "main")
    assert isinstance(conflicted, Conflicted)
    assert [(c.path, c.element_key, c.type.value, c.base, c.ours, c.theirs)
            for c in conflicted.conflicts] == [
        ("config/train", "lr", "BOTH_MODIFIED", 0.1, 0.05, 0.2)]
    log = await v.log("churn", "main", first=10)
    assert [c.message for c in log.items] == ["lr", "lr", "Initial commit"]


async def test_ten_concurrent_commits_with_one_expected_head_land_once(services: Services
                                                                        ) -> None:
    v = services.versioning
    repo = await v.create_repository("race")
    outcomes = await asyncio.gather(*(
        v.commit("race", "main", f"c{i}", [Change("config/x", config({"i": i}))],
                 expected_head=repo.root) for i in range(10)))
    landed = [o for o in outcomes if isinstance(o, Committed)]
    stale = [o for o in outcomes if isinstance(o, StaleHead)]
    assert len(landed) == 1 and len(stale) == 9
    assert {s.current for s in stale} == {landed[0].commit.sha}
    log = await v.log("race", "main", first=20)
    assert len(log.items) == 2


async def test_a_repo_ref_moved_forward_on_both_sides_takes_the_descendant(
        services: Services) -> None:
    v = services.versioning
    await v.create_repository("datasets")
    shas = []
    for i in range(3):
        out = await v.commit("datasets", "main", f"v{i}", [Change("d", config({"v": i}))])
        assert isinstance(out, Committed)
        shas.append(out.commit.sha)
    await v.create_repository("super")

    def ref(sha: str) -> BlobInput:
        return BlobInput(BlobKind.REPO_REF, {"repository": "datasets", "commit": sha})

    await v.commit("super", "main", "pin", [Change("data", ref(shas[0]))])
    await v.create_branch("super", "dev", "main")
    await v.commit("super", "dev", "newest data", [Change("data", ref(shas[2]))])
    await v.commit("super", "main", "newer data", [Change("data", ref(shas[1]))])

    outcome = await v.merge("super", "dev", "main")

    assert isinstance(outcome, Merged), outcome
    blob = await v.blob("super", "main", "data")
    assert blob is not None and blob.content["commit"] == shas[2]
