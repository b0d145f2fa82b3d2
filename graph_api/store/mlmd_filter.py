"""MLMD's `filter_query` grammar, parsed by a real parser and compiled to a Cypher
predicate with every value a parameter.

The grammar is MLMD's (a subset of Google's AIP-160 filtering): comparisons of a node's
attributes (`id`, `name`, `uri`, `type`, `type_id`, `external_id`, `state`,
`create_time_since_epoch`, `last_update_time_since_epoch`), its properties
(`properties.p.int_value`, `custom_properties.p.string_value`, …), the contexts it belongs
to (`contexts_a.name`), its events (`events_0.type`, `events_0.execution_id`) and, for
contexts, their parents and children (`parent_contexts_a.name`,
`child_contexts_a.type`) — with `= != < <= > >=`, `LIKE`, `IN (…)`, `IS NULL`,
`IS NOT NULL`, joined by `AND`, `OR`, `NOT` and parentheses. Enum values (`state = LIVE`,
`events_0.type = OUTPUT`) are bare names.

A comparison on a related node (`contexts_a.name = 'x'`) holds when some related node
satisfies it; two comparisons on one alias are checked separately (MLMD binds the alias
to one node for the whole query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.store.identifiers import is_valid_name
from graph_api.store.properties import CUSTOM, CUSTOM_STRUCT, DECLARED, DECLARED_STRUCT

_GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*
?conjunction: negation (_AND negation)*
?negation: _NOT negation -> negate
         | atom
?atom: "(" disjunction ")"
     | path COMPARATOR value -> compare
     | path _LIKE string -> like
     | path _NOT _LIKE string -> not_like
     | path _IN "(" value ("," value)* ")" -> in_list
     | path _NOT _IN "(" value ("," value)* ")" -> not_in_list
     | path _IS _NULL -> is_null
     | path _IS _NOT _NULL -> is_not_null
path: name ("." name)*
?name: NAME | QUOTED
?value: string | number | TRUE | FALSE | NAME -> enum
string: STRING
number: SIGNED_NUMBER
COMPARATOR: "!=" | "<=" | ">=" | "=" | "<" | ">"
_OR.2: /OR\b/i
_AND.2: /AND\b/i
_NOT.2: /NOT\b/i
_LIKE.2: /LIKE\b/i
_IN.2: /IN\b/i
_IS.2: /IS\b/i
_NULL.2: /NULL\b/i
TRUE.2: /TRUE\b/i
FALSE.2: /FALSE\b/i
NAME: /[A-Za-z_][A-Za-z0-9_]*/
QUOTED: /`[^`]+`/
STRING: /'(?:[^'\\]|\\.)*'/ | /"(?:[^"\\]|\\.)*"/
%import common.SIGNED_NUMBER
%import common.WS
%ignore WS
"""

_ATTRIBUTES = {
    "id": "mlmdId", "name": "name", "uri": "uri", "type": "type", "external_id": "externalId",
    "state": "state", "create_time_since_epoch": "createdAt",
    "last_update_time_since_epoch": "updatedAt",
}
_VALUE_KINDS = {"int_value", "double_value", "string_value", "bool_value"}
_RELATED = re.compile(r"^(contexts|parent_contexts|child_contexts|events)_([A-Za-z0-9_]+)$")


@cache
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False)


@dataclass
class Compiled:
    """A predicate over the node variable `n`, and its parameters."""

    expression: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Operand:
    """Where a path's value is read: `var.key`, inside `pattern` when it is not `n`."""

    var: str
    key: str
    pattern: str | None = None


_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}


def _unquote(text: str) -> str:
    r"""A quoted literal's text: `\\`, `\'`, `\"`, `\n`, `\t` unescaped; any other
    backslash kept (LIKE reads `\%` and `\_` as the characters themselves)."""
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)


