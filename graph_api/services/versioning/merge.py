"""Three-way merge of trees, per path and then per element (pure functions).

The table is lakeFS's: a change on one side is taken; the same change on both sides is
taken; a change against a delete is a conflict (MODIFY_DELETE / DELETE_MODIFY, never a
silent survivor); two different adds are BOTH_ADDED; a kind change is KIND_CHANGED. A
path modified on both sides with one kind is merged element by element with the same
rules, a differing change to one element being BOTH_MODIFIED. Every conflict is
collected, so a client sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import InvalidInput
from graph_api.model.versioning import (
    Blob,
    BlobKind,
    Conflict,
    ConflictType,
    MergeStrategy,
    Resolution,
    Take,
    TreeEntry,
)
from graph_api.services.versioning import kinds
from graph_api.services.versioning.canonical import blob_sha
from graph_api.services.versioning.diff import same

Tree = Mapping[str, TreeEntry]
_MISSING: Any = object()


@dataclass
class MergeResult:
    """The merged tree (blobs by sha), the blobs the merge made, what was resolved and how,
    and the conflicts left unresolved."""

    tree: dict[str, TreeEntry] = field(default_factory=dict)
    new_blobs: dict[str, Blob] = field(default_factory=dict)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _blob_sha(e: TreeEntry | None) -> str | None:
    return e.blob if e is not None else None


def both_changed(base: Tree, ours: Tree, theirs: Tree) -> list[str]:
    """Paths changed on both sides, differently: the ones whose blobs a merge must read."""
    out = []
    for path in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = (_blob_sha(x.get(path)) for x in (base, ours, theirs))
        if o != t and o != b and t != b:
            out.append(path)
    return out


def _as_value(entry: TreeEntry | None, blobs: Mapping[str, Blob]) -> Any:
    if entry is None:
        return None
    return {"kind": entry.kind.value, "content": blobs[entry.blob].content}


class _Resolver:
    """Picks a side for each conflict: a per-element resolution, else the strategy."""

    def __init__(self, strategy: MergeStrategy, resolutions: Sequence[Resolution]) -> None:
        self.strategy = strategy
        self.by_key: dict[tuple[str, str | None], tuple[int, Resolution]] = {}
        for i, r in enumerate(resolutions):
            self.by_key[(r.path, r.element_key or None)] = (i, r)
        self.used: set[int] = set()

    def pick(self, conflict: Conflict) -> tuple[bool, Any, dict[str, Any] | None]:
        """(resolved, value, record): value is what the merge keeps (None: absent)."""
        key = (conflict.path, conflict.element_key)
        if key in self.by_key:
            i, r = self.by_key[key]
            self.used.add(i)
            value = {Take.OURS: conflict.ours, Take.THEIRS: conflict.theirs,
                     Take.BASE: conflict.base, Take.VALUE: r.value}[r.take]
            record = {"path": r.path, "elementKey": conflict.element_key, "take": r.take.value}
            if r.take is Take.VALUE:
                record["value"] = r.value
            return True, value, record
        if self.strategy is MergeStrategy.FAIL:
            return False, None, None
        value = conflict.ours if self.strategy is MergeStrategy.OURS else conflict.theirs
        return True, value, None

    def unused(self) -> None:
        """Raise for the first resolution that named no conflict."""
        for index, r in sorted(self.by_key.values(), key=lambda x: x[0]):
            if index not in self.used:
                where = f"resolutions[{index}]"
                what = f"{r.path!r}" + (f" element {r.element_key!r}" if r.element_key else "")
                raise InvalidInput(f"{where}: there is no conflict at {what}", field=where)


def _conflict_type(base: Any, ours: Any, theirs: Any) -> ConflictType:
    if base is _MISSING:
        return ConflictType.BOTH_ADDED
    if ours is _MISSING:
        return ConflictType.DELETE_MODIFY
    if theirs is _MISSING:
        return ConflictType.MODIFY_DELETE
    return ConflictType.BOTH_MODIFIED


def _value(v: Any) -> Any:
    return None if v is _MISSING else v


def _merge_elements(path: str, b: TreeEntry, o: TreeEntry, t: TreeEntry,
                    blobs: Mapping[str, Blob], resolver: _Resolver, out: MergeResult) -> None:
    kind = o.kind
    base = kinds.elements(kind, blobs[b.blob].content)
    ours = kinds.elements(kind, blobs[o.blob].content)
    theirs = kinds.elements(kind, blobs[t.blob].content)
    merged: dict[str, Any] = {}
    unresolved = False
    for key in sorted(set(base) | set(ours) | set(theirs)):
        bv, ov, tv = (x.get(key, _MISSING) for x in (base, ours, theirs))
        if (ov is not _MISSING and tv is not _MISSING and same(ov, tv)) or ov is tv:
            keep = ov
        elif (ov is not _MISSING and bv is not _MISSING and same(ov, bv)) or ov is bv:
            keep = tv
        elif (tv is not _MISSING and bv is not _MISSING and same(tv, bv)) or tv is bv:
            keep = ov
        else:
            conflict = Conflict(path, kind, key or None, _conflict_type(bv, ov, tv),
                                _value(bv), _value(ov), _value(tv))
            done, value, record = resolver.pick(conflict)
            if not done:
                out.conflicts.append(conflict)
                unresolved = True
                continue
            if record is not None:
                out.resolved.append(record)
            keep = _MISSING if value is None and (ov is _MISSING or tv is _MISSING
                                                  or bv is _MISSING) else value
        if keep is not _MISSING:
            merged[key] = keep
    if unresolved:
        return
    content = kinds.normalise(kind, kinds.content_of(kind, merged), f"merge of {path}")
    sha = blob_sha(kind.value, content)
    out.new_blobs[sha] = Blob(sha, kind, content)
    out.tree[path] = TreeEntry(path, kind, sha)


def _entry_of(path: str, value: Any, out: MergeResult) -> None:
    """Keep a path-level value: None deletes, {kind, content} is a blob."""
    if value is None:
        return
    try:
        kind = BlobKind(value["kind"])
        content = kinds.normalise(kind, value["content"], f"resolution of {path}")
    except (TypeError, KeyError, ValueError):
        raise InvalidInput(f"resolution of {path}: a value is {{kind, content}} or null",
                           field="resolutions") from None
    sha = blob_sha(kind.value, content)
    out.new_blobs[sha] = Blob(sha, kind, content)
    out.tree[path] = TreeEntry(path, kind, sha)


def three_way(base: Tree, ours: Tree, theirs: Tree, blobs: Mapping[str, Blob],
              strategy: MergeStrategy = MergeStrategy.FAIL,
              resolutions: Sequence[Resolution] = ()) -> MergeResult:
    """Merge `theirs` into `ours` from `base`; `blobs` holds the blobs of `both_changed`.

    Raises:
        InvalidInput: a resolution names no conflict, or its value does not fit.
    """
    out = MergeResult()
    resolver = _Resolver(strategy, resolutions)
    for path in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(path), ours.get(path), theirs.get(path)
        bs, os_, ts = _blob_sha(b), _blob_sha(o), _blob_sha(t)
        if os_ == ts or ts == bs:
            keep = o
        elif os_ == bs:
            keep = t
        elif b is not None and o is not None and t is not None \
                and b.kind is o.kind is t.kind:
            _merge_elements(path, b, o, t, blobs, resolver, out)
            continue
        else:
            if b is None:
                kind_ = ConflictType.BOTH_ADDED
            elif o is None:
                kind_ = ConflictType.DELETE_MODIFY
            elif t is None:
                kind_ = ConflictType.MODIFY_DELETE
            else:
                kind_ = ConflictType.KIND_CHANGED
            present = o or t or b
            conflict = Conflict(path, present.kind if present else None, None,
                                kind_, _as_value(b, blobs), _as_value(o, blobs),
                                _as_value(t, blobs))
            done, value, record = resolver.pick(conflict)
            if not done:
                out.conflicts.append(conflict)
                continue
            if record is not None:
                out.resolved.append(record)
            _entry_of(path, value, out)
            continue
        if keep is not None:
            out.tree[path] = keep
    resolver.unused()
    return out
