"""Document caps and the parse and validation caches, on a schema that needs no database."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
import strawberry
from graphql import ValidationContext, ValidationRule
from graphql.language import parser
from strawberry.extensions import AddValidationRules, SchemaExtension

from graph_api.config import Limits
from graph_api.graphql.errors import ErrorCodes
from graph_api.graphql.limits import document_limits


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"hello {name}"


def schema(max_tokens: int = 100,
           *more: type[SchemaExtension] | Callable[[], SchemaExtension]) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[
        ErrorCodes, *document_limits(Limits(max_tokens=max_tokens)), *more])


def hello(name: str) -> str:
    """A document no other test sends (the caches are shared by every schema)."""
    return f'{{ hello(name: "{name}-{uuid4().hex}") }}'


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts the GraphQL parser was asked to parse during the test."""
    seen: list[str] = []
    real = parser.Parser.parse_document

    def counting(self: parser.Parser) -> object:
        seen.append(self._lexer.source.body)
        return real(self)

    monkeypatch.setattr(parser.Parser, "parse_document", counting)
    return seen


async def test_a_document_sent_again_is_not_parsed_again(parses: list[str]) -> None:
    s = schema()
    a, b = hello("a"), hello("b")

    first = await s.execute(a)
    second = await s.execute(a)
    other = await s.execute(b)

    assert first.data == second.data and first.data is not None
    assert first.data["hello"].startswith("hello a-")
    assert other.data is not None and other.data["hello"].startswith("hello b-")
    assert parses == [a, b]


async def test_a_document_over_the_token_cap_is_refused_every_time(parses: list[str]) -> None:
    s = schema(max_tokens=5)
    text = hello("a")

    answers = [await s.execute(text) for _ in range(2)]

    for answer in answers:
        assert answer.errors is not None
        assert answer.errors[0].message == "query token count more than 5 exceeds maxTokens (5)"
    # Each time: the cache's attempt, then the parse that answers the error.
    assert parses == [text] * 4


async def test_a_document_that_does_not_parse_keeps_the_parsers_message_and_a_code() -> None:
    answer = await schema().execute("{ hello(")

    assert answer.errors is not None
    [error] = answer.errors
    assert error.message == "Syntax Error: Expected Name, found <EOF>."
    assert error.extensions == {"code": "BAD_USER_INPUT"}


async def test_a_document_sent_again_is_not_validated_again() -> None:
    validated: list[str] = []

    class Seen(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            validated.append("once")

    s = schema(100, lambda: AddValidationRules([Seen]))
    text = hello("a")

    answers = [await s.execute(text) for _ in range(3)]

    assert all(a.errors is None for a in answers)
    assert validated == ["once"]


async def test_fragments_spreading_each_other_too_deeply_are_refused_with_a_code() -> None:
    chain = ["fragment F0 on Query { hello }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} }}" for i in range(1, 1000)]
    s = schema(10_000)

    answer = await s.execute("{ ...F999 } " + " ".join(chain))

    assert answer.errors is not None
    [error] = answer.errors
    assert error.message == "Validation aborted."
    assert error.extensions == {"code": "BAD_USER_INPUT"}
