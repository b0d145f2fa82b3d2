"""Artifact, execution and context types: registration with MLMD's evolution rules."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import BASE_TYPES, NodeKind
from graph_api.model.types import NodeType, TypeInput
from graph_api.store import types as type_rows
from graph_api.store.connection import Database, Tx
from graph_api.store.properties import validate_schema_names


def merged_schema(
    stored: NodeType, new: TypeInput, *, can_add_fields: bool, can_omit_fields: bool
) -> dict[str, str]:
    """The schema after re-registering `stored` as `new`, by MLMD's rules.

    Raises:
        Conflict: a property changes type, or fields are added / omitted without the
            matching `can_add_fields` / `can_omit_fields`.
    """
    old, incoming = stored.properties, new.properties
    for name in old.keys() & incoming.keys():
        if old[name] != incoming[name]:
            raise Conflict(
                f"properties.{name}: type {stored.name!r} declares it {old[name].value}, "
                f"not {incoming[name].value}",
                field=f"properties.{name}",
            )
    added = sorted(incoming.keys() - old.keys())
    omitted = sorted(old.keys() - incoming.keys())
    if added and not can_add_fields:
        raise Conflict(
            f"properties: type {stored.name!r} exists without {', '.join(added)}; "
            "set canAddFields to add properties",
            field="properties",
        )
    if omitted and not can_omit_fields:
        raise Conflict(
            f"properties: type {stored.name!r} also declares {', '.join(omitted)}; "
            "set canOmitFields to register it without them",
            field="properties",
        )
    return {k: v.value for k, v in {**old, **incoming}.items()}


def _check(kind: NodeKind, spec: TypeInput) -> None:
    validate_schema_names(spec.properties, "properties")
    if spec.base_type is not None and spec.base_type not in BASE_TYPES[kind]:
        allowed = ", ".join(sorted(BASE_TYPES[kind])) or "none"
        raise InvalidInput(
            f"baseType: {spec.base_type!r} is not a {kind.value.lower()} base type "
            f"(allowed: {allowed})",
            field="baseType",
        )


@dataclass(frozen=True, slots=True)
class CheckedType:
    """A stored type and its schema as stored (JSON text)."""

    type: NodeType
    schema: str


#: A type's key: its name and version (None or '' when unversioned).
TypeKey = tuple[str, str | None]


class TypeCache:
    """The types batch writes check their rows against, kept between requests.

    A batch write's statement checks that each type it writes still holds the schema the
    rows were checked against (`cypher/write/put_batch.cypher`), so an entry that went
    stale — the type evolved in another process, or a wiped database registered it anew —
    costs one more attempt, never a wrong check.

    Concurrent requests share the cache and forget or read entries anew at any await
    (a registration forgets its type), so a batch never checks its rows against the
    cache itself: it takes its own `view` of the types it writes.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[NodeKind, str, str | None], CheckedType] = {}

    def get(self, kind: NodeKind, name: str, version: str | None) -> CheckedType | None:
        return self._known.get((kind, name, version))

    async def view(self, tx: Tx, kind: NodeKind, keys: Iterable[TypeKey]
                   ) -> dict[TypeKey, CheckedType]:
        """These types as one batch checks its rows against them: the cached ones, and
        the others read now (one round trip, and cached); keys of no stored type are
        left out. The answer is the caller's own: what other requests forget or read
        meanwhile does not take a type out of it."""
        wanted = set(keys)
        found = {key: t for key in wanted if (t := self.get(kind, *key)) is not None}
        found.update(await self.load(tx, kind, wanted - found.keys()))
        return found

    async def load(self, tx: Tx, kind: NodeKind, keys: Iterable[TypeKey]
                   ) -> dict[TypeKey, CheckedType]:
        """Read these types anew (one round trip) and cache them; the ones not found are
        forgotten. Returns the ones found, by the keys asked for."""
        wanted = set(keys)
        if not wanted:
            return {}
        # Entries are replaced only once read: a key popped before the read would be
        # missing, for the other requests, for as long as the read takes.
        stored = {(t.name, t.version or None): CheckedType(t, schema)
                  for t, schema in await type_rows.with_schemas(tx, kind, wanted)}
        found: dict[TypeKey, CheckedType] = {}
        for name, version in wanted:
            checked = stored.get((name, version or None))
            if checked is None:
                self._known.pop((kind, name, version), None)
            else:
                self._known[(kind, name, version)] = found[(name, version)] = checked
        return found

    def forget(self, kind: NodeKind, name: str, version: str | None) -> None:
        for key in {version, version or None}:
            self._known.pop((kind, name, key), None)


