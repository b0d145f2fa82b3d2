"""`PlainListExecutor` answers exactly what graphql-core answers, and takes its compiled
path only where that is safe."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, NamedTuple

import pytest
import strawberry
from graphql import DocumentNode, ExecutionResult, execute, parse, print_ast
from strawberry.scalars import JSON
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph_api.graphql.execution import PlainListExecutor


@strawberry.enum
class Color(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf:
    name: str
    size: int
    ratio: float
    on: bool
    color: Color
    extra: JSON
    at: datetime
    note: str | None = None
    tags: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class Other:
    code: strawberry.ID
    count: int | None = None


@strawberry.type
class Holder:
    id: strawberry.ID
    leaf: Leaf | None
    either: Annotated[Leaf | Other, strawberry.union("Either")] | None = None
    children: list[Other] = strawberry.field(default_factory=list)

    @strawberry.field
    def computed(self) -> str:
        return f"computed-{self.id}"

    @strawberry.field
    def with_arg(self, times: int = 1) -> str:
        return str(self.id) * times


def leaf(i: int, **overrides: Any) -> Leaf:
    values: dict[str, Any] = dict(
        name=f"leaf{i}", size=i, ratio=i, on=i % 2 == 0, color=Color.RED if i % 2 else Color.BLUE,
        extra={"i": i, "nested": [1, {"a": None}]}, at=datetime(2026, 1, 1, i % 24, tzinfo=UTC),
        note=None if i % 3 else "n", tags=[f"t{i}"])
    values.update(overrides)
    return Leaf(**values)


def holders(n: int, **leaf_overrides: Any) -> list[Holder]:
    return [Holder(id=strawberry.ID(str(i)), leaf=leaf(i, **leaf_overrides) if i % 5 else None,
                   either=leaf(i) if i % 2 else Other(code=strawberry.ID(f"o{i}"), count=i),
                   children=[Other(code=strawberry.ID(f"c{i}"))]) for i in range(n)]


class PointRecord(NamedTuple):
    """A domain record with a strawberry type's attributes (`color` holds the enum's value)."""

    x: int
    label: str
    color: str


@strawberry.type
class Point:
    __plain_sources__: ClassVar[tuple[type, ...]] = (PointRecord,)

    x: int
    label: str
    color: Color
    note: str | None = None  # PointRecord has no such attribute


DATA: dict[str, list[Any]] = {}


@strawberry.type
class Query:
    @strawberry.field
    def holders(self) -> list[Holder]:
        return DATA["holders"]

    @strawberry.field
    def strict(self) -> list[Holder]:  # the same, but the test may break the items
        return DATA["holders"]

    @strawberry.field
    def points(self) -> list[Point]:
        return DATA["points"]


FAST = strawberry.Schema(query=Query, execution_context_class=PlainListExecutor)
PLAIN = strawberry.Schema(query=Query)

EVERYTHING = """
query ($with: Boolean!) {
  holders {
    __typename id
    renamed: id
    leaf { name size ratio on color extra at note tags __typename }
    either {
      __typename
      ... on Leaf { name color }
      ... on Other { code count }
    }
    children { code }
    ...More @include(if: $with)
  }
}
fragment More on Holder { leaf { size } children { count } }
"""


def run(schema: strawberry.Schema, query: str, variables: dict[str, Any] | None = None
        ) -> tuple[Any, list[str]]:
    result = schema.execute_sync(query, variable_values=variables)
    return result.data, [e.message for e in result.errors or []]


def both(query: str, variables: dict[str, Any] | None = None) -> tuple[Any, list[str]]:
    fast, plain = run(FAST, query, variables), run(PLAIN, query, variables)
    assert fast == plain
    assert repr(fast[0]) == repr(plain[0])  # same key order, same value types
    return fast


def counting(monkeypatch: pytest.MonkeyPatch, owner: type, method: str) -> list[int]:
    """A list that grows by one at each call of `owner.method`, for the test's duration."""
    calls: list[int] = []
    original = getattr(owner, method)

    def counted(self: Any, *args: Any) -> Any:
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(owner, method, counted)
    return calls


@pytest.fixture
def general_path(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the lists that went down graphql-core's own path."""
    return counting(monkeypatch, StrawberryGraphQLCoreExecutionContext, "complete_list_value")


@pytest.mark.parametrize("with_more", [True, False])
def test_plain_lists_are_completed_exactly_as_graphql_core_does(
        general_path: list[int], with_more: bool) -> None:
    DATA["holders"] = holders(30)

    fast = run(FAST, EVERYTHING, {"with": with_more})
    fast_fell_back = len(general_path)
    data, errors = both(EVERYTHING, {"with": with_more})

    assert fast == (data, errors)
    assert fast_fell_back == 0  # FAST completed every list itself
    assert not errors and len(data["holders"]) == 30
    assert data["holders"][1]["leaf"]["ratio"] == 1.0  # an int through Float stays a float
    assert data["holders"][1]["either"]["__typename"] == "Leaf"


def test_a_field_with_a_resolver_sends_the_list_down_the_general_path(
        general_path: list[int]) -> None:
    DATA["holders"] = holders(5)

    data, errors = both("{ holders { id computed withArg(times: 2) } }")

    assert not errors and data["holders"][3] == {"id": "3", "computed": "computed-3",
                                                 "withArg": "33"}
    assert len(general_path) == 2  # once for FAST (fell back), once for PLAIN


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": None}, "Cannot return null for non-nullable field Leaf.name."),
    ({"size": 2**40}, "Int cannot represent non 32-bit signed integer value"),
    ({"color": "green"}, "Enum 'Color' cannot represent value"),
])
def test_bad_values_give_graphql_cores_errors(overrides: dict[str, Any], message: str) -> None:
    DATA["holders"] = holders(7, **overrides)

    _, errors = both("{ strict { id leaf { name size color } } }")

    assert errors and message in errors[0]


