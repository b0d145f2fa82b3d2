"""Compile the filter language into a Cypher boolean expression with parameters.

Every value becomes a parameter; property keys pass through `identifiers.name`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.model.filters import Filter, Op, OrderBy
from graph_api.store import identifiers
from graph_api.store.properties import CUSTOM, CUSTOM_STRUCT, DECLARED, DECLARED_STRUCT

SYSTEM_FIELDS = {
    "id": "id",
    "externalId": "externalId",
    "type": "type",
    "state": "state",
    "uri": "uri",
    "name": "name",
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
}
NEVER_NULL = {"id", "type", "createdAt", "updatedAt"}
MAX_CONDITIONS = 64
MAX_DEPTH = 8

_COMPARISON = {Op.EQ: "=", Op.NE: "<>", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">="}
_STRING_OPS = {Op.CONTAINS: "CONTAINS", Op.STARTS_WITH: "STARTS WITH", Op.ENDS_WITH: "ENDS WITH"}


@dataclass
class Compiled:
    """A Cypher expression over variable `var` and the parameters it references."""

    expression: str
    params: dict[str, Any] = field(default_factory=dict)


def property_key(field_name: str, where: str) -> str:
    """The node property behind a filter or order field."""
    if field_name in SYSTEM_FIELDS:
        return SYSTEM_FIELDS[field_name]
    prefix, _, name = field_name.partition(".")
    if prefix == "properties" and name:
        return DECLARED + identifiers.name(name, field=where)
    if prefix == "customProperties" and name:
        return CUSTOM + identifiers.name(name, field=where)
    raise InvalidInput(
        f"{where}: unknown field {field_name!r} (use id, externalId, type, state, uri, name, "
        "createdAt, updatedAt, kind, context, properties.<name>, customProperties.<name>)",
        field=where,
    )


def json_key(field_name: str) -> str | None:
    """The node property holding a user property stored as JSON text (a declared STRUCT, a
    custom map or nested list), or None for a system field. Call after `property_key`."""
    prefix, _, name = field_name.partition(".")
    if prefix == "properties":
        return DECLARED_STRUCT + name
    if prefix == "customProperties":
        return CUSTOM_STRUCT + name
    return None


def like_to_regex(pattern: str) -> str:
    """SQL LIKE (`%` any run, `_` one character, `\\` escapes) as a full-match regex."""
    out: list[str] = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "\\")
            out.append(re.escape(nxt))
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return "(?s)" + "".join(out)


class _Compiler:
    def __init__(self, var: str, prefix: str) -> None:
        self.var = var
        self.prefix = prefix
        self.params: dict[str, Any] = {}
        self.conditions = 0

    def param(self, value: Any) -> str:
        key = f"{self.prefix}{len(self.params)}"
        self.params[key] = value
        return "$" + key

    def compile(self, f: Filter, where: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{where}: filters nest at most {MAX_DEPTH} deep", field=where)
        if f.and_ is not None or f.or_ is not None:
            parts = f.and_ if f.and_ is not None else f.or_
            assert parts is not None
            joiner = " AND " if f.and_ is not None else " OR "
            if not parts:
                return "true" if f.and_ is not None else "false"
            inner = [self.compile(p, f"{where}[{i}]", depth + 1) for i, p in enumerate(parts)]
            return "(" + joiner.join(inner) + ")"
        if f.not_ is not None:
            return f"(NOT {self.compile(f.not_, where + '.not', depth + 1)})"
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise InvalidInput(f"{where}: at most {MAX_CONDITIONS} conditions", field=where)
        assert f.field is not None and f.op is not None
        return self.condition(f.field, f.op, f.value, where)

    def condition(self, name: str, op: Op, value: Any, where: str) -> str:
        v = self.var
        if name == "kind":
            return self.kind_condition(op, value, where)
        if name == "context":
            if op is Op.EQ and isinstance(value, str):
                p = self.param(value)
                return f"EXISTS {{ ({v})-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->(:Context {{id: {p}}}) }}"
            if op is Op.IN and _is_list_of(value, str):
                p = self.param(value)
                return (f"EXISTS {{ ({v})-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->(c:Context) "
                        f"WHERE c.id IN {p} }}")
            raise InvalidInput(f"{where}: context supports EQ with an id or IN with ids",
                               field=where)
        key = f"{v}.{property_key(name, where)}"
        text = json_key(name)
        if op is Op.IS_NULL:  # a user property is set if either of its keys is
            return f"({key} IS NULL AND {v}.{text} IS NULL)" if text else f"{key} IS NULL"
        if op is Op.IS_NOT_NULL:
            return f"({key} IS NOT NULL OR {v}.{text} IS NOT NULL)" if text else (
                f"{key} IS NOT NULL")
        if value is None:
            raise InvalidInput(f"{where}: {op.value} needs a value", field=where)
        if op in _COMPARISON:
            if isinstance(value, list | dict):
                raise InvalidInput(f"{where}: {op.value} compares with a scalar", field=where)
            return f"{key} {_COMPARISON[op]} {self.param(value)}"
        if op is Op.IN:
            if not isinstance(value, list):
                raise InvalidInput(f"{where}: IN needs a list", field=where)
            return f"{key} IN {self.param(value)}"
        if not isinstance(value, str):
            raise InvalidInput(f"{where}: {op.value} needs a string", field=where)
        if op is Op.LIKE:
            return f"{key} =~ {self.param(like_to_regex(value))}"
        return f"{key} {_STRING_OPS[op]} {self.param(value)}"

    def kind_condition(self, op: Op, value: Any, where: str) -> str:
        kinds = value if op is Op.IN else [value]
        if op not in (Op.EQ, Op.IN, Op.NE) or not _is_list_of(kinds, str):
            raise InvalidInput(f"{where}: kind supports EQ, NE and IN", field=where)
        labels = []
        for k in kinds:
            try:
                labels.append(NodeKind(k).value)
            except ValueError:
                raise InvalidInput(f"{where}: unknown kind {k!r}", field=where) from None
        test = " OR ".join(f"{self.var}:{label}" for label in labels) or "false"
        return f"(NOT ({test}))" if op is Op.NE else f"({test})"


def _is_list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(x, kind) for x in value)


def compile_filter(f: Filter | None, *, var: str = "n", prefix: str = "f",
                   where: str = "filter") -> Compiled:
    """Compile `f` (None: match everything)."""
    if f is None:
        return Compiled("true")
    compiler = _Compiler(var, prefix)
    expression = compiler.compile(f, where, 0)
    return Compiled(expression, compiler.params)


#: Order keys an index holds in order, with id as the tie-break, and the lowest value of the
#: key's type: `createdAt` (an index on (createdAt, id) and an INTEGER type constraint) and
#: `id` (its unique constraint and a STRING type constraint).
INDEX_ORDERED = {"createdAt": -(2**63), "id": ""}


@dataclass(frozen=True)
class Ordering:
    """ORDER BY expressions, the keyset condition for the page after a cursor, and a
    condition true of every node (`present`: the sort key is never null) that tells the
    planner so.

    `start` is the condition of a first page: `present`, or for an index-ordered key a range
    from the lowest value of its type (`$orderFrom`, given by `start_params`) that every
    node satisfies. A range on the index's first key, with no aggregation between the MATCH
    and the ORDER BY, is what the embedded engine reads in index order, stopping at the
    LIMIT; Neo4j reads the same range of the same index in order. The keyset condition of
    such a key is a range too (`key >= $cursorValue AND …`).
    """

    order: str
    after: str
    key: str
    nullable: bool
    descending: bool
    present: str = "true"
    start: str = "true"
    start_params: dict[str, Any] = field(default_factory=dict)


def ordering(order_by: OrderBy, *, var: str = "n") -> Ordering:
    """Total order on (value, id), nulls last in either direction."""
    if order_by.field in ("kind", "context"):
        raise InvalidInput(f"orderBy: cannot order by {order_by.field!r}", field="orderBy")
    key = property_key(order_by.field, "orderBy.field")
    prop, node_id = f"{var}.{key}", f"{var}.id"
    cmp, direction = ("<", "DESC") if order_by.descending else (">", "ASC")
    nullable = order_by.field not in NEVER_NULL
    if order_by.field == "id":
        # The key is the tie-break: ordering by it alone is total.
        return Ordering(f"{node_id} {direction}", f"{node_id} {cmp} $cursorId", key, False,
                        order_by.descending, f"{node_id} IS NOT NULL",
                        f"{node_id} >= $orderFrom", {"orderFrom": INDEX_ORDERED["id"]})
    if nullable:
        order = f"({prop} IS NULL) ASC, {prop} {direction}, {node_id} {direction}"
        after = (
            f"(($cursorValue IS NOT NULL AND ({prop} IS NULL OR {prop} {cmp} $cursorValue OR "
            f"({prop} = $cursorValue AND {node_id} {cmp} $cursorId))) OR "
            f"($cursorValue IS NULL AND {prop} IS NULL AND {node_id} {cmp} $cursorId))"
        )
        return Ordering(order, after, key, nullable, order_by.descending)
    order = f"{prop} {direction}, {node_id} {direction}"
    present = f"{prop} IS NOT NULL"
    if order_by.field not in INDEX_ORDERED:
        after = (f"({prop} {cmp} $cursorValue OR ({prop} = $cursorValue AND "
                 f"{node_id} {cmp} $cursorId))")
        return Ordering(order, after, key, nullable, order_by.descending, present, present)
    after = (f"({prop} {cmp}= $cursorValue AND ({prop} {cmp} $cursorValue OR "
             f"{node_id} {cmp} $cursorId) AND {node_id} IS NOT NULL)")
    return Ordering(order, after, key, nullable, order_by.descending, present,
                    f"{prop} >= $orderFrom AND {node_id} IS NOT NULL",
                    {"orderFrom": INDEX_ORDERED[order_by.field]})
