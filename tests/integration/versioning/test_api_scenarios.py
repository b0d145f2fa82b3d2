"""The acceptance scenarios of ingredient versioning, through HTTP against the real engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.versioning.helpers import (
    REVERT,
    blob,
    commit,
    committed,
    config,
    content,
    create_branch,
    create_repository,
    head,
    history,
    merge,
    node_count,
    nodes,
    register,
    run_with_model,
    set_alias,
    use_ingredients,
)

TRAIN = "config/train"


def _diff(api: Api, repo: str, from_: str, to: str, mode: str = "THREE_DOT") -> list[Any]:
    data = api.data("""query($r: String!, $f: String!, $t: String!, $m: DiffMode!) {
      repository(name: $r) { diff(from: $f, to: $t, mode: $m) { base paths { edges { node {
        path status counts bytesDelta
        changes(first: 100) { edges { node { key status before after delta renamedFrom } } }
      } } } } } }""", {"r": repo, "f": from_, "t": to, "m": mode})
    paths = nodes(data["repository"]["diff"], "paths")
    for p in paths:
        p["changes"] = nodes(p, "changes")
    return paths


def _setup_lr_conflict(api: Api, repo: str) -> None:
    """prod holds lr 0.05 (from dev); hotfix changed lr 0.1 -> 0.2."""
    create_repository(api, repo)
    committed(api, repo, "main", [config(TRAIN, {"lr": 0.1, "epochs": 10})])
    create_branch(api, repo, "prod", "main")
    create_branch(api, repo, "dev", "main")
    create_branch(api, repo, "hotfix", "main")
    committed(api, repo, "dev", [config(TRAIN, {"lr": 0.05, "epochs": 10})])
    committed(api, repo, "hotfix", [config(TRAIN, {"lr": 0.2, "epochs": 10})])
    assert merge(api, repo, "dev", "prod")["__typename"] == "FastForwarded"


# 1 ---------------------------------------------------------------------------------------------

def test_same_content_in_any_key_order_is_one_blob_and_no_change(api: Api) -> None:
    create_repository(api, "hashing")
    first = commit(api, "hashing", "main", [config(TRAIN, {"lr": 0.1, "opt": {"b": 1, "a": 2}})])
    assert first["__typename"] == "Committed"
    sha = content(api, "hashing", "main", TRAIN)["sha"]

    again = commit(api, "hashing", "main", [config(TRAIN, {"opt": {"a": 2, "b": 1}, "lr": 0.1})])

    assert again == {"__typename": "NoChanges", "head": first["commit"]["sha"]}
    committed(api, "hashing", "main", [config("config/int", {"x": 1})])
    committed(api, "hashing", "main", [config("config/float", {"x": 1.0})])
    as_int = content(api, "hashing", "main", "config/int")["sha"]
    as_float = content(api, "hashing", "main", "config/float")["sha"]
    assert len({sha, as_int, as_float}) == 3


# 2 ---------------------------------------------------------------------------------------------

def test_changes_to_different_keys_merge_cleanly_with_parents_into_then_source(api: Api) -> None:
    create_repository(api, "clean")
    committed(api, "clean", "main", [config(TRAIN, {"lr": 0.1, "epochs": 10})])
    create_branch(api, "clean", "prod", "main")
    create_branch(api, "clean", "dev", "main")
    create_branch(api, "clean", "hotfix", "main")
    committed(api, "clean", "dev", [config(TRAIN, {"lr": 0.05, "epochs": 10})])
    hotfix = committed(api, "clean", "hotfix", [config(TRAIN, {"lr": 0.1, "epochs": 20})])

    first = merge(api, "clean", "dev", "prod")
    prod_before = head(api, "clean", "prod")
    second = merge(api, "clean", "hotfix", "prod")

    assert first["__typename"] == "FastForwarded"
    assert second["__typename"] == "Merged"
    assert second["commit"]["parents"] == [prod_before, hotfix]
    assert content(api, "clean", "prod", TRAIN)["content"] == {"lr": 0.05, "epochs": 20}
    assert [e["op"] for e in history(api, "clean", "prod")] == [
        "merge", "fast-forward", "create"]


# 3 ---------------------------------------------------------------------------------------------

async def test_both_changing_one_key_is_exactly_one_conflict_and_writes_nothing(
        api: Api, clean_db: Database) -> None:
    _setup_lr_conflict(api, "conflict")
    before = (head(api, "conflict", "prod"), await node_count(clean_db))

    result = merge(api, "conflict", "hotfix", "prod")

    assert result["__typename"] == "Conflicted"
    assert result["conflictCount"] == 1
    assert nodes(result, "conflicts") == [{
        "path": TRAIN, "kind": "CONFIG", "elementKey": "lr", "type": "BOTH_MODIFIED",
        "base": 0.1, "ours": 0.05, "theirs": 0.2}]
    assert (head(api, "conflict", "prod"), await node_count(clean_db)) == before


# 4 ---------------------------------------------------------------------------------------------

def test_a_resolution_takes_theirs_and_is_recorded_and_ours_strategy_keeps_ours(api: Api) -> None:
    _setup_lr_conflict(api, "resolve")
    _setup_lr_conflict(api, "strategy")

    theirs = merge(api, "resolve", "hotfix", "prod", resolutions=[
        {"path": TRAIN, "elementKey": "lr", "take": "THEIRS"}])
    ours = merge(api, "strategy", "hotfix", "prod", strategy="OURS")

    assert theirs["__typename"] == "Merged"
    assert content(api, "resolve", "prod", TRAIN)["content"]["lr"] == 0.2
    assert theirs["commit"]["metadata"]["resolutions"] == [
        {"path": TRAIN, "elementKey": "lr", "take": "THEIRS"}]
    assert theirs["commit"]["metadata"]["strategy"] == "FAIL"
    assert ours["__typename"] == "Merged"
    assert content(api, "strategy", "prod", TRAIN)["content"]["lr"] == 0.05


# 5 ---------------------------------------------------------------------------------------------

def _dataset(**components: tuple[str, int]) -> dict[str, Any]:
    return {"source": "s3", "uri": "s3://bucket/train/", "components": [
        {"path": p, "sha256": h, "size": s} for p, (h, s) in components.items()]}


def test_dataset_diff_counts_add_modify_rename_and_delete_modify_conflicts(api: Api) -> None:
    create_repository(api, "data")
    committed(api, "data", "main", [blob("DATASET", "data/train",
                                         _dataset(b=("h-b", 100), c=("h-c", 50)))])
    create_branch(api, "data", "dev", "main")
    create_branch(api, "data", "other", "main")
    committed(api, "data", "dev", [blob("DATASET", "data/train", _dataset(
        a=("h-a", 10), b=("h-b2", 120), c2=("h-c", 50)))])

    [train] = _diff(api, "data", "main", "dev")

    assert train["counts"] == {"ADDED": 1, "DELETED": 0, "MODIFIED": 1, "RENAMED": 1}
    assert train["bytesDelta"] == 30
    by_key = {c["key"]: c for c in train["changes"]}
    assert by_key["a"]["status"] == "ADDED"
    assert by_key["b"]["status"] == "MODIFIED"
    assert by_key["b"]["before"]["sha256"] == "h-b" and by_key["b"]["after"]["sha256"] == "h-b2"
    assert by_key["c2"]["status"] == "RENAMED" and by_key["c2"]["renamedFrom"] == "c"

    committed(api, "data", "other", [blob("DATASET", "data/train", _dataset(c=("h-c", 50)))])
    result = merge(api, "data", "dev", "other")
    conflicts = {(c["elementKey"], c["type"]) for c in nodes(result, "conflicts")}
    assert ("b", "DELETE_MODIFY") in conflicts


# 6 ---------------------------------------------------------------------------------------------

def test_environment_diff_says_one_thing_per_package(api: Api) -> None:
    create_repository(api, "env")
    committed(api, "env", "main", [blob("ENVIRONMENT", "env/python", {
        "python": "3.11", "requirements": ["numpy==1.26.4", "scipy==1.13"]})])
    create_branch(api, "env", "dev", "main")
    committed(api, "env", "dev", [blob("ENVIRONMENT", "env/python", {
        "python": "3.12", "requirements": ["polars==1.0", "scipy>=1.13", "numpy==2.0.1"]})])

    [env] = _diff(api, "env", "main", "dev")

    assert {c["key"]: c["status"] for c in env["changes"]} == {
        "python": "MODIFIED", "requirements.numpy": "UPGRADED",
        "requirements.polars": "ADDED", "requirements.scipy": "CHANGED"}


# 7 ---------------------------------------------------------------------------------------------

def test_a_second_commit_on_the_same_expected_head_is_stale(api: Api) -> None:
    root = create_repository(api, "stale")

    first = commit(api, "stale", "main", [config(TRAIN, {"lr": 1})], expected=root)
    second = commit(api, "stale", "main", [config(TRAIN, {"lr": 2})], expected=root)

    assert first["__typename"] == "Committed"
    assert second == {"__typename": "StaleHead", "branch": "main", "expected": root,
                      "current": first["commit"]["sha"]}


async def test_ten_clients_on_one_expected_head_land_exactly_one_commit(
        api: Api, clean_db: Database) -> None:
    root = create_repository(api, "race")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(
            lambda i: commit(api, "race", "main", [config(TRAIN, {"i": i})], expected=root),
            range(10)))

    landed = [r for r in results if r["__typename"] == "Committed"]
    stale = [r for r in results if r["__typename"] == "StaleHead"]
    assert len(landed) == 1 and len(stale) == 9
    assert {s["current"] for s in stale} == {landed[0]["commit"]["sha"]}
    records, _, _ = await clean_db.driver.execute_query(
        "MATCH (c:Commit {repo: 'race'}) RETURN count(c) AS n", database_=clean_db.database)
    assert records[0]["n"] == 2  # the root and the one that landed: no fork


# 8, 9, 10 --------------------------------------------------------------------------------------

def _ingredients(dirty: bool = False, docker_digest: str | None = "sha256:abc") -> list[Any]:
    docker = {"repository": "train", "tag": "1"} | (
        {"digest": docker_digest} if docker_digest else {})
    return [
        config(TRAIN, {"lr": 0.05}),
        blob("DATASET", "data/train", _dataset(part0=("h0", 10), part1=("h1", 20))),
        blob("ENVIRONMENT", "env/python", {"python": "3.12", "requirements": ["numpy==2.0.1"],
                                           "docker": docker}),
        blob("CODE", "code", {"git": {"repo": "git@x:churn.git", "commit": "a" * 40,
                                      "dirty": dirty}}),
    ]


def _trained(api: Api, repo: str, branch: str, model: str, name: str) -> int:
    run, artifact = run_with_model(api, name, f"s3://models/{name}.pkl")
    assert not use_ingredients(api, run, repo, branch, {"train_data": "data/train"}).get("errors")
    return register(api, model, artifact)


RECIPE = """query($t: ReproduceTarget!) { reproduce(target: $t) {
  commit reproducible warnings config code { path repo commit dirty }
  data { path components } environment { python requirements dockerDigest } } }"""


def test_reproduce_an_alias_gives_pinned_ingredients_and_dirty_code_is_not_reproducible(
        api: Api) -> None:
    create_repository(api, "repro")
    sha = committed(api, "repro", "main", _ingredients())
    version = _trained(api, "repro", "main", "churn", "run-1")
    set_alias(api, "churn", "champion", version)

    recipe = api.data(RECIPE, {"t": {"model": "churn", "alias": "champion"}})["reproduce"]

    assert recipe["commit"] == sha and recipe["reproducible"] is True
    assert recipe["warnings"] == []
    assert recipe["code"] == [{"path": "code", "repo": "git@x:churn.git", "commit": "a" * 40,
                               "dirty": False}]
    assert recipe["config"] == {TRAIN: {"lr": 0.05}}
    assert [c["sha256"] for c in recipe["data"][0]["components"]] == ["h0", "h1"]
    assert recipe["environment"] == [{"python": "3.12", "requirements": ["numpy==2.0.1"],
                                      "dockerDigest": "sha256:abc"}]

    committed(api, "repro", "main", _ingredients(dirty=True))
    dirty = api.data(RECIPE, {"t": {"repo": "repro", "ref": "main"}})["reproduce"]
    assert dirty["reproducible"] is False
    assert dirty["warnings"] == ["code: the code is dirty and has no patch"]


PROMOTE = """mutation($i: PromoteInput!) { promote(input: $i) { __typename
  ... on Promoted { promotionId alias { version } updates { refType op promotionId }
                    merge { __typename } }
  ... on RetrainRequired { trainedOn diff { paths { edges { node { path status } } } } } } }"""

IN_PROD = """query($m: String) { inProduction(model: $m) { alias version commit branchHead
  consistent } }"""


def test_promote_fast_forwards_prod_and_moves_the_alias_in_one_promotion(api: Api) -> None:
    create_repository(api, "promo")
    create_branch(api, "promo", "prod", "main")
    trained_on = committed(api, "promo", "main", _ingredients())
    version = _trained(api, "promo", "main", "churn", "run-7")

    result = api.data(PROMOTE, {"i": {"model": "churn", "version": version,
                                      "reason": "better AUC"}})["promote"]

    assert result["__typename"] == "Promoted"
    assert result["merge"]["__typename"] == "FastForwarded"
    assert result["alias"]["version"] == version
    assert {u["refType"] for u in result["updates"]} == {"branch", "alias"}
    assert {u["promotionId"] for u in result["updates"]} == {result["promotionId"]}
    assert head(api, "promo", "prod") == trained_on
    assert api.data(IN_PROD, {"m": "churn"})["inProduction"] == [{
        "alias": "champion", "version": version, "commit": trained_on,
        "branchHead": trained_on, "consistent": True}]


async def test_promote_refuses_when_prod_holds_ingredients_the_model_lacks(
        api: Api, clean_db: Database) -> None:
    create_repository(api, "retrain")
    committed(api, "retrain", "main", _ingredients())
    create_branch(api, "retrain", "prod", "main")
    create_branch(api, "retrain", "envfix", "main")
    committed(api, "retrain", "envfix", [blob("ENVIRONMENT", "env/python", {
        "python": "3.12", "requirements": ["numpy==2.0.2"]})])
    assert merge(api, "retrain", "envfix", "prod")["__typename"] == "FastForwarded"
    committed(api, "retrain", "main", [config(TRAIN, {"lr": 0.01})])
    version = _trained(api, "retrain", "main", "churn", "run-x")
    before = (head(api, "retrain", "prod"), await node_count(clean_db))

    result = api.data(PROMOTE, {"i": {"model": "churn", "version": version}})["promote"]

    assert result["__typename"] == "RetrainRequired"
    assert [p["node"]["path"] for p in result["diff"]["paths"]["edges"]] == ["env/python"]
    assert (head(api, "retrain", "prod"), await node_count(clean_db)) == before


ALIAS_HISTORY = """query($m: String!, $a: String!, $t: DateTime) { registeredModel(name: $m) {
  aliasHistory(alias: $a, asOf: $t) { edges { node { to actor at reason } } } } }"""


def test_alias_moves_are_audited_and_as_of_answers_what_was_champion(api: Api) -> None:
    create_repository(api, "audit")
    committed(api, "audit", "main", _ingredients())
    for i in range(7):
        _trained(api, "audit", "main", "churn", f"run-{i}")

    for version in (5, 6, 7, 6):
        assert set_alias(api, "churn", "champion", version, f"to v{version}")["__typename"] \
            == "AliasSet"

    entries = [e["node"] for e in api.data(ALIAS_HISTORY, {"m": "churn", "a": "champion"})[
        "registeredModel"]["aliasHistory"]["edges"]]
    assert [e["to"] for e in entries] == ["6", "7", "6", "5"]
    assert all(e["actor"] == "anonymous" and e["at"] for e in entries)
    assert [e["reason"] for e in entries] == ["to v6", "to v7", "to v6", "to v5"]
    between = entries[1]["at"]  # the move to v7; the move back to v6 is strictly later
    as_of = api.data(ALIAS_HISTORY, {"m": "churn", "a": "champion", "t": between})
    assert as_of["registeredModel"]["aliasHistory"]["edges"][0]["node"]["to"] == "7"


# 11 --------------------------------------------------------------------------------------------

def test_a_bad_dataset_reaches_commits_runs_versions_champion_and_prod(api: Api) -> None:
    create_repository(api, "impact")
    create_branch(api, "impact", "prod", "main")
    trained_on = committed(api, "impact", "main", _ingredients())
    version = _trained(api, "impact", "main", "churn", "run-i")
    assert api.data(PROMOTE, {"i": {"model": "churn", "version": version}})[
        "promote"]["__typename"] == "Promoted"
    api.data('mutation { deploy(name: "churn-api", model: "churn", alias: "champion", '
             'environment: "production") { name } }')
    dataset = api.data("""query { nodes: artifacts(filter: {field: "type", op: EQ,
        value: "Dataset"}) { edges { node { id uri } } } }""")["nodes"]["edges"][0]["node"]

    impact = api.data("""query($a: ID!) { ingredientImpact(artifactId: $a) { commits branches
        runs versions aliases deployments inProduction } }""", {"a": dataset["id"]})["ingredientImpact"]

    assert impact["commits"] == [trained_on]
    assert sorted(impact["branches"]) == ["impact/main", "impact/prod"]
    assert len(impact["runs"]) == 1
    assert impact["versions"] == [f"churn/{version}"]
    assert impact["aliases"] == ["churn@champion"]
    assert impact["deployments"] == ["churn-api"]
    assert impact["inProduction"] is True


# 12 --------------------------------------------------------------------------------------------

def test_guards_refuse_with_the_documented_answers(api: Api) -> None:
    create_repository(api, "guards")
    first = committed(api, "guards", "main", _ingredients())
    create_branch(api, "guards", "prod", "main")
    tag = "mutation($f: String!) { createTag(repo: \"guards\", name: \"v1\", ref: $f) { " \
          "__typename ... on TagExists { target } } }"
    assert api.data(tag, {"f": "main"})["createTag"]["__typename"] == "TagCreated"
    assert api.data(tag, {"f": "main"})["createTag"] == {"__typename": "TagExists",
                                                          "target": first}

    run, _ = run_with_model(api, "guard-run", "s3://m/g.pkl")
    assert not use_ingredients(api, run, "guards", "main").get("errors")
    second = committed(api, "guards", "main", [config(TRAIN, {"lr": 1})])
    relink = use_ingredients(api, run, "guards", second)
    assert relink["errors"][0]["extensions"]["code"] == "CONFLICT"

    create_branch(api, "guards", "tip", "main")
    api.data("mutation { moveBranch(repo: \"guards\", name: \"main\", to: \"main~1\", "
             "force: true) { __typename } }")
    deleted = api.error("mutation($s: String!) { deleteCommit(repo: \"guards\", sha: $s) }",
                        {"s": first})
    assert deleted["extensions"]["code"] == "FAILED_PRECONDITION"
    assert run in deleted["message"]

    direct = commit(api, "guards", "prod", [config(TRAIN, {"lr": 3})])
    assert direct["__typename"] == "ProtectedBranch"


def test_reverting_a_merge_needs_a_parent_and_a_conflicting_revert_lists_conflicts(
        api: Api) -> None:
    _setup_lr_conflict(api, "revert")
    merged = merge(api, "revert", "hotfix", "dev", resolutions=[
        {"path": TRAIN, "elementKey": "lr", "take": "THEIRS"}])
    assert merged["__typename"] == "Merged"

    no_parent = api.error(REVERT, {"input": {"repo": "revert", "commit": "dev", "onto": "dev"}})
    assert no_parent["extensions"]["code"] == "BAD_USER_INPUT"
    assert no_parent["extensions"]["field"] == "parent"

    change = committed(api, "revert", "main", [config(TRAIN, {"lr": 0.3, "epochs": 10})])
    committed(api, "revert", "main", [config(TRAIN, {"lr": 0.4, "epochs": 10})])
    result = api.data(REVERT, {"input": {"repo": "revert", "commit": change, "onto": "main"}})
    assert result["revert"]["__typename"] == "Conflicted"
    assert [(c["elementKey"], c["type"]) for c in nodes(result["revert"], "conflicts")] == [
        ("lr", "BOTH_MODIFIED")]


# blame, log by path, tag deletion -----------------------------------------------------------

def test_log_by_path_and_blame_name_the_commits_that_changed_each_key(api: Api) -> None:
    create_repository(api, "blame")
    first = committed(api, "blame", "main", [config(TRAIN, {"lr": 0.1, "epochs": 10})], "a")
    committed(api, "blame", "main", [config("config/other", {"x": 1})], "b")
    third = committed(api, "blame", "main", [config(TRAIN, {"lr": 0.2, "epochs": 10})], "c")

    log = api.data("""query { repository(name: "blame") { log(ref: "main", path: "config/train",
        first: 1) { edges { node { sha } } pageInfo { hasNextPage endCursor } } } }""")
    page = log["repository"]["log"]
    rest = api.data("""query($a: String) { repository(name: "blame") { log(ref: "main",
        path: "config/train", first: 10, after: $a) { edges { node { sha } }
        pageInfo { hasNextPage } } } }""", {"a": page["pageInfo"]["endCursor"]})
    blame = api.data("""query { repository(name: "blame") { blame(ref: "main",
        path: "config/train") { edges { node { key value commit { sha } } } } } }""")

    assert [e["node"]["sha"] for e in page["edges"]] == [third]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["sha"] for e in rest["repository"]["log"]["edges"]] == [first]
    assert rest["repository"]["log"]["pageInfo"]["hasNextPage"] is False
    assert {e["node"]["key"]: (e["node"]["value"], e["node"]["commit"]["sha"])
            for e in blame["repository"]["blame"]["edges"]} == {
        "epochs": (10, first), "lr": (0.2, third)}


def test_deleting_a_tag_needs_force_and_is_logged(api: Api) -> None:
    create_repository(api, "tags")
    sha = committed(api, "tags", "main", [config(TRAIN, {"lr": 1})])
    api.data('mutation { createTag(repo: "tags", name: "v1", ref: "main") { __typename } }')

    refused = api.error('mutation { deleteTag(repo: "tags", name: "v1") }')
    deleted = api.data('mutation { deleteTag(repo: "tags", name: "v1", force: true, '
                       'reason: "wrong data") }')

    assert refused["extensions"]["code"] == "FAILED_PRECONDITION"
    assert deleted["deleteTag"] == sha
    assert [(e["op"], e["reason"]) for e in history(api, "tags", "v1")] == [
        ("delete", "wrong data"), ("create", None)]


def test_concurrent_links_of_one_run_to_two_commits_land_once(api: Api) -> None:
    create_repository(api, "links")
    first = committed(api, "links", "main", [config(TRAIN, {"lr": 1})])
    second = committed(api, "links", "main", [config(TRAIN, {"lr": 2})])
    run, _ = run_with_model(api, "linked", "s3://m/linked.pkl")

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda sha: use_ingredients(api, run, "links", sha),
                                [first, second]))

    landed = [a for a in answers if not a.get("errors")]
    refused = [a for a in answers if a.get("errors")]
    assert len(landed) == 1 and len(refused) == 1
    assert refused[0]["errors"][0]["extensions"]["code"] == "CONFLICT"
    recipe = api.data("query($r: ID!) { reproduce(target: {runId: $r}) { commit } }", {"r": run})
    assert recipe["reproduce"]["commit"] == landed[0]["data"]["useIngredients"]["commit"]


async def test_a_rerun_of_a_commit_reproduces_the_latest_earlier_run(
        api: Api, clean_db: Database) -> None:
    create_repository(api, "rerun")
    committed(api, "rerun", "main", _ingredients())
    first, _ = run_with_model(api, "first", "s3://m/1.pkl")
    second, _ = run_with_model(api, "second", "s3://m/2.pkl")
    for run in (first, second):
        assert not use_ingredients(api, run, "rerun", "main").get("errors")

    records, _, _ = await clean_db.driver.execute_query(
        "MATCH (a:Execution)-[:REPRODUCES]->(b:Execution) RETURN a.id AS new, b.id AS old",
        database_=clean_db.database)

    assert [(r["new"], r["old"]) for r in records] == [(second, first)]


def test_branches_say_how_far_ahead_of_and_behind_prod_they_are(api: Api) -> None:
    create_repository(api, "ahead")
    committed(api, "ahead", "main", [config(TRAIN, {"lr": 1})])
    create_branch(api, "ahead", "prod", "main")
    create_branch(api, "ahead", "dev", "main")
    committed(api, "ahead", "dev", [config(TRAIN, {"lr": 2})])
    committed(api, "ahead", "dev", [config(TRAIN, {"lr": 3})])
    committed(api, "ahead", "main", [config("config/other", {"x": 1})])

    data = api.data("""query { repository(name: "ahead") { branches { edges { node {
        name aheadBehind { ahead behind } } } } } }""")

    assert {e["node"]["name"]: e["node"]["aheadBehind"]
            for e in data["repository"]["branches"]["edges"]} == {
        "dev": {"ahead": 2, "behind": 0}, "main": {"ahead": 1, "behind": 0},
        "prod": {"ahead": 0, "behind": 0}}