def test_an_object_of_the_wrong_class_gives_graphql_cores_error() -> None:
    DATA["holders"] = [*holders(3), Other(code=strawberry.ID("x"))]  # type: ignore[list-item]

    data, errors = both("{ holders { id } }")

    assert errors and data is None


def test_an_empty_list_and_a_missing_leaf_complete() -> None:
    DATA["holders"] = []
    assert both("{ holders { id } }") == ({"holders": []}, [])
    DATA["holders"] = holders(1)
    assert both("{ holders { leaf { name } } }") == ({"holders": [{"leaf": None}]}, [])


def execute_parsed(document: DocumentNode, variables: dict[str, Any] | None = None) -> Any:
    """One request of an already parsed document, as a cached document is executed."""
    result = execute(FAST._schema, document, variable_values=variables,
                     executor_class=PlainListExecutor)
    assert isinstance(result, ExecutionResult) and not result.errors
    return result.data


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the plans compiled."""
    return counting(monkeypatch, PlainListExecutor, "_compile")


def test_a_repeated_document_without_directives_reuses_its_plans(compiled: list[int]) -> None:
    DATA["holders"] = holders(12)
    document = parse("{ holders { id leaf { name color } either { __typename ... on Other "
                     "{ code } } } }")

    first = execute_parsed(document)
    after_first = len(compiled)
    DATA["holders"] = holders(20)
    second = execute_parsed(document)

    assert after_first > 0 and len(compiled) == after_first  # nothing compiled again
    assert len(second["holders"]) == 20 and second != first
    assert second == run(PLAIN, print_ast(document))[0]


def test_a_document_with_a_variable_directive_plans_each_request(compiled: list[int]) -> None:
    DATA["holders"] = holders(6)
    document = parse(EVERYTHING)

    with_more = execute_parsed(document, {"with": True})
    before = len(compiled)
    without = execute_parsed(document, {"with": False})

    assert len(compiled) > before
    assert with_more == run(PLAIN, EVERYTHING, {"with": True})[0]
    assert without == run(PLAIN, EVERYTHING, {"with": False})[0]
    assert "count" in with_more["holders"][0]["children"][0]
    assert "count" not in without["holders"][0]["children"][0]


def test_a_types_plain_sources_are_completed_as_they_are(general_path: list[int]) -> None:
    DATA["points"] = [PointRecord(i, f"p{i}", "red" if i % 2 else "blue") for i in range(9)]

    fast = run(FAST, "{ points { x label color __typename } }")
    fast_fell_back = len(general_path)
    data, errors = both("{ points { x label color __typename } }")

    assert fast == (data, errors) and not errors
    assert fast_fell_back == 0  # the records were completed by the plan, not copied
    assert data["points"][1] == {"x": 1, "label": "p1", "color": "RED", "__typename": "Point"}


def test_a_plain_source_lacking_a_selected_field_goes_down_the_general_path(
        general_path: list[int]) -> None:
    DATA["points"] = [PointRecord(1, "p1", "red")]

    fast = run(FAST, "{ points { x note } }")
    fast_fell_back = len(general_path)
    data, errors = both("{ points { x note } }")

    assert fast == (data, errors)
    assert fast_fell_back == 1  # the plan did not read a missing attribute
    assert errors and "has no attribute 'note'" in errors[0]


@pytest.mark.parametrize(("color", "completed"), [("red", "RED"), ("blue", "BLUE"),
                                                  (Color.BLUE, "BLUE")])
def test_an_enum_completes_from_a_member_or_its_value(general_path: list[int], color: Any,
                                                     completed: str) -> None:
    DATA["points"] = [PointRecord(1, "p1", color)]

    fast = run(FAST, "{ points { color } }")
    fast_fell_back = len(general_path)

    assert fast == both("{ points { color } }") == ({"points": [{"color": completed}]}, [])
    assert fast_fell_back == 0


@pytest.mark.parametrize("color", ["RED", "green", 1])
def test_an_enum_value_of_no_member_gives_graphql_cores_error(color: Any) -> None:
    DATA["points"] = [PointRecord(1, "p1", color)]

    _, errors = both("{ points { color } }")

    assert errors and "Enum 'Color' cannot represent value" in errors[0]


def test_a_list_of_leaves_completes_each_leaf_as_graphql_core_does() -> None:
    DATA["holders"] = holders(3, tags=["a", "b"])
    assert both("{ holders { leaf { tags } } }")[0]["holders"][1] == {
        "leaf": {"tags": ["a", "b"]}}
    DATA["holders"] = holders(3, tags=["a", None])

    _, errors = both("{ holders { leaf { tags } } }")

    assert errors and "Cannot return null for non-nullable field Leaf.tags." in errors[0]
