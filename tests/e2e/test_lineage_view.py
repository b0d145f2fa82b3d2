"""The lineage view draws the API's lineage answer, grows on demand and keeps its picture."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from playwright.async_api import Page, expect

from graph_api.demo import SeedReport
from tests.e2e.conftest import Gql, Screenshot

LINEAGE = """query ($id: ID!, $direction: Direction!, $hops: Int!) {
  lineage(input: {startArtifactIds: [$id], direction: $direction, maxHops: $hops}) {
    nodes { id kind type } edges { source target } truncated
  }
}"""
NODES = ".react-flow__node"
EDGES = ".react-flow__edge"


def lineage(gql: Gql, node_id: str, direction: str, hops: int) -> dict[str, Any]:
    answer: dict[str, Any] = gql(LINEAGE, {"id": node_id, "direction": direction, "hops": hops})["lineage"]
    return answer


def edge_ids(answer: dict[str, Any]) -> set[str]:
    return {f"{e['source']}->{e['target']}" for e in answer["edges"]}


async def ready(page: Page) -> None:
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")


async def drawn(page: Page) -> tuple[set[str], set[str]]:
    nodes = {await n.get_attribute("data-id") or "" for n in await page.locator(NODES).all()}
    edges = {await e.get_attribute("data-id") or "" for e in await page.locator(EDGES).all()}
    return nodes, edges


async def transforms(page: Page) -> dict[str, str]:
    """Each drawn node's position on the canvas (its CSS transform, independent of the viewport)."""
    found: dict[str, str] = await page.eval_on_selector_all(
        NODES, "els => Object.fromEntries(els.map(e => [e.dataset.id, e.style.transform]))")
    return found


async def test_draws_the_api_answer_for_the_default_hops(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}")
    await ready(page)
    answer = lineage(gql, model, "BOTH", 2)
    nodes, edges = await drawn(page)
    assert nodes == {n["id"] for n in answer["nodes"]}
    assert edges == edge_ids(answer)
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-node-count", str(len(answer["nodes"])))
    await expect(canvas).to_have_attribute("data-edge-count", str(len(answer["edges"])))
    await expect(page.get_by_test_id("hop-help")).to_contain_text("One hop is one edge")
    timings = await page.evaluate("window.__lineageTimings")
    assert set(timings) >= {"fetchMs", "layoutMs", "renderMs", "engine"}
    await screenshot("default")


async def test_draws_the_whole_upstream_answer(page: Page, demo: SeedReport, gql: Gql,
                                               screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}?direction=upstream&hops=20")
    await ready(page)
    answer = lineage(gql, model, "UPSTREAM", 20)
    drawn_nodes, drawn_edges = await drawn(page)
    # before each of the two runs that used a commit, its ingredients
    ingredients = {n for n in drawn_nodes if n.startswith("ing:")}
    runs = {n.removeprefix("ing:") for n in ingredients}
    nodes, edges = drawn_nodes - ingredients, {e for e in drawn_edges if not e.startswith("ing:")}
    assert nodes == {n["id"] for n in answer["nodes"]}
    assert edges == edge_ids(answer)
    assert len(nodes) == 25 and len(edges) == 29  # with the data two runs' commits pin
    assert len(runs) == 2 and runs <= nodes
    assert drawn_edges - edges == {f"ing:{r}->{r}" for r in runs}
    await screenshot("upstream")


async def test_expanding_adds_exactly_the_next_hop_and_keeps_the_picture(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}?up=2&down=0")
    await ready(page)
    before_answer = lineage(gql, model, "UPSTREAM", 2)
    frontier = next(n["id"] for n in before_answer["nodes"] if n["type"] == "RegisteredModel")
    nodes_before, edges_before = await drawn(page)
    assert nodes_before == {n["id"] for n in before_answer["nodes"]}
    positions_before = await transforms(page)
    await screenshot("before")

    await page.locator(f'{NODES}[data-id="{frontier}"] [data-testid="expand-up"]').click()
    await expect(page).to_have_url(re.compile(r"exp=u%3A"))
    hop = lineage(gql, frontier, "UPSTREAM", 1)
    expected_nodes = nodes_before | {n["id"] for n in hop["nodes"]}
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-node-count", str(len(expected_nodes)))
    await ready(page)
    nodes_after, edges_after = await drawn(page)
    assert nodes_after == expected_nodes
    assert len(nodes_after) > len(nodes_before)
    assert edges_after == edges_before | edge_ids(hop)
    positions_after = await transforms(page)
    for node_id, where in positions_before.items():
        assert positions_after[node_id] == where, f"{node_id} moved"
    await screenshot("after")

    # Back undoes the expansion.
    await page.go_back()
    await expect(canvas).to_have_attribute("data-node-count", str(len(nodes_before)))


