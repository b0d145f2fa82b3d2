"""What the listing tests share: the world they list, a reference walk, a LIKE matcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from graph_api.model.enums import ArtifactState, NodeKind
from graph_api.model.filters import Filter, ListOptions, Op, OrderBy
from graph_api.model.nodes import Artifact, Node
from graph_api.services.container import Services
from tests.integration.expectations import has

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
S = ArtifactState
W = Filter.where

#: The artifacts, written three per batch so some share a createdAt (ties break by id).
SPECS: list[dict[str, Any]] = [
    {"type": "Dataset", "uri": "s3://bucket/train/part_1.csv", "name": "train-1",
     "state": S.LIVE, "properties": {"rows": 100, "score": 0.5, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 3}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_2.csv", "name": "train-2",
     "state": S.LIVE, "properties": {"rows": 250, "format": "parquet"},
     "custom_properties": {"owner": "bob"}},
    {"type": "Dataset", "uri": "s3://bucket/eval/part_1.csv", "name": None,
     "state": S.PENDING, "properties": {"rows": 50, "score": 0.9, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 10}},
    {"type": "Dataset", "uri": "s3://bucket/100%_done/x.csv", "name": "Done",
     "state": S.DELETED, "properties": {"rows": 0, "format": "json"}},
    {"type": "Dataset", "uri": "s3://bucket/1000/x.csv", "name": "thousand", "state": S.LIVE},
    {"type": "Dataset", "uri": "gs://other/partA.csv", "name": None, "state": S.UNKNOWN,
     "properties": {"rows": 100, "format": "csv.gz"}, "custom_properties": {"epochs": 1}},
    {"type": "Dataset", "uri": None, "name": "no-uri", "state": S.ABANDONED,
     "properties": {"rows": 7, "score": 0.25}},
    {"type": "Model", "uri": "s3://bucket/models/m1", "name": "m1", "state": S.LIVE,
     "properties": {"layers": 3}, "custom_properties": {"owner": "cat"}},
    {"type": "Model", "uri": "s3://bucket/models/m2", "name": "alpha", "state": S.PENDING,
     "properties": {"layers": 12}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_10.csv", "name": "zeta",
     "state": S.LIVE, "properties": {"rows": 250, "score": 0.25, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 3}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_3.csv", "name": None, "state": S.LIVE,
     "properties": {"rows": 100, "score": 0.75}},
    {"type": "Dataset", "uri": "file:///tmp/my data #1 (copy).csv", "name": "copy",
     "state": S.REFERENCE, "custom_properties": {"owner": "bob", "epochs": 10}},
]


@dataclass
class World:
    services: Services
    artifacts: list[Artifact]   # as stored, in SPECS order
    contexts: dict[str, str]    # name -> id
    members: dict[str, set[str]]  # context name -> artifact ids




# -- helpers ------------------------------------------------------------------------------


async def walk(services: Services, kind: NodeKind, *, filter: Filter | None = None,
               order: OrderBy | None = None, page_size: int = 3,
               context_id: str | None = None) -> list[Node]:
    """Every page of a listing, checking each page's shape; the nodes in page order."""
    out: list[Node] = []
    after: str | None = None
    for _ in range(100):
        page = await services.nodes.list(kind, ListOptions(
            filter=filter, order_by=order or OrderBy(), limit=page_size, after=after),
            context_id=context_id)
        assert len(page.items) <= page_size
        assert len(page.cursors) == len(page.items)
        out += page.items
        if not page.has_next:
            return out
        assert len(page.items) == page_size
        after = page.end_cursor
    raise AssertionError("the listing never ended")


def like(pattern: str, text: str) -> bool:
    """SQL LIKE, written independently of the services: `%`, `_`, and `\\` escapes."""
    tokens: list[str | None] = []  # None: any run; "": any one character; else a literal
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            tokens.append(next(chars, "\\"))
        else:
            tokens.append(None if ch == "%" else "" if ch == "_" else ch)

    def match(t: int, s: int) -> bool:
        if t == len(tokens):
            return s == len(text)
        token = tokens[t]
        if token is None:
            return any(match(t + 1, k) for k in range(s, len(text) + 1))
        if s == len(text) or (token != "" and text[s] != token):
            return False
        return match(t + 1, s + 1)

    return match(0, 0)


# -- filters ---------------------------------------------------------------------------------

