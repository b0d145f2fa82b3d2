"""Batch upserts of artifacts, executions and contexts: one kind's rows of a batch write,
prepared before the statement is sent and checked against what its lookups found.

A row names the node it writes by `id` (replace that node), by `externalId` (upsert by
it) or, for a context without either, by its unique (type, name). Every row is checked
against its type's declared schema before anything is sent; the statement then looks up
each row's keys and writes the rows that contradict nothing stored, and the checks here
name the first row that did (`input[2].externalId`), in the order the rows were given.
Raising rolls the whole transaction back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import Conflict, FailedPrecondition, InvalidInput, LineageError, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import NodeKind
from graph_api.model.ingest import StoredKey
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput, NodeInput
from graph_api.services.caps import bounded_batch
from graph_api.services.types import CheckedType, TypeKey
from graph_api.store import batch as batch_rows
from graph_api.store import records
from graph_api.store.properties import encode_custom, encode_declared

_INPUTS = {NodeKind.ARTIFACT: ArtifactInput, NodeKind.EXECUTION: ExecutionInput,
           NodeKind.CONTEXT: ContextInput}

#: What a row is keyed by within its batch: rows with the same key are one node.
Key = tuple[Any, ...]


def now_ms() -> int:
    return int(time.time() * 1000)


def _row_key(index: int, item: NodeInput) -> Key:
    if item.id is not None:
        return ("i", item.id)
    if item.external_id is not None:
        return ("x", item.external_id)
    if isinstance(item, ContextInput):
        return ("n", item.type, item.name)
    return ("-", index)


@dataclass
class _Existing:
    by_id: dict[str, StoredKey] = field(default_factory=dict)
    by_external_id: dict[str, StoredKey] = field(default_factory=dict)
    by_name: dict[tuple[str, str], StoredKey] = field(default_factory=dict)


@dataclass
class NodeRows:
    """One kind's part of a batch: the rows to write (`inputs`, named `at[i]` in errors)
    and the stored nodes named by id only (`refs`: (field, id), e.g. an event's artifact).

    Rows of one batch that carry the same key are one node (the last row wins). With
    `new_only`, a row without `id` must create its node: a stored node holding its
    external id or (type, name) refuses the batch (MLMD's create) instead of being
    updated. A row that changes nothing of its stored node is not written (its
    `updatedAt` stays) unless its position is in `touch` (MLMD moves a node's update
    time unless the client sends it back as stored). A row whose position `expect` maps
    to a time updates its node only if the node's `updatedAt` is still that time. Call `prepare` before
    sending, then `resolve` and `require_refs` with what came back.
    """

    kind: NodeKind
    inputs: Sequence[NodeInput] = ()
    at: Sequence[str] = ()
    refs: list[tuple[str, str]] = field(default_factory=list)
    new_only: bool = False
    touch: Collection[int] = ()
    expect: Mapping[int, int] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    sent_refs: list[str] = field(default_factory=list)
    types: list[dict[str, str]] = field(default_factory=list)
    _position: list[int] = field(default_factory=list)
    _ref_position: list[int] = field(default_factory=list)
    _type_error: LineageError | None = None
    _props_error: LineageError | None = None

    @classmethod
    def of(cls, kind: NodeKind, inputs: Sequence[NodeInput], where: str = "input",
           paths: Sequence[str] | None = None, *, new_only: bool = False,
           touch: Collection[int] = (), expect: Mapping[int, int] | None = None
           ) -> NodeRows:
        """Rows named `where[i]` in errors, or `paths[i]` when given (rows picked out of a
        larger request, e.g. `artifactEvents[3].artifact`); `new_only`, `touch`,
        `expect`: see the class.

        Raises:
            LimitExceeded: more rows than a batch may hold.
            InvalidInput: a row of the wrong kind.
        """
        bounded_batch(inputs, where)
        at = list(paths) if paths is not None else [f"{where}[{i}]" for i in range(len(inputs))]
        for i, item in enumerate(inputs):
            if not isinstance(item, _INPUTS[kind]):
                raise InvalidInput(f"{at[i]}: expected a {kind.value.lower()}", field=at[i])
        return cls(kind, inputs, at, new_only=new_only, touch=touch, expect=expect or {})

    def ref(self, where: str, node_id: str) -> int:
        """Name a stored node by id (an edge's end); returns its index among the refs."""
        self.refs.append((where, node_id))
        return len(self.refs) - 1

    def type_keys(self) -> set[tuple[str, str | None]]:
        return {(i.type, i.type_version) for i in self.inputs}

    def has_errors(self) -> bool:
        return self._type_error is not None or self._props_error is not None

    # -- before the statement ---------------------------------------------------------

    def prepare(self, types: Mapping[TypeKey, CheckedType], now: int, *,
                write: bool = True) -> None:
        """Build the statement's rows (writing ones unless `write` is false: then the rows
        only look their nodes up), checking every row against its type's schema in
        `types` (the batch's view: a key absent is a type that does not exist). An error
        is kept, not raised: `resolve` raises it in its turn."""
        self._type_error = self._props_error = None
        inputs, at = self.inputs, self.at
        keys = [_row_key(i, item) for i, item in enumerate(inputs)]
        last = {key: i for i, key in enumerate(keys)}
        order = sorted(last.values())
        slot = {keys[i]: s for s, i in enumerate(order)}
        self._position = [slot[key] for key in keys]
        checked_types: dict[tuple[str, str | None], tuple[CheckedType, int] | None] = {}
        self.types = []
        props: list[dict[str, Any] | None] = []
        for i, item in enumerate(inputs):
            type_key = (item.type, item.type_version)
            if type_key not in checked_types:
                checked = types.get(type_key)
                checked_types[type_key] = (checked, len(self.types)) if checked else None
                if checked is not None:
                    self.types.append({"name": item.type,
                                       "version": records.version_in(item.type_version),
                                       "schema": checked.schema})
            known = checked_types[type_key]
            if known is None:
                if self._type_error is None:
                    version = f" version {item.type_version!r}" if item.type_version else ""
                    self._type_error = NotFound(
                        f"{at[i]}.type: no {self.kind.value.lower()} type {item.type!r}"
                        f"{version}; register it first", field=f"{at[i]}.type")
                props.append(None)
                continue
            try:
                props.append(_props(item, known[0], at[i], now))
            except InvalidInput as error:
                self._props_error = self._props_error or error
                props.append(None)
        sent: list[dict[str, Any]] = []
        for i in order:
            item = inputs[i]
            row: dict[str, Any] = {"p": props[i] or _keys_only(item)}
            if write:
                known = checked_types[(item.type, item.type_version)]
                row.update(w=True, n=new_id(), t=known[1] if known else None)
                if item.mlmd_id is not None:
                    row["m"] = item.mlmd_id
                if self.new_only and item.id is None:
                    row["c"] = True
                if i in self.touch:
                    row["u"] = True
                if i in self.expect:
                    row["v"] = self.expect[i]
            if item.id is not None:
                row["i"] = item.id
            sent.append(row)
        by_id = {key[1]: slot[key] for key in slot if key[0] == "i"}
        self._ref_position = []
        self.sent_refs = []
        for _, node_id in self.refs:
            if node_id not in by_id:
                by_id[node_id] = len(sent) + len(self.sent_refs)
                self.sent_refs.append(node_id)
            self._ref_position.append(by_id[node_id])
        self.sent = sent

    def positions(self, ends: Sequence[int]) -> list[int]:
        """Where edge ends went among the statement's rows then refs: an end `i >= 0` is
        row `i` of `inputs`, an end `~j` (negative) is ref `j`."""
        rows, refs = self._position, self._ref_position
        return [rows[end] if end >= 0 else refs[~end] for end in ends]

    # -- after the statement ----------------------------------------------------------

    def stale(self, outcomes: Mapping[int, batch_rows.RowOutcome]) -> bool:
        """Whether a row's type no longer holds the schema it was checked against."""
        return any(o.mode == batch_rows.STALE for o in outcomes.values())

    def resolve(self, outcomes: Mapping[int, batch_rows.RowOutcome]) -> list[str]:
        """The ids of `inputs`, in order, from what the statement found and wrote (the
        rows absent from `outcomes` created their node).

        Raises, for the first row at fault in this order: NotFound (a type does not
        exist); Conflict (a `new_only` row's key is taken); FailedPrecondition (a row's
        node was updated since the time `expect` gives); NotFound or Conflict (an `id`
        names no node, a key belongs to another node, a row would change a node's type);
        InvalidInput (a property does not match its type).
        """
        if self._type_error is not None:
            raise self._type_error
        for i, item in enumerate(self.inputs):
            taken = outcomes.get(self._position[i])
            if taken is not None and taken.mode == batch_rows.TAKEN:
                raise _taken(self.kind, item, taken, self.at[i])
            if taken is not None and taken.mode == batch_rows.MOVED:
                raise FailedPrecondition(
                    f"{self.at[i]}: the {self.kind.value.lower()} was updated since "
                    f"{self.expect[i]} (its last update time given); read it again",
                    field=self.at[i])
        existing = _Existing()
        for k, outcome in outcomes.items():
            row = self.sent[k]
            if outcome.by_id is not None:
                existing.by_id[row["i"]] = outcome.by_id
            if outcome.by_external_id is not None:
                existing.by_external_id[row["p"]["externalId"]] = outcome.by_external_id
            if outcome.by_name is not None:
                existing.by_name[(row["p"]["type"], row["p"]["name"])] = outcome.by_name
        ids = []
        for i, item in enumerate(self.inputs):
            target = _target(self.kind, item, existing, self.at[i])
            ids.append(target.id if target is not None else
                       self.sent[self._position[i]].get("n", ""))
        if self._props_error is not None:
            raise self._props_error
        return ids

    def require_refs(self, outcomes: Mapping[int, batch_rows.RowOutcome],
                     found: Sequence[str | None]) -> None:
        """Raise `NotFound` naming the first ref whose node does not exist (`found`: the
        ids the statement found of `sent_refs`)."""
        rows = len(self.sent)
        for (where, node_id), position in zip(self.refs, self._ref_position, strict=True):
            row = outcomes.get(position)
            if (found[position - rows] is None if position >= rows
                    else row is not None and row.id is None):
                raise NotFound(f"{where}: no {self.kind.value.lower()} {node_id!r}",
                               field=where)

    def aliased(self, outcomes: Mapping[int, batch_rows.RowOutcome],
                found: Sequence[str | None]) -> bool:
        """Whether two rows or refs named one stored node (its id and its external id)."""
        ids = [o.id for o in outcomes.values() if o.id is not None]
        ids += [i for i in found if i is not None]
        return len(ids) != len(set(ids))

    def written(self, outcomes: Mapping[int, batch_rows.RowOutcome],
                found: Sequence[str | None]) -> bool:
        """Whether every row was written and every ref found."""
        return None not in found and all(
            o.id is not None and o.mode == batch_rows.UPDATE for o in outcomes.values())


def _taken(kind: NodeKind, item: NodeInput, outcome: batch_rows.RowOutcome, where: str
           ) -> Conflict:
    """The error of a row that had to create its node: which key a stored node holds."""
    noun = kind.value.lower()
    if outcome.by_external_id is not None:
        return Conflict(f"{where}.externalId: {item.external_id!r} belongs to another "
                        f"{noun}", field=f"{where}.externalId")
    return Conflict(f"{where}.name: a {noun} of type {item.type!r} named "
                    f"{getattr(item, 'name', None)!r} exists", field=f"{where}.name")


def _target(kind: NodeKind, item: NodeInput, existing: _Existing, where: str
            ) -> StoredKey | None:
    """The stored node a row updates, or None for a new node."""
    by_xid = existing.by_external_id.get(item.external_id) if item.external_id else None
    target: StoredKey | None
    if item.id is not None:
        target = existing.by_id.get(item.id)
        if target is None:
            raise NotFound(f"{where}.id: no {kind.value.lower()} {item.id!r}", field=f"{where}.id")
        if by_xid is not None and by_xid.id != item.id:
            raise Conflict(f"{where}.externalId: {item.external_id!r} belongs to another "
                           f"{kind.value.lower()}", field=f"{where}.externalId")
    elif by_xid is not None:
        target = by_xid
    elif isinstance(item, ContextInput):
        target = existing.by_name.get((item.type, item.name))
        if target is not None and item.external_id is not None and target.external_id not in (
                None, item.external_id):
            raise Conflict(f"{where}.name: context {item.type!r}/{item.name!r} exists "
                           "with another externalId", field=f"{where}.name")
    else:
        target = None
    if target is not None and (target.type, records.version_in(target.type_version)) != (
            item.type, records.version_in(item.type_version)):
        version = f" version {target.type_version!r}" if target.type_version else ""
        raise Conflict(f"{where}.type: {kind.value.lower()} {target.id!r} has type "
                       f"{target.type!r}{version}; a node's type cannot change",
                       field=f"{where}.type")
    return target


def _keys_only(item: NodeInput) -> dict[str, Any]:
    """What a row that is only looked up needs of its properties: its keys."""
    return {k: v for k, v in (("type", item.type), ("externalId", item.external_id),
                              ("name", getattr(item, "name", None))) if v is not None}


def _props(item: NodeInput, checked: CheckedType, where: str, now: int) -> dict[str, Any]:
    """The row as the node's stored properties (checked against its type), but its id."""
    props: dict[str, Any] = {
        "type": item.type,
        "typeVersion": records.version_in(item.type_version),
        "externalId": item.external_id,
        "name": getattr(item, "name", None),
        "createdAt": now,
        "updatedAt": now,
    }
    if isinstance(item, ArtifactInput):
        props["uri"] = item.uri
    if isinstance(item, ArtifactInput | ExecutionInput):
        props["state"] = item.state.value
    if item.properties:
        props.update(encode_declared(item.properties, checked.type.properties,
                                     f"{where}.properties"))
    if item.custom_properties:
        props.update(encode_custom(item.custom_properties, f"{where}.customProperties"))
    return {k: v for k, v in props.items() if v is not None}


def path_text(path: Sequence[str | int]) -> str:
    """An event path as stored: JSON text."""
    return json.dumps(list(path)) if path else "[]"