async def test_side_panel_shows_the_selected_nodes_properties(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}")
    await ready(page)
    await page.locator(f'{NODES}[data-id="{model}"]').click()
    panel = page.locator(f'[data-testid="side-panel"][data-node-id="{model}"]')
    await expect(panel).to_be_visible()
    await expect(page).to_have_url(re.compile(f"sel={model}"))
    artifact = gql("query ($id: ID!) { artifact(id: $id) { typeName uri state properties customProperties "
                   "contexts { name } } }", {"id": model})["artifact"]
    await expect(panel.get_by_test_id("side-type")).to_contain_text(artifact["typeName"])
    await expect(panel).to_contain_text(artifact["uri"])
    await expect(panel).to_contain_text(artifact["state"])
    props = panel.get_by_test_id("side-properties")
    assert artifact["properties"], "the deployed model has declared properties"
    for key, value in artifact["properties"].items():
        await expect(props.locator(f'tr[data-key="{key}"] td')).to_have_text(str(value))
    for context in artifact["contexts"]:
        await expect(panel).to_contain_text(context["name"])
    await screenshot("panel")


async def test_selection_highlights_upstream_and_downstream(page: Page, demo: SeedReport, gql: Gql,
                                                             screenshot: Screenshot) -> None:
    dataset = demo.ids["churn-demo/raw/events-2026-10"]
    await page.goto(f"/lineage/{dataset}?up=0&down=4")
    await ready(page)
    await page.locator(f'{NODES}[data-id="{dataset}"]').click()
    answer = lineage(gql, dataset, "DOWNSTREAM", 4)
    downstream = {n["id"] for n in answer["nodes"]} - {dataset}
    highlighted = {await n.get_attribute("data-id") for n in await page.locator(f"{NODES}.hl-down").all()}
    assert highlighted == downstream
    # keyboard: right goes downstream
    await page.get_by_test_id("lineage-canvas").focus()
    await page.keyboard.press("ArrowRight")
    await expect(page).not_to_have_url(re.compile(f"sel={dataset}"))
    await screenshot("highlight")


async def test_two_picked_nodes_highlight_the_paths_between_them(page: Page, demo: SeedReport, gql: Gql,
                                                                 screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    dataset = demo.ids["churn-demo/raw/events-2026-10"]
    await page.goto(f"/lineage/{model}?direction=upstream&hops=20")
    await ready(page)
    await page.locator(f'{NODES}[data-id="{model}"]').click()
    # (the side panel now narrows the canvas; the dataset may lie outside the viewport)
    await page.locator(f'{NODES}[data-id="{dataset}"]').dispatch_event("click", {"shiftKey": True})
    await expect(page).to_have_url(re.compile(f"sel2={dataset}"))
    path = gql("query ($a: ID!, $b: ID!) { lineagePath(fromId: $a, toId: $b) { nodes { id } } }",
               {"a": dataset, "b": model})["lineagePath"]
    on_path = {await n.get_attribute("data-id") for n in
               await page.locator(f"{NODES}.hl-path, {NODES}.hl-self").all()}
    assert {n["id"] for n in path["nodes"]} <= on_path
    await screenshot("paths")


async def test_folding_executions_draws_only_artifacts_connected(page: Page, demo: SeedReport, gql: Gql,
                                                                 screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}?direction=upstream&hops=20")
    await ready(page)
    await page.get_by_test_id("fold-toggle").check()
    await expect(page).to_have_url(re.compile("fold=1"))
    await ready(page)
    answer = lineage(gql, model, "UPSTREAM", 20)
    artifacts = {n["id"] for n in answer["nodes"] if n["kind"] == "ARTIFACT"}
    nodes, edges = await drawn(page)
    assert nodes == artifacts
    # every artifact an execution produced has a (bridged) producer: connectivity is kept;
    # the sources are the raw datasets and the data two runs' versioned commits pin
    targets = {e.split("->")[1] for e in edges}
    produced = {e["target"] for e in answer["edges"]} & artifacts
    assert targets == produced
    sources = artifacts - produced
    assert sorted(n["type"] for n in answer["nodes"] if n["id"] in sources) == [
        "Dataset", "Dataset", "RawDataset", "RawDataset", "RawDataset", "RawDataset"]
    await screenshot("folded")


async def test_recentre_keeps_browser_history(page: Page, demo: SeedReport) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}")
    await ready(page)
    other = await page.locator(f'{NODES}:not([data-id="{model}"])').first.get_attribute("data-id")
    assert other
    await page.locator(f'{NODES}[data-id="{other}"]').click()
    await page.get_by_role("button", name="Re-centre here").click()
    await expect(page).to_have_url(re.compile(f"/lineage/{other}"))
    await ready(page)
    await page.go_back()
    await expect(page).to_have_url(re.compile(f"/lineage/{model}"))
    await ready(page)


