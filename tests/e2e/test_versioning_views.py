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