def _like_regex(pattern: str) -> str:
    """SQL LIKE (`%` any run, `_` one character, a backslash makes the next character
    itself) as an anchored regular expression."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return "(?s)" + "".join(out)


class _Compiler(Transformer[Token, str]):
    def __init__(self, kind: NodeKind, prefix: str) -> None:
        super().__init__()
        self.kind = kind
        self.prefix = prefix
        self.params: dict[str, Any] = {}
        self.vars = 0

    # -- values ---------------------------------------------------------------------------

    def string(self, items: list[Token]) -> str:
        return _unquote(str(items[0]))

    def number(self, items: list[Token]) -> int | float:
        text = str(items[0])
        return float(text) if any(c in text for c in ".eE") else int(text)

    def enum(self, items: list[Token]) -> str:
        return str(items[0])

    def TRUE(self, _: Token) -> bool:
        return True

    def FALSE(self, _: Token) -> bool:
        return False

    def path(self, items: list[Token]) -> list[str]:
        return [str(i)[1:-1] if str(i).startswith("`") else str(i) for i in items]

    # -- predicates -----------------------------------------------------------------------

    def _param(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def _operand(self, path: list[str]) -> _Operand:
        head, rest = path[0], path[1:]
        related = _RELATED.match(head)
        if related is None:
            return _Operand("n", self._own(path, self.kind))
        self.vars += 1
        var = f"{self.prefix}v{self.vars}"
        relation = related.group(1)
        if relation == "events":
            if self.kind is NodeKind.CONTEXT:
                raise InvalidInput("filterQuery: contexts have no events", field="filterQuery")
            other = "Execution" if self.kind is NodeKind.ARTIFACT else "Artifact"
            edge = f"{var}e"
            pattern = f"(n)-[{edge}:INPUT|OUTPUT]-({var}:{other})"
            attribute = ".".join(rest)
            if attribute == "type":
                return _Operand(edge, "kind", pattern)
            if attribute == "milliseconds_since_epoch":
                return _Operand(edge, "ts", pattern)
            if attribute in ("execution_id", "artifact_id"):
                return _Operand(var, "mlmdId", pattern)
            raise InvalidInput(f"filterQuery: unknown event attribute {attribute!r}",
                               field="filterQuery")
        if relation == "contexts":
            if self.kind is NodeKind.CONTEXT:
                raise InvalidInput("filterQuery: contexts_* applies to artifacts and executions",
                                   field="filterQuery")
            pattern = f"(n)-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->({var}:Context)"
        else:
            if self.kind is not NodeKind.CONTEXT:
                raise InvalidInput(f"filterQuery: {relation}_* applies to contexts",
                                   field="filterQuery")
            arrow = "-[:CHILD_OF]->" if relation == "parent_contexts" else "<-[:CHILD_OF]-"
            pattern = f"(n){arrow}({var}:Context)"
        if not rest:
            raise InvalidInput(f"filterQuery: {head} needs an attribute", field="filterQuery")
        return _Operand(var, self._own(rest, NodeKind.CONTEXT), pattern)

    def _own(self, path: list[str], kind: NodeKind) -> str:
        """The stored key of a node's own attribute or property."""
        where = ".".join(path)
        if len(path) == 1 and path[0] in _ATTRIBUTES:
            if path[0] == "uri" and kind is not NodeKind.ARTIFACT:
                raise InvalidInput("filterQuery: only artifacts have a uri", field="filterQuery")
            return _ATTRIBUTES[path[0]]
        if len(path) == 1 and path[0] == "type_id":
            return "typeMlmdId"
        if len(path) == 3 and path[0] in ("properties", "custom_properties"):
            name, value_kind = path[1], path[2]
            if not is_valid_name(name):
                raise InvalidInput(f"filterQuery: {where}: property name {name!r} is not "
                                   "stored", field="filterQuery")
            if value_kind in _VALUE_KINDS:
                return (DECLARED if path[0] == "properties" else CUSTOM) + name
            if value_kind == "struct_value":
                return (DECLARED_STRUCT if path[0] == "properties" else CUSTOM_STRUCT) + name
        raise InvalidInput(f"filterQuery: unknown attribute {where!r}", field="filterQuery")

    def _predicate(self, path: list[str], template: str) -> str:
        operand = self._operand(path)
        if operand.key == "typeMlmdId":
            self.vars += 1
            var = f"{self.prefix}t{self.vars}"
            operand = _Operand(var, "mlmdId", f"({operand.var})-[:OF_TYPE]->({var})")
        target = f"{operand.var}.`{operand.key}`"
        text = template.format(target)
        if operand.pattern is None:
            return f"({text})"
        return f"EXISTS {{ MATCH {operand.pattern} WHERE {text} }}"

    @v_args(inline=True)
    def compare(self, path: list[str], op: Token, value: Any) -> str:
        cypher_op = "<>" if str(op) == "!=" else str(op)
        return self._predicate(path, f"{{}} {cypher_op} {self._param(value)}")

    @v_args(inline=True)
    def like(self, path: list[str], pattern: str) -> str:
        return self._predicate(path, f"{{}} =~ {self._param(_like_regex(pattern))}")

    @v_args(inline=True)
    def not_like(self, path: list[str], pattern: str) -> str:
        return f"(NOT {self.like(path, pattern)})"

    def in_list(self, items: list[Any]) -> str:
        return self._predicate(items[0], f"{{}} IN {self._param(list(items[1:]))}")

    def not_in_list(self, items: list[Any]) -> str:
        return f"(NOT {self.in_list(items)})"

    @v_args(inline=True)
    def is_null(self, path: list[str]) -> str:
        if _RELATED.match(path[0]):
            return f"(NOT {self._predicate(path, '{} IS NOT NULL')})"
        return self._predicate(path, "{} IS NULL")

    @v_args(inline=True)
    def is_not_null(self, path: list[str]) -> str:
        return self._predicate(path, "{} IS NOT NULL")

    @v_args(inline=True)
    def negate(self, inner: str) -> str:
        return f"(NOT {inner})"

    def conjunction(self, items: list[str]) -> str:
        return "(" + " AND ".join(items) + ")"

    def disjunction(self, items: list[str]) -> str:
        return "(" + " OR ".join(items) + ")"


def compile_filter_query(text: str, kind: NodeKind, prefix: str = "q") -> Compiled:
    """Compile an MLMD `filter_query` on nodes of `kind` (the variable `n`).

    Raises:
        InvalidInput: a syntax error, an unknown attribute, or a relation the kind lacks;
            the message says where.
    """
    if not text.strip():
        return Compiled("true")
    compiler = _Compiler(kind, prefix)
    try:
        tree = _parser().parse(text)
        expression = compiler.transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, InvalidInput):
            raise error.orig_exc from None
        raise
    except LarkError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "syntax error"
        raise InvalidInput(f"filterQuery: cannot parse {text!r}: {first}",
                           field="filterQuery") from None
    if not isinstance(expression, str):
        raise InvalidInput(f"filterQuery: {text!r} is not a condition", field="filterQuery")
    return Compiled(expression, compiler.params)
