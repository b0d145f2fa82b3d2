"""The versioning views: a repository's branches, log and diff; what is in production."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.conftest import Gql, Screenshot

COMMIT = """mutation($i: CommitInput!) { commit(input: $i) { __typename
  ... on Committed { commit { sha } } } }"""


def _commit(gql: Gql, repo: str, branch: str, values: dict[str, Any]) -> str:
    result = gql(COMMIT, {"i": {"repo": repo, "branch": branch, "message": f"lr {values}",
                                "changes": [{"path": "config/train", "kind": "CONFIG",
                                             "content": values}]}})["commit"]
    assert result["__typename"] == "Committed"
    sha: str = result["commit"]["sha"]
    return sha


def _repo(gql: Gql, name: str) -> None:
    gql("mutation($n: String!) { createRepository(name: $n) { root } }", {"n": name})
    _commit(gql, name, "main", {"lr": 0.1, "epochs": 10})
    gql("mutation($n: String!) { createBranch(repo: $n, name: \"prod\", from: \"main\") "
        "{ head } }", {"n": name})
    _commit(gql, name, "main", {"lr": 0.05, "epochs": 10})


async def test_repository_shows_branches_log_and_the_diff_from_prod(
        page: Page, gql: Gql, screenshot: Screenshot) -> None:
    _repo(gql, "ui-churn")

    await page.goto("/repos/ui-churn")

    await expect(page.get_by_test_id("branch-row")).to_have_count(2)
    prod = page.locator('[data-testid="branch-row"][data-name="prod"]')
    await expect(prod.get_by_test_id("protected")).to_be_visible()
    main = page.locator('[data-testid="branch-row"][data-name="main"]')
    await expect(main.get_by_test_id("ahead-behind")).to_have_text("↑1 ↓0")
    await expect(page.get_by_test_id("commit-row")).to_have_count(3)
    change = page.locator('[data-testid="diff-change"][data-key="lr"]')
    await expect(change).to_have_attribute("data-status", "MODIFIED")
    await expect(change).to_contain_text("0.05")
    await page.get_by_test_id("log-path").fill("config/train")
    await expect(page.get_by_test_id("commit-row")).to_have_count(2)
    await screenshot("repository")


async def test_production_lists_the_champion_as_consistent_with_its_timeline(
        page: Page, gql: Gql, screenshot: Screenshot) -> None:
    _repo(gql, "ui-prod")
    for kind, name in (("Artifact", "UiModel"), ("Execution", "UiTrainer")):
        gql(f"mutation($i: TypeDefinitionInput!) {{ put{kind}Type(input: $i) {{ id }} }}",
            {"i": {"name": name}})
    step = gql("""mutation { putExecution(execution: {type: "UiTrainer", name: "ui-run"},
        artifactEvents: [{artifact: {type: "UiModel", uri: "s3://m/ui.pkl"},
                          event: {type: OUTPUT}}]) { executionId artifactIds } }""")
    run, artifact = step["putExecution"]["executionId"], step["putExecution"]["artifactIds"][0]
    gql('mutation($r: ID!) { useIngredients(runId: $r, repo: "ui-prod", ref: "main") '
        "{ commit } }", {"r": run})
    gql('mutation($a: ID!) { registerModelVersion(model: "ui-model", artifactId: $a) '
        "{ version } }", {"a": artifact})
    promoted = gql('mutation { promote(input: {model: "ui-model", version: 1, '
                   'reason: "first"}) { __typename } }')
    assert promoted["promote"]["__typename"] == "Promoted"

    await page.goto("/production")

    row = page.locator('[data-testid="production-row"][data-alias="ui-model@champion"]')
    await expect(row.get_by_test_id("consistency")).to_have_text("consistent")
    await row.get_by_role("button", name="champion").click()
    await expect(page.get_by_test_id("timeline-row")).to_have_count(1)
    await expect(page.get_by_test_id("timeline-row")).to_contain_text("first")
    await screenshot("production")


async def test_a_conflicting_merge_shows_cards_and_merges_with_the_chosen_values(
        page: Page, gql: Gql, screenshot: Screenshot) -> None:
    _repo(gql, "ui-merge")
    gql('mutation { createBranch(repo: "ui-merge", name: "hotfix", from: "prod") { head } }')
    _commit(gql, "ui-merge", "hotfix", {"lr": 0.2, "epochs": 20})
    gql('mutation { merge(input: {repo: "ui-merge", source: "main", into: "prod"}) '
        "{ __typename } }")

    await page.goto("/repos/ui-merge")
    await page.get_by_test_id("merge-source").fill("hotfix")
    await page.get_by_test_id("merge-preview").click()

    await expect(page.get_by_test_id("merge-result")).to_have_attribute("data-result",
                                                                         "Conflicted")
    cards = page.get_by_test_id("conflict-card")
    await expect(cards).to_have_count(1)
    await expect(cards).to_contain_text("lr")
    await cards.get_by_test_id("take-THEIRS").check()
    await screenshot("conflicts")
    await page.get_by_test_id("merge-run").click()

    await expect(page.get_by_test_id("merge-result")).to_have_attribute("data-result", "Merged")
    blob = gql('query { repository(name: "ui-merge") { blob(ref: "prod", path: "config/train") '
               "{ content } } }")["repository"]["blob"]
    assert blob["content"] == {"lr": 0.2, "epochs": 20}


async def test_production_follows_champion_to_its_run_and_commit_and_rolls_it_back(
        page: Page, gql: Gql, screenshot: Screenshot) -> None:
    # the demo: churn-classifier v3 (features-v2-run-2) is champion on prod
    await page.goto("/production")
    row = page.locator('[data-testid="production-row"][data-alias="churn-classifier@champion"]')
    await expect(row.get_by_test_id("consistency")).to_have_text("consistent")
    await row.get_by_role("button", name="champion").click()

    chain = page.get_by_test_id("alias-chain")
    await expect(chain.get_by_test_id("chain-version")).to_have_text("v3")
    await expect(chain).to_contain_text("run features-v2-run-2")
    await expect(chain.get_by_test_id("chain-commit")).to_have_text("800 trees")
    auc = page.locator('[data-testid="metric-row"][data-key="auc"]')
    await expect(auc).to_contain_text("0.894")
    timeline = page.get_by_test_id("timeline-row")
    await expect(timeline.nth(2)).to_be_visible()  # the seed's three moves, once loaded
    moves = await timeline.count()
    await screenshot("champion")

    # roll back to v1: asks first, with a reason, then moves the alias through setAlias
    await page.locator('[data-testid="timeline-row"][data-to="1"]').first.get_by_test_id(
        "rollback").click()
    await expect(page.get_by_test_id("rollback-confirm")).to_contain_text(
        "Move champion from v3 to v1?")
    await expect(page.get_by_test_id("rollback-yes")).to_be_disabled()
    await page.get_by_test_id("rollback-reason").fill("events-2026-10 is corrupted")
    await screenshot("rollback-confirm")
    await page.get_by_test_id("rollback-yes").click()

    await expect(chain.get_by_test_id("chain-version")).to_have_text("v1")
    await expect(chain).to_contain_text("run baseline-run-2")
    await expect(row.get_by_test_id("consistency")).to_have_text("prod differs")
    await expect(timeline).to_have_count(moves + 1)
    await expect(timeline.first).to_contain_text("events-2026-10 is corrupted")
    await screenshot("rolled-back")
    alias = gql('query { registeredModel(name: "churn-classifier") '
                '{ alias(name: "champion") { version } } }')["registeredModel"]["alias"]
    assert alias == {"version": 1}
    # put the demo back as it was for the tests after this one
    gql('mutation { setAlias(model: "churn-classifier", alias: "champion", version: 3, '
        'reason: "restore the demo") { __typename } }')


async def test_commit_graph_draws_a_lane_per_branch_with_badges_and_the_path_filter(
        page: Page, screenshot: Screenshot) -> None:
    # the demo's churn: prod (= main) holds eleven commits, two of them merges of tune-lr
    # and more-depth; more-trees one more off baseline
    await page.goto("/repos/churn")

    rows = page.get_by_test_id("graph-row")
    await expect(rows).to_have_count(12)
    lanes = page.get_by_test_id("graph-lane")
    await expect(lanes).to_have_count(4)
    assert await lanes.evaluate_all("els => els.map(e => e.dataset.branch)") == [
        "prod", "more-depth", "more-trees", "tune-lr"]
    head = page.locator('[data-testid="graph-row"]', has_text="800 trees")
    await expect(head).to_have_attribute("data-lane", "prod")
    await expect(head.get_by_test_id("graph-badge")).to_have_text(
        ["main", "prod", "churn-classifier@champion"], ignore_case=False)
    for branch, message in (("more-trees", "More trees: n_estimators 1200"),
                            ("tune-lr", "Learning rate 0.03"), ("more-depth", "Max depth 8")):
        side = page.locator(f'[data-testid="graph-row"][data-lane="{branch}"]')
        await expect(side).to_contain_text(message)
    await expect(page.locator('[data-testid="graph-row"]', has_text="Merge more-depth")
                 ).to_have_attribute("data-lane", "prod")
    release = page.locator('[data-testid="graph-row"]', has_text="Features v2: October's")
    await expect(release.get_by_test_id("graph-badge")).to_have_text(["release-2026-10"])
    baseline = page.locator('[data-testid="graph-row"]', has_text="Baseline hyperparameters")
    await expect(baseline.get_by_test_id("graph-badge")).to_have_text(["baseline"])
    await expect(baseline).to_have_attribute("data-lane", "prod")

    await page.get_by_test_id("log-path").fill("config/train")
    await expect(page.get_by_test_id("graph-matching")).to_have_text(
        "7 commit(s) changed config/train")  # the baseline, the three branches' commits,
    # both merges (from their first parent) and 800 trees
    await expect(page.locator('[data-testid="graph-row"][data-match="true"]')).to_have_count(7)
    await screenshot("graph")


async def test_a_merge_is_drawn_between_lanes(page: Page, gql: Gql, screenshot: Screenshot
                                             ) -> None:
    _repo(gql, "ui-graph")
    gql('mutation { createBranch(repo: "ui-graph", name: "hotfix", from: "prod") { head } }')
    _commit(gql, "ui-graph", "hotfix", {"lr": 0.1, "epochs": 20})
    merged = gql('mutation { merge(input: {repo: "ui-graph", source: "hotfix", into: "prod", '
                 "noFastForward: true}) { __typename } }")
    assert merged["merge"]["__typename"] == "Merged"

    await page.goto("/repos/ui-graph")

    await expect(page.get_by_test_id("graph-lane")).to_have_count(3)
    await expect(page.locator('[data-testid="graph-edge"][data-merge="true"]')).to_have_count(1)
    merge_row = page.locator('[data-testid="graph-row"][data-lane="prod"]').first
    await expect(merge_row.get_by_test_id("graph-badge")).to_have_text(["prod"])
    await screenshot("merge")


async def test_a_commit_page_lists_its_ingredients_by_kind_and_the_runs_that_used_them(
        page: Page, screenshot: Screenshot) -> None:
    await page.goto("/repos/churn")
    await page.locator('[data-testid="graph-row"]', has_text="Features v2").get_by_role(
        "link").click()

    await expect(page.get_by_test_id("commit-message")).to_have_text(
        "Features v2: October's events and session-depth features")
    kinds = page.get_by_test_id("tree-kind")
    await expect(kinds).to_have_count(4)
    assert await kinds.evaluate_all("els => els.map(e => e.dataset.kind)") == [
        "config", "dataset", "environment", "code"]
    for kind, path in (("config", "config/train"), ("dataset", "data/train"),
                       ("environment", "env/train"), ("code", "code")):
        entry = page.locator(f'[data-testid="tree-kind"][data-kind="{kind}"] '
                             '[data-testid="tree-entry"]')
        await expect(entry).to_have_attribute("data-path", path)
    await expect(page.get_by_test_id("commit-run")).to_have_count(1)
    await expect(page.get_by_test_id("commit-run")).to_contain_text("features-v2-run-1")
    await screenshot("commit")
    await page.get_by_role("link", name="features-v2-run-1").click()
    await expect(page.get_by_test_id("lineage-canvas")).to_be_visible()
