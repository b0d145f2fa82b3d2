"""Every statement file passes Neo4j's own linter, as written and as the store fills it."""

from __future__ import annotations

from pathlib import Path

from graph_api.model.filters import Filter, OrderBy
from graph_api.store import catalog
from graph_api.store.filters import compile_filter, ordering
from tests.cypher_lint import lint_statements


def test_every_cypher_file_lints_clean_as_written() -> None:
    statements = catalog.load(catalog.cypher_root())
    diagnostics = lint_statements([(f"cypher/{n}.cypher", s.text) for n, s in statements.items()])
    assert [str(d) for d in diagnostics] == []
    assert len(statements) > 40


def test_the_benchmarks_statements_lint_clean() -> None:
    bench = Path(__file__).resolve().parents[2] / "bench" / "cypher"
    files = sorted(bench.glob("*.cypher"))
    diagnostics = lint_statements([(f"bench/cypher/{f.name}", f.read_text()) for f in files])
    assert [str(d) for d in diagnostics] == []
    assert files


def test_statements_with_filled_slots_lint_clean() -> None:
    f = Filter.all_of(
        Filter.where("uri", "LIKE", "s3://bucket/%"),
        Filter.any_of(Filter.where("properties.accuracy", "GE", 0.9),
                      Filter.negate(Filter.where("customProperties.tag", "IS_NULL"))),
        Filter.where("context", "IN", ["c1", "c2"]),
        Filter.where("kind", "NE", "Execution"),
    )
    compiled = compile_filter(f)
    order = ordering(OrderBy(field="name", descending=True))
    stop = compile_filter(Filter.where("type", "EQ", "Model"), prefix="s")
    rendered = {
        "list_nodes": catalog.get("read/list_nodes").render(
            {"label": "Execution", "where": f"({compiled.expression}) AND {order.after}",
             "order": order.order}),
        "count_nodes_in_context": catalog.get("read/count_nodes_in_context").render(
            {"label": "Context", "where": compiled.expression}),
        "expand_upstream": catalog.get("lineage/expand_upstream").render(
            {"stop": f"CASE WHEN {stop.expression} THEN '1 ' ELSE '0 ' END"}),
        "update_states": catalog.get("write/update_states").render({"label": "Execution"}),
    }
    assert "$f0" in rendered["list_nodes"] and "Execution" in rendered["list_nodes"]
    diagnostics = lint_statements(list(rendered.items()))
    assert [str(d) for d in diagnostics] == []