class TypeService:
    """Registers and reads node types."""

    def __init__(self, db: Database, cache: TypeCache | None = None) -> None:
        self.db = db
        self.cache = cache or TypeCache()

    async def put(self, kind: NodeKind, spec: TypeInput, *, can_add_fields: bool = False,
                  can_omit_fields: bool = False) -> NodeType:
        """Register a type (MLMD `put_*_type`).

        An identical re-registration returns the stored type. A changed schema is
        accepted when it only adds fields (with `can_add_fields`) or omits stored fields
        (with `can_omit_fields`; the stored fields are kept).

        Raises:
            InvalidInput: a bad property name or an unknown base type.
            Conflict: any other change to a stored type.
        """
        _check(kind, spec)

        async def work(tx: Tx) -> NodeType:
            existing = await type_rows.by_keys(tx, kind, [(spec.name, spec.version)])
            schema = {k: v.value for k, v in spec.properties.items()}
            base_type, description = spec.base_type, spec.description
            external_id = spec.external_id
            if existing:
                stored = existing[0]
                schema = merged_schema(stored, spec, can_add_fields=can_add_fields,
                                       can_omit_fields=can_omit_fields)
                if base_type is not None and stored.base_type not in (None, base_type):
                    raise Conflict(
                        f"baseType: type {stored.name!r} has base type {stored.base_type}",
                        field="baseType",
                    )
                base_type = base_type or stored.base_type
                description = description if description is not None else stored.description
                external_id = external_id if external_id is not None else stored.external_id
                if (schema == {k: v.value for k, v in stored.properties.items()}
                        and base_type == stored.base_type
                        and description == stored.description
                        and external_id == stored.external_id
                        and stored.mlmd_id is not None):
                    return stored
            return await type_rows.save(
                tx, kind, new_id=new_id(), name=spec.name, version=spec.version,
                base_type=base_type, description=description, external_id=external_id,
                schema=schema, now=int(time.time() * 1000), mlmd_id=spec.mlmd_id)

        try:
            return await self.db.write(work)
        finally:
            self.cache.forget(kind, spec.name, spec.version)

    async def get(self, kind: NodeKind, name: str, version: str | None = None) -> NodeType:
        """One type by (name, version).

        Raises:
            NotFound: no such type.
        """
        found = await self.by_keys(kind, [(name, version)])
        if not found:
            suffix = f" version {version!r}" if version else ""
            raise NotFound(f"type: no {kind.value.lower()} type {name!r}{suffix}", field="type")
        return found[0]

    async def by_keys(self, kind: NodeKind, keys: Sequence[tuple[str, str | None]]
                      ) -> list[NodeType]:
        """Types of `kind` by (name, version), in one round trip, in no particular order;
        unknown keys are left out."""

        async def work(tx: Tx) -> list[NodeType]:
            return await type_rows.by_keys(tx, kind, keys)

        return await self.db.read(work) if keys else []

    async def list(self, kind: NodeKind) -> list[NodeType]:
        """Every type of `kind`, ordered by name and version."""

        async def work(tx: Tx) -> list[NodeType]:
            return await type_rows.every(tx, kind)

        return await self.db.read(work)
