"""Caps on a GraphQL document, checked before anything runs: depth, aliases, tokens.

strawberry's extensions enforce them — `QueryDepthLimiter`, `MaxAliasesLimiter`,
`MaxTokensLimiter` — and this module configures them and turns their errors into ours:
each cap, when hit, answers one error with `extensions.code = LIMIT_EXCEEDED`, the cap's
name (`extensions.cap`), its value (`extensions.limit`) and the document's
(`extensions.value`), e.g. "query alias count 5 exceeds maxAliases (3)". When the count
stopped at the cap, the message says so: "query depth more than 10 exceeds maxDepth (10)",
and `extensions.value` is that number. The caps on what a request asks of the database —
page size, `maxHops`, `maxNodes`, the query timeout — are the store's.

- **Depth** counts levels of fields: `{ artifact(id: "…") { id } }` has depth 2. What
  introspection fields (`__schema`, `__type`, `__typename`) select does not count, so
  GraphiQL works whatever the cap; the field itself is a level, as any leaf. The limiter
  stops at the cap: the error says "more than".
- **Aliases** counts aliased fields in all the document's operations together, as the
  document expands: a fragment spread twice counts its aliases twice.
- **Tokens** counts lexical tokens, comments included (so padding with comments does
  not get around the cap). The parser stops at the cap: the error says "more than", and
  an oversized document costs no more than one at the cap. A document whose fragments
  expand it to more than ten times the cap in selections (written out, it would be over
  ten times the cap in tokens) is refused before the depth and alias limiters walk it:
  they walk a fragment once per spread, and fragments that spread each other twice over
  expand exponentially (GraphiQL's schema query expands ~1.2 times).

Parsed and validated documents are cached (a dashboard sends the same few texts again
and again: parsing a lineage query costs ~3 ms, validating it ~6 ms, a quarter of a
small answer's time). A document over the token cap is parsed, and refused, every time.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from graph_api.config import Limits

#: How many parsed, and how many validated, documents to keep.
CACHED_DOCUMENTS = 256

#: A document's fragments may expand it to this many times the token cap, in selections.
EXPANSION = 10

# The messages of strawberry's limiters and of graphql-core's parser at the token cap.
_DEPTH = re.compile(r"'.*' exceeds maximum operation depth of \d+")
_ALIASES = re.compile(r"(\d+) aliases found\. Allowed: \d+")
_TOKENS = re.compile(r"Document contains more than \d+ tokens\. Parsing aborted\.")


def limit_exceeded(what: str, value: int, cap: str, limit: int,
                   more_than: bool = False) -> GraphQLError:
    """The error every document cap answers with."""
    shown = f"more than {value}" if more_than else str(value)
    return GraphQLError(f"query {what} {shown} exceeds {cap} ({limit})",
                        extensions={"code": "LIMIT_EXCEEDED", "cap": cap, "limit": limit,
                                    "value": value})


def document_limits(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """The extensions to install in the schema, as factories (one extension per request).

    The limiters are built once and copied for each request, so that their validation
    rules stay the same classes and the validation cache knows a document it saw before.
    """
    # strawberry counts nested selection sets, a level fewer than the fields we count.
    depth = QueryDepthLimiter(max_depth=limits.max_depth - 1)
    aliases = MaxAliasesLimiter(max_alias_count=limits.max_aliases)
    return [
        lambda: LimitErrors(limits),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: copy.copy(depth),
        lambda: copy.copy(aliases),
        lambda: ReportingParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: CappedValidation(limits, maxsize=CACHED_DOCUMENTS),
    ]


def expanded_selections(document: DocumentNode) -> int:
    """How many selections the document's operations hold as its fragments expand (a
    spread is one, and its fragment's selections), each fragment measured once: linear
    in the document however often fragments spread each other. A spread that closes a
    cycle (validation refuses it) is one."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    sizes: dict[str, int] = {}

    def size(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode | InlineFragmentNode):
                total += 1 + size(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in sizes and name in fragments:
                    sizes[name] = 0  # while it is measured
                    sizes[name] = size(fragments[name].selection_set)
                total += 1 + sizes.get(name, 0)
        return total

    return sum(size(d.selection_set) for d in document.definitions
               if isinstance(d, OperationDefinitionNode))


class ReportingParserCache(ParserCache):
    """strawberry's `ParserCache`, leaving a document that does not parse to strawberry's
    own parse, which answers its error as the result.

    `ParserCache` raises the parser's error from its hook: the operation would then end in
    an exception that no extension's `on_operation` sees, and the error would reach the
    client without a code. Parsing again costs little: the parser stops at the token cap.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query,
                                                                  **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


class CappedValidation(ValidationCache):
    """strawberry's `ValidationCache`, which keeps the limiters' walks within the caps.

    A document whose fragments expand it too far is refused unvalidated. The
    depth limiter reports each field past the cap: past a hundred errors, graphql-core
    aborts the validation by raising, and the exception would skip every extension's
    `on_operation` (no code); only that limiter reports so many errors before the document
    is visited, so the document is answered as over the depth cap. Fragments that spread
    each other too deeply for the interpreter's recursion abort the validation too.
    """

    def __init__(self, limits: Limits, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.pre_execution_errors = self.refusal(context.graphql_document)
            if context.pre_execution_errors is None:
                next(super().on_validate())  # validates
        except ValidationAbortedError:
            context.pre_execution_errors = [limit_exceeded(
                "depth", self.limits.max_depth, "maxDepth", self.limits.max_depth,
                more_than=True)]
        except RecursionError:
            context.pre_execution_errors = [GraphQLError("Validation aborted.")]
        yield

    def refusal(self, document: DocumentNode | None) -> list[GraphQLError] | None:
        """The errors refusing `document` before validation; None to validate it."""
        cap = self.limits.max_tokens
        if document is None or expanded_selections(document) <= EXPANSION * cap:
            return None
        return [limit_exceeded("token count", EXPANSION * cap, "maxTokens", cap,
                               more_than=True)]


class LimitErrors(SchemaExtension):
    """Answer each cap the limiters report with one error of ours."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        errors: list[GraphQLError] = []
        answered: set[str] = set()
        for error in result.errors:
            ours = self.ours(error)
            if ours is None:
                errors.append(error)
            elif ours.message not in answered:  # the depth limiter reports each field
                answered.add(ours.message)
                errors.append(ours)
        result.errors = errors

    def ours(self, error: GraphQLError) -> GraphQLError | None:
        """Our error for a limiter's `error`; None when it is none of theirs."""
        limits = self.limits
        if _DEPTH.fullmatch(error.message):
            return limit_exceeded("depth", limits.max_depth, "maxDepth", limits.max_depth,
                                  more_than=True)
        if aliases := _ALIASES.fullmatch(error.message):
            return limit_exceeded("alias count", int(aliases[1]), "maxAliases",
                                  limits.max_aliases)
        if isinstance(error, GraphQLSyntaxError) and _TOKENS.fullmatch(error.description):
            return limit_exceeded("token count", limits.max_tokens, "maxTokens",
                                  limits.max_tokens, more_than=True)
        return None