Predicate = Callable[[Artifact], bool]
FILTERS: list[Any] = [
    pytest.param(W("type", Op.EQ, "Model"), has("type", lambda v: v == "Model"), id="type"),
    pytest.param(W("state", Op.EQ, "LIVE"), has("state", lambda v: v == "LIVE"), id="state"),
    pytest.param(W("state", Op.IN, ["PENDING", "DELETED"]),
                 has("state", lambda v: v in ("PENDING", "DELETED")), id="state-in"),
    pytest.param(W("uri", Op.EQ, "s3://bucket/eval/part_1.csv"),
                 has("uri", lambda v: v == "s3://bucket/eval/part_1.csv"), id="uri-exact"),
    pytest.param(W("uri", Op.STARTS_WITH, "s3://bucket/train/"),
                 has("uri", lambda v: v.startswith("s3://bucket/train/")), id="uri-prefix"),
    pytest.param(W("uri", Op.ENDS_WITH, ".csv"), has("uri", lambda v: v.endswith(".csv")),
                 id="uri-suffix"),
    pytest.param(W("uri", Op.CONTAINS, "part_1"), has("uri", lambda v: "part_1" in v),
                 id="uri-contains"),
    *(pytest.param(W("uri", Op.LIKE, p), has("uri", lambda v, p=p: like(p, v)), id=f"like:{p}")
      for p in ["s3://bucket/%/part__.csv",   # '_' is one character: not part_10
                "s3://bucket/train/%",
                "%100\\%%",                   # an escaped, literal '%'
                "%100%%",                     # unescaped: also matches 1000
                "gs://other/part_.csv",
                "gs://other/part[A].csv",     # regex syntax is literal text
                "s3://bucket",                # LIKE matches the whole value
                "%my data #_ (copy).csv",     # spaces, '#' and parentheses are literal
                "%(copy)%",
                "%.csv",
                "%"]),
    pytest.param(W("name", Op.EQ, "zeta"), has("name", lambda v: v == "zeta"), id="name"),
    pytest.param(W("name", Op.IS_NULL), lambda a: a.name is None, id="name-null"),
    pytest.param(W("uri", Op.IS_NOT_NULL), lambda a: a.uri is not None, id="uri-not-null"),
    *(pytest.param(W("properties.rows", op, 100), has("properties.rows", test),
                   id=f"rows-{op.value}")
      for op, test in [(Op.EQ, lambda v: v == 100), (Op.NE, lambda v: v != 100),
                       (Op.LT, lambda v: v < 100), (Op.LE, lambda v: v <= 100),
                       (Op.GT, lambda v: v > 100), (Op.GE, lambda v: v >= 100)]),
    pytest.param(W("properties.rows", Op.IN, [0, 7, 250]),
                 has("properties.rows", lambda v: v in (0, 7, 250)), id="rows-in"),
    pytest.param(W("properties.score", Op.GT, 0.3),
                 has("properties.score", lambda v: v > 0.3), id="score-gt"),
    pytest.param(W("properties.rows", Op.IS_NULL), lambda a: "rows" not in a.properties,
                 id="rows-null"),
    pytest.param(W("properties.layers", Op.IS_NOT_NULL), lambda a: "layers" in a.properties,
                 id="layers-not-null"),
    pytest.param(W("properties.format", Op.CONTAINS, "sv"),
                 has("properties.format", lambda v: "sv" in v), id="format-contains"),
    pytest.param(W("properties.format", Op.STARTS_WITH, "csv"),
                 has("properties.format", lambda v: v.startswith("csv")), id="format-prefix"),
    pytest.param(W("properties.format", Op.ENDS_WITH, "json"),
                 has("properties.format", lambda v: v.endswith("json")), id="format-suffix"),
    pytest.param(W("customProperties.owner", Op.EQ, "ann"),
                 has("customProperties.owner", lambda v: v == "ann"), id="owner"),
    pytest.param(W("customProperties.owner", Op.NE, "ann"),
                 has("customProperties.owner", lambda v: v != "ann"), id="owner-ne"),
    pytest.param(W("customProperties.epochs", Op.GE, 3),
                 has("customProperties.epochs", lambda v: v >= 3), id="epochs-ge"),
    pytest.param(W("customProperties.epochs", Op.LT, 10),
                 has("customProperties.epochs", lambda v: v < 10), id="epochs-lt"),
    pytest.param(W("customProperties.owner", Op.IN, ["bob", "cat"]),
                 has("customProperties.owner", lambda v: v in ("bob", "cat")), id="owner-in"),
    pytest.param(W("customProperties.owner", Op.IS_NULL),
                 lambda a: "owner" not in a.custom_properties, id="owner-null"),
    pytest.param(W("customProperties.owner", Op.STARTS_WITH, "a"),
                 has("customProperties.owner", lambda v: v.startswith("a")), id="owner-prefix"),
    pytest.param(Filter.all_of(W("type", Op.EQ, "Dataset"), W("state", Op.EQ, "LIVE"),
                               W("properties.rows", Op.GE, 100)),
                 lambda a: a.type == "Dataset" and a.state == "LIVE"
                 and a.properties.get("rows", -1) >= 100, id="and"),
    pytest.param(Filter.any_of(W("type", Op.EQ, "Model"), W("name", Op.IS_NULL)),
                 lambda a: a.type == "Model" or a.name is None, id="or"),
    pytest.param(Filter.negate(W("state", Op.EQ, "LIVE")), lambda a: a.state != "LIVE",
                 id="not"),
    pytest.param(Filter.negate(W("properties.rows", Op.GT, 50)),
                 has("properties.rows", lambda v: not v > 50), id="not-on-a-missing-value"),
    pytest.param(Filter.any_of(
        Filter.all_of(W("type", Op.EQ, "Dataset"),
                      Filter.negate(W("state", Op.IN, ["LIVE", "PENDING"]))),
        Filter.all_of(W("uri", Op.STARTS_WITH, "s3://bucket/train/"),
                      Filter.negate(W("properties.score", Op.LT, 0.3)))),
        lambda a: (a.type == "Dataset" and a.state not in ("LIVE", "PENDING"))
        or (has("uri", lambda v: v.startswith("s3://bucket/train/"))(a)
            and has("properties.score", lambda v: not v < 0.3)(a)),
        id="nested"),
    pytest.param(Filter.all_of(), lambda a: True, id="empty-and"),
    pytest.param(Filter.any_of(), lambda a: False, id="empty-or"),
    pytest.param(W("kind", Op.EQ, "Artifact"), lambda a: True, id="kind"),
    pytest.param(W("kind", Op.NE, "Artifact"), lambda a: False, id="kind-ne"),
]
