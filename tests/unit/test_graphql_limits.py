"""Document caps and the parse cache, on a schema that needs no database."""

from __future__ import annotations

import pytest
import strawberry
from graphql.language import parser

from graph_api.config import Limits
from graph_api.graphql.limits import ParsedDocuments, document_limits


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"hello {name}"


def schema(max_tokens: int) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[document_limits(
        Limits(max_tokens=max_tokens))])


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
    s = schema(max_tokens=100)

    first = await s.execute('{ hello(name: "a") }')
    second = await s.execute('{ hello(name: "a") }')
    other = await s.execute('{ hello(name: "b") }')

    assert first.data == second.data == {"hello": "hello a"}
    assert other.data == {"hello": "hello b"}
    assert parses == ['{ hello(name: "a") }', '{ hello(name: "b") }']


async def test_a_document_over_the_token_cap_is_refused_every_time(parses: list[str]) -> None:
    s = schema(max_tokens=5)

    answers = [await s.execute('{ hello(name: "a") }') for _ in range(2)]

    for answer in answers:
        assert answer.errors is not None
        assert answer.errors[0].message == "query token count 8 exceeds maxTokens (5)"
    assert len(parses) == 2


def test_parsed_documents_keep_the_most_recently_used() -> None:
    kept = ParsedDocuments(size=2)
    a, b, c = (parser.parse(f"{{ {f} }}") for f in "abc")

    kept.put(("a", 1), a)
    kept.put(("b", 1), b)
    assert kept.get(("a", 1)) is a  # now the most recent
    kept.put(("c", 1), c)

    assert kept.get(("b", 1)) is None
    assert kept.get(("a", 1)) is a and kept.get(("c", 1)) is c
    assert kept.get(("a", 2)) is None  # another token cap is another key
