"""Look-ahead for listings: the relations a request selects under a page of nodes (an
artifact's `producedBy`, an execution's `inputs`, …) are loaded as soon as the page is
read, level by level, so that each related field completes at once (`types.related`)
instead of awaiting its batch: for a page of 100 artifacts with their producers, the
producers' inputs and contexts, a few hundred awaits fewer. The statements are the ones
the DataLoaders would send anyway, one per relation and level.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField

from graph_api.graphql.loaders import Loaders
from graph_api.graphql.selection import under
from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node

Relation = tuple[Callable[[Loaders], DataLoader[str, list[Node]]], NodeKind]

#: What each relation field of a kind loads, and the kind of the nodes it brings.
RELATIONS: dict[tuple[NodeKind, str], Relation] = {
    (NodeKind.ARTIFACT, "producedBy"): (lambda ls: ls.producers, NodeKind.EXECUTION),
    (NodeKind.ARTIFACT, "consumedBy"): (lambda ls: ls.consumers, NodeKind.EXECUTION),
    (NodeKind.ARTIFACT, "contexts"): (lambda ls: ls.contexts_of[NodeKind.ARTIFACT],
                                      NodeKind.CONTEXT),
    (NodeKind.EXECUTION, "inputs"): (lambda ls: ls.inputs, NodeKind.ARTIFACT),
    (NodeKind.EXECUTION, "outputs"): (lambda ls: ls.outputs, NodeKind.ARTIFACT),
    (NodeKind.EXECUTION, "contexts"): (lambda ls: ls.contexts_of[NodeKind.EXECUTION],
                                       NodeKind.CONTEXT),
}
#: Levels of relations loaded ahead below a page (deeper ones load as they are reached).
DEPTH = 2


async def load_ahead(loaders: Loaders, kind: NodeKind, ids: Sequence[str],
                     fields: Sequence[SelectedField], depth: int = DEPTH) -> None:
    """Load the relations `fields` select for the nodes `ids` of `kind`, then theirs,
    down to `depth` levels. A load that fails is left in its loader: the fields that
    need it fail with its error in their turn, as without the look-ahead."""
    if depth <= 0 or not ids:
        return
    selected: dict[str, list[SelectedField]] = {}
    for f in fields:
        if (kind, f.name) in RELATIONS:
            selected.setdefault(f.name, []).append(f)
    if not selected:
        return
    names = list(selected)
    results = await asyncio.gather(
        *(RELATIONS[(kind, name)][0](loaders).load_many(list(ids)) for name in names),
        return_exceptions=True)
    await asyncio.gather(*(
        load_ahead(loaders, RELATIONS[(kind, name)][1],
                   list(dict.fromkeys(n.id for nodes in found for n in nodes)),
                   under(selected[name]), depth - 1)
        for name, found in zip(names, results, strict=True)
        if not isinstance(found, BaseException)))
