"""Caps on a GraphQL document, checked before anything runs: depth, aliases, tokens.

Each cap, when hit, answers one error with `extensions.code = LIMIT_EXCEEDED`, the cap's
name (`extensions.cap`), its value (`extensions.limit`) and the document's
(`extensions.value`), e.g. "query depth 14 exceeds maxDepth (10)". The caps on what a
request asks of the database — page size, `maxHops`, `maxNodes`, the query timeout — are
the store's.

- **Depth** counts levels of fields: `{ artifact(id: "…") { id } }` has depth 2.
  Introspection fields (`__schema`, `__type`, `__typename`) and what they select do not
  count, so GraphiQL works whatever the cap.
- **Aliases** counts aliased fields as the document expands: a fragment spread twice counts
  its aliases twice.
- **Tokens** counts lexical tokens (names, punctuation, values, and comments, so padding
  with comments does not get around the cap), the way graphql-core's parser does: it
  stops at the cap, so an oversized document costs no more than one at the cap.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    ValidationContext,
    ValidationRule,
)
from graphql.language.lexer import Lexer
from strawberry.extensions import SchemaExtension

from graph_api.config import Limits

#: How many parsed documents to keep.
PARSED_DOCUMENTS = 256

#: An oversized document's tokens are counted up to this many times the cap; beyond, the
#: error says "more than" that.
COUNT_TOKENS_UP_TO = 10


def limit_exceeded(what: str, value: int, cap: str, limit: int,
                   more_than: bool = False) -> GraphQLError:
    """The error every document cap answers with."""
    shown = f"more than {value}" if more_than else str(value)
    return GraphQLError(f"query {what} {shown} exceeds {cap} ({limit})",
                        extensions={"code": "LIMIT_EXCEEDED", "cap": cap, "limit": limit,
                                    "value": value})


class _Walk:
    """Depth and alias count of a document's operations; each fragment is measured once.

    Memoising fragments keeps the walk linear in the document even when fragments spread
    each other many times (expanded, such a document can be exponentially large). A spread
    of a fragment that is being measured (a cycle, which validation refuses anyway)
    counts as nothing.
    """

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.measured: dict[str, tuple[int, int]] = {}
        self.active: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """(depth, aliases) of a selection set."""
        depth = aliases = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner_depth, inner_aliases = self.selections(selection.selection_set)
                if not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner_depth)
                aliases += inner_aliases + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                inner_depth, inner_aliases = self.selections(selection.selection_set)
                depth, aliases = max(depth, inner_depth), aliases + inner_aliases
            elif isinstance(selection, FragmentSpreadNode):
                inner_depth, inner_aliases = self.fragment(selection.name.value)
                depth, aliases = max(depth, inner_depth), aliases + inner_aliases
        return depth, aliases

    def fragment(self, name: str) -> tuple[int, int]:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0, 0
        self.active.add(name)
        self.measured[name] = self.selections(definition.selection_set)
        self.active.discard(name)
        return self.measured[name]


def _measure(context: ValidationContext) -> tuple[int, int]:
    """(deepest operation's depth, most aliases in one operation) of the document."""
    definitions = context.document.definitions
    walk = _Walk({d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)})
    measured = [walk.selections(d.selection_set) for d in definitions
                if isinstance(d, OperationDefinitionNode)]
    return (max((m[0] for m in measured), default=0),
            max((m[1] for m in measured), default=0))


def document_rules(limits: Limits) -> list[type[ASTValidationRule]]:
    """A validation rule that reports the depth and alias caps of `limits` when hit."""

    class DocumentCaps(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            depth, aliases = _measure(context)
            if depth > limits.max_depth:
                context.report_error(limit_exceeded("depth", depth, "maxDepth",
                                                    limits.max_depth))
            if aliases > limits.max_aliases:
                context.report_error(limit_exceeded("alias count", aliases, "maxAliases",
                                                    limits.max_aliases))

    return [DocumentCaps]


def count_tokens(text: str, up_to: int) -> tuple[int, bool]:
    """(tokens in `text` as the parser counts them — comments included —, whether there
    are more than `up_to`); counting stops there, and then returns `up_to`."""
    lexer = Lexer(Source(text))
    count, end = 0, 0
    try:
        while (token := lexer.read_next_token(end)).kind is not TokenKind.EOF:
            count, end = count + 1, token.end
            if count > up_to:
                return up_to, True
    except GraphQLSyntaxError:
        pass  # a malformed tail: count what came before it
    return count, False


def _is_token_cap(error: GraphQLError) -> bool:
    """Whether the parser stopped at the token cap (the parse cache reports the parser's
    error wrapped, the plain parser as it is)."""
    syntax = error if isinstance(error, GraphQLSyntaxError) else error.original_error
    return isinstance(syntax, GraphQLSyntaxError) and "Document contains more than" in error.message


def document_limits(limits: Limits) -> Callable[[], SchemaExtension]:
    """The extension factory to install in the schema (one extension per request)."""
    rules = tuple(document_rules(limits))
    parsed = ParsedDocuments(PARSED_DOCUMENTS)
    return lambda: DocumentLimits(limits, rules, parsed)


class ParsedDocuments:
    """The most recently used parsed documents, by (text, token cap).

    Parsing a lineage query costs ~3 ms, as much as a small answer's walk, and dashboards
    send the same few texts again and again. Only documents that parsed within the token
    cap are kept, so a hit is a text that passed the cap before; a document over the cap
    is parsed (and refused) every time. Bounded, so unique texts cannot grow memory.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.documents: OrderedDict[tuple[str, int], DocumentNode] = OrderedDict()

    def get(self, key: tuple[str, int]) -> DocumentNode | None:
        document = self.documents.get(key)
        if document is not None:
            self.documents.move_to_end(key)
        return document

    def put(self, key: tuple[str, int], document: DocumentNode) -> None:
        self.documents[key] = document
        self.documents.move_to_end(key)
        while len(self.documents) > self.size:
            self.documents.popitem(last=False)


class DocumentLimits(SchemaExtension):
    """Enforce the depth, alias and token caps of `limits` on every document."""

    def __init__(self, limits: Limits, rules: tuple[type[ASTValidationRule], ...],
                 parsed: ParsedDocuments) -> None:
        self.limits = limits
        self.rules = rules
        self.parsed = parsed

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.limits.max_tokens
        context.validation_rules = (*context.validation_rules, *self.rules)
        key = (context.query or "", self.limits.max_tokens)
        if context.graphql_document is None:
            context.graphql_document = self.parsed.get(key)
        yield
        if context.graphql_document is not None and context.query:
            self.parsed.put(key, context.graphql_document)
        result = context.result
        if result is None or not result.errors or not any(map(_is_token_cap, result.errors)):
            return
        cap = self.limits.max_tokens
        count, stopped = count_tokens(context.query or "", COUNT_TOKENS_UP_TO * cap)
        result.errors = [limit_exceeded("token count", max(count, cap + 1), "maxTokens", cap,
                                        more_than=stopped)]