async def test_export_png_downloads_an_image(page: Page, demo: SeedReport) -> None:
    await page.goto(f"/lineage/{demo.deployed_model_id}")
    await ready(page)
    async with page.expect_download() as info:
        await page.get_by_role("button", name="PNG").click()
    download = await info.value
    assert download.suggested_filename.endswith(".png")
    content = await asyncio.to_thread((await download.path()).read_bytes)
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(content) > 1000


async def test_nodes_show_how_many_neighbours_are_not_drawn(page: Page, demo: SeedReport, gql: Gql) -> None:
    model = demo.deployed_model_id
    answer = gql("""query ($id: ID!) {
      lineage(input: {startArtifactIds: [$id], direction: BOTH, maxHops: 2}) {
        nodes { id hiddenUpstream hiddenDownstream }
      }
    }""", {"id": model})["lineage"]
    await page.goto(f"/lineage/{model}")
    await ready(page)
    hidden_somewhere = False
    for node in answer["nodes"]:
        element = page.locator(f'{NODES}[data-id="{node["id"]}"]')
        for side, count in (("up", node["hiddenUpstream"]), ("down", node["hiddenDownstream"])):
            button = element.get_by_test_id(f"expand-{side}")
            if count:
                hidden_somewhere = True
                word = "upstream" if side == "up" else "downstream"
                await expect(button).to_have_text(f"+{count} {word}")
            else:
                await expect(button).to_have_count(0)
    assert hidden_somewhere


async def test_a_graph_over_the_cap_asks_for_fewer_nodes(page: Page, demo: SeedReport,
                                                         screenshot: Screenshot) -> None:
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}?direction=upstream&hops=20&cap=10")
    too_large = page.get_by_test_id("too-large")
    await expect(too_large).to_contain_text("too large")
    await expect(too_large).to_contain_text("25 nodes")
    await screenshot("too-large")
    await page.get_by_role("button", name="Fewer hops (1)").click()
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-node-count", "2")


async def test_expand_all_adds_one_hop_around_every_node_with_hidden_neighbours(
        page: Page, demo: SeedReport, gql: Gql) -> None:
    model = demo.deployed_model_id
    base = gql("""query ($id: ID!) {
      lineage(input: {startArtifactIds: [$id], direction: BOTH, maxHops: 2}) {
        nodes { id kind hiddenUpstream hiddenDownstream }
      }
    }""", {"id": model})["lineage"]
    frontier = [n for n in base["nodes"] if n["hiddenUpstream"] or n["hiddenDownstream"]]
    assert frontier
    hop = gql("""query ($a: [ID!]!, $e: [ID!]!) {
      lineage(input: {startArtifactIds: $a, startExecutionIds: $e, direction: BOTH, maxHops: 1}) {
        nodes { id }
      }
    }""", {"a": [n["id"] for n in frontier if n["kind"] == "ARTIFACT"],
           "e": [n["id"] for n in frontier if n["kind"] == "EXECUTION"]})["lineage"]
    expected = {n["id"] for n in base["nodes"]} | {n["id"] for n in hop["nodes"]}
    await page.goto(f"/lineage/{model}")
    await ready(page)
    await page.get_by_role("button", name="Expand all").click()
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-node-count", str(len(expected)))
    await ready(page)
    nodes, _ = await drawn(page)
    assert nodes == expected


