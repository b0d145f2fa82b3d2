"""The document caps over HTTP: depth, aliases and tokens each answer LIMIT_EXCEEDED
naming the cap and its value."""

from __future__ import annotations

from graphql import get_introspection_query

from tests.integration.api import Api
from tests.integration.limits.helpers import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_TOKENS,
    OVER_THE_TOKEN_CAP,
    assert_cap,
    chain,
    only_error,
)

# Depth ---------------------------------------------------------------------------------


def test_a_query_at_the_depth_cap_runs(capped: Api) -> None:
    assert capped.data(chain(MAX_DEPTH), {"id": "nope"}) == {"artifact": None}


def test_a_query_deeper_than_the_cap_is_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(chain(MAX_DEPTH + 1), {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_a_query_far_deeper_than_the_cap_gets_one_error(capped: Api) -> None:
    # Two branches past the cap (the limiter reports each): one error all the same.
    query = ("query($id: ID!) { artifact(id: $id) { producedBy { ... on Execution {"
             " inputs { producedBy { inputs { id } } } outputs { producedBy { id } } } } } }")

    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_a_query_with_many_fields_past_the_depth_cap_is_refused_naming_the_cap(
        capped: Api) -> None:
    # The limiter reports each field past the cap; past a hundred errors graphql-core
    # aborts the validation.
    query = ("query($id: ID!) { artifact(id: $id) { producedBy { inputs { producedBy {"
             + " id" * 110 + " } } } } }")

    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_depth_counts_through_fragments(capped: Api) -> None:
    query = """
    query($id: ID!) { artifact(id: $id) { ...Up } }
    fragment Up on Artifact { producedBy { ... on Execution { inputs { ...Leaf } } } }
    fragment Leaf on Artifact { producedBy { id } }
    """  # artifact > producedBy > inputs > producedBy > id
    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_introspection_is_not_held_to_the_depth_cap(capped: Api) -> None:
    # GraphiQL's schema query nests `ofType` far deeper than the cap.
    data = capped.data(get_introspection_query())

    assert data["__schema"]["queryType"]["name"] == "Query"


# Aliases -------------------------------------------------------------------------------


def aliases(count: int) -> str:
    return "{ " + " ".join(f"t{i}: artifactTypes {{ name }}" for i in range(count)) + " }"


def test_aliases_up_to_the_cap_run(capped: Api) -> None:
    assert capped.data(aliases(MAX_ALIASES)) == {f"t{i}": [] for i in range(MAX_ALIASES)}


def test_more_aliases_than_the_cap_are_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(aliases(MAX_ALIASES + 1)))

    assert_cap(error, "maxAliases", MAX_ALIASES, MAX_ALIASES + 1,
               f"query alias count {MAX_ALIASES + 1} exceeds maxAliases ({MAX_ALIASES})")


def test_aliases_count_once_per_fragment_spread(capped: Api) -> None:
    query = """
    { a: artifactTypes { ...Two } b: executionTypes { ...Two } }
    fragment Two on NodeTypeDefinition { n: name k: kind }
    """  # 2 aliases + 2 spreads x 2 aliases
    error = only_error(capped.graphql(query))

    assert_cap(error, "maxAliases", MAX_ALIASES, 6, f"query alias count 6 exceeds maxAliases ({MAX_ALIASES})")


def test_aliases_count_in_all_the_documents_operations_together(capped: Api) -> None:
    # The cap is on the document: two operations of two aliases each are four.
    query = ("query A { a: artifactTypes { name } b: artifactTypes { name } } "
             "query B { c: artifactTypes { name } d: artifactTypes { name } }")

    error = only_error(capped.graphql(query))

    assert_cap(error, "maxAliases", MAX_ALIASES, 4, f"query alias count 4 exceeds maxAliases ({MAX_ALIASES})")


def doubling(levels: int) -> str:
    """A document whose fragment F<i> spreads F<i-1> twice: it expands to 2**levels aliased
    fields, and 3 * 2**levels - 1 selections in all (spreads included)."""
    fragments = ["fragment F0 on Query { a: __typename }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def test_aliases_count_as_the_document_expands(capped: Api) -> None:
    levels = 5  # 95 selections: within the token cap

    error = only_error(capped.graphql(doubling(levels)))

    assert_cap(error, "maxAliases", MAX_ALIASES, 2**levels,
               f"query alias count {2**levels} exceeds maxAliases ({MAX_ALIASES})")


def test_a_document_whose_fragments_expand_past_the_token_cap_is_refused_as_over_it(
        capped: Api) -> None:
    # 174 tokens as sent, 3 * 2**16 - 1 selections written out. The limiters walk each
    # fragment once per spread, and would take hours over 30 levels: a document expanding
    # to more than ten times the cap is refused before they walk it.
    error = only_error(capped.graphql(doubling(16)))

    assert_cap(error, "maxTokens", MAX_TOKENS, 10 * MAX_TOKENS,
               f"query token count more than {10 * MAX_TOKENS} exceeds maxTokens ({MAX_TOKENS})")


# Tokens --------------------------------------------------------------------------------


def typenames(count: int) -> str:
    """A document of exactly `count` + 2 tokens: braces around `count` names."""
    return "{ " + " __typename" * count + " }"


def test_a_document_at_the_token_cap_runs(capped: Api) -> None:
    assert capped.data(typenames(MAX_TOKENS - 2)) == {"__typename": "Query"}


def test_a_document_over_the_token_cap_is_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(typenames(MAX_TOKENS - 1)))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


def test_a_huge_document_is_refused_without_being_counted_to_the_end(capped: Api) -> None:
    # The parser stops at the cap: a huge document gets the answer of one just over it.
    error = only_error(capped.graphql(typenames(100 * MAX_TOKENS)))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


def test_comments_count_as_tokens(capped: Api) -> None:
    # Otherwise a document padded with comments would get around the cap.
    commented = "# a comment\n" * 10 + typenames(MAX_TOKENS - 2)

    error = only_error(capped.graphql(commented))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