async def test_a_deep_link_asks_for_its_lineage_once(page: Page, demo: SeedReport, gql: Gql) -> None:
    operations: list[str] = []
    documents: dict[str, str] = {}

    def record(request: Any) -> None:
        posted = (request.post_data or "") if request.url.endswith("/graphql") else ""
        if posted:
            found = re.search(r"query (\w+)", posted)
            operations.append(found.group(1) if found else posted)
            documents[operations[-1]] = json.loads(posted)["query"]

    page.on("request", record)
    model = demo.deployed_model_id
    await page.goto(f"/lineage/{model}?direction=upstream&hops=3")
    await ready(page)

    # Sent as the page opens, before the view renders, and used by the view: never twice.
    # Then the ingredients of every run drawn, in one request. Nothing else is asked (no
    # probing of the schema): the server ships this UI.
    assert sorted(operations) == ["Lineage", "NodeRef", "RunIngredients"]
    # The lineage comes as the compact table, not as typed nodes and edges.
    assert re.search(r"table\(columns: \[[^]]*NEIGHBORS", documents["Lineage"])
    assert not re.search(r"\bnodes\s*\{", documents["Lineage"])
    nodes, _ = await drawn(page)
    assert {n for n in nodes if not n.startswith("ing:")} == {
        n["id"] for n in lineage(gql, model, "UPSTREAM", 3)["nodes"]}


async def engine_of_last_layout(page: Page) -> str:
    timings: dict[str, Any] = await page.evaluate("window.__lineageTimings")
    return str(timings["engine"])


async def test_a_small_deep_link_does_not_wait_for_elk_and_later_layouts_use_it(
        page: Page, demo: SeedReport) -> None:
    # Every picture's engine, in order: a later picture (the page may lay the graph out
    # again as more arrives) can come from a warm ELK before the check reads the last.
    await page.add_init_script("""(() => {
      let timings; window.__layoutEngines = [];
      Object.defineProperty(window, "__lineageTimings", {configurable: true,
        get: () => timings,
        set: (t) => { timings = t; window.__layoutEngines.push(t.engine); }});
    })()""")
    await page.goto(f"/lineage/{demo.deployed_model_id}?direction=upstream&hops=20")
    await ready(page)

    # ELK's first layout in a page takes seconds: the first picture is the own layout's.
    pictures: list[str] = await page.evaluate("window.__layoutEngines")
    assert next(e for e in pictures if e != "none") == "layered"  # "none": nothing drawn yet

    # Once the page is idle ELK warms up; a fresh layout (folding executions) then uses it.
    fold = page.get_by_test_id("fold-toggle")
    engines = []
    for _ in range(20):
        await (fold.uncheck() if await fold.is_checked() else fold.check())
        await ready(page)
        engines.append(await engine_of_last_layout(page))
        if engines[-1] == "elk":
            break
        await page.wait_for_timeout(500)
    assert engines[-1] == "elk", engines


async def test_a_run_that_used_a_commit_has_its_ingredients_before_it(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    # the deployed model's run, features-v2-run-2, is 5 hops upstream and used "800 trees"
    runs = gql('query { executions(filter: {field: "name", op: EQ, value: "features-v2-run-2"}) '
               "{ edges { node { id } } } }")["executions"]["edges"]
    run = runs[0]["node"]["id"]
    await page.goto(f"/lineage/{demo.deployed_model_id}?up=6&down=0")
    await ready(page)

    node = page.get_by_test_id("ingredients-node")
    await expect(node).to_have_count(1)
    await expect(node).to_have_attribute("data-run", run)
    await expect(node.get_by_test_id("ingredients-ref")).to_have_text(re.compile(r"^churn@[0-9a-f]{7}$"))
    await expect(node.get_by_test_id("ingredients-kinds")).to_have_text(
        "config · dataset · environment · code")
    await expect(page.locator(f'{EDGES}[data-id="ing:{run}->{run}"]')).to_have_count(1)
    await expect(page.locator(f'{NODES}[data-id="{run}"]')).to_contain_text("features-v2-run-2")

    await node.get_by_test_id("ingredients-expand").click()
    paths = node.get_by_test_id("ingredients-paths").locator("li")
    await expect(paths).to_have_text(["config config/train", "dataset data/train",
                                      "environment env/train", "code code"])
    await screenshot("ingredients")

    # collapsing them all keeps the DAG as the API answered it
    await page.get_by_test_id("ingredients-toggle").uncheck()
    await expect(node).to_have_count(0)
    await page.get_by_test_id("ingredients-toggle").check()
    await expect(node).to_have_count(1)

    sha = await node.get_attribute("data-commit")
    await node.get_by_test_id("ingredients-ref").click()
    await expect(page).to_have_url(re.compile(rf"/repos/churn/commits/{sha}$"))
    await expect(page.get_by_test_id("commit-message")).to_have_text("800 trees")
