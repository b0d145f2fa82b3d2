"""Diffs of trees and of blobs, per kind (pure functions over loaded trees and blobs)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from packaging.version import InvalidVersion, Version

from graph_api.model.versioning import (
    Blob,
    BlobKind,
    ChangeStatus,
    ElementChange,
    PathDiff,
    PathStatus,
    TreeEntry,
)
from graph_api.services.versioning import kinds
from graph_api.services.versioning.canonical import canonical

Tree = Mapping[str, TreeEntry]

_SECRET = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE)", re.I)


def same(a: Any, b: Any) -> bool:
    """Equal as ingredients: `1` and `1.0` differ, key order does not matter."""
    return a is b or canonical(a) == canonical(b)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _delta(before: Any, after: Any) -> float | None:
    b, a = _number(before), _number(after)
    return None if a is None or b is None else a - b


def _masked(key: str, value: Any) -> Any:
    """An env var whose name looks secret is shown as a hash of its value."""
    if not key.startswith("envVars.") or not _SECRET.search(key) or not isinstance(value, str):
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:16]


def _pinned(requirement: str) -> Version | None:
    spec = kinds.requirement_spec(requirement)
    if not spec.startswith("==") or spec.startswith("==="):
        return None
    try:
        return Version(spec[2:].strip())
    except InvalidVersion:
        return None


def _package_status(before: str, after: str) -> ChangeStatus:
    old, new = _pinned(before), _pinned(after)
    if old is not None and new is not None and old != new:
        return ChangeStatus.UPGRADED if new > old else ChangeStatus.DOWNGRADED
    return ChangeStatus.CHANGED


def _element_changes(kind: BlobKind, before: Mapping[str, Any], after: Mapping[str, Any]
                     ) -> list[ElementChange]:
    """Every element that differs, in key order; one entry per key (never remove+add)."""
    changes = []
    package = kind is BlobKind.ENVIRONMENT
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        is_package = package and key.startswith(("requirements.", "constraints."))
        if key not in before:
            status = ChangeStatus.ADDED
        elif key not in after:
            status = ChangeStatus.REMOVED if is_package else ChangeStatus.DELETED
        elif same(old, new):
            continue
        elif is_package:
            status = _package_status(str(old), str(new))
        else:
            status = ChangeStatus.MODIFIED
        changes.append(ElementChange(key, status, _masked(key, old), _masked(key, new),
                                     _delta(old, new) if kind is BlobKind.CONFIG else None))
    return changes


def _renames(changes: list[ElementChange]) -> list[ElementChange]:
    """A dataset component deleted at one path and added, unmodified (same hash), at another
    is one RENAMED entry."""
    def digest(value: Any) -> tuple[Any, ...] | None:
        if not isinstance(value, Mapping) or not (value.get("sha256") or value.get("md5")):
            return None
        return (value.get("sha256"), value.get("md5"), value.get("size"))

    deleted: dict[tuple[Any, ...], list[ElementChange]] = {}
    for c in changes:
        d = digest(c.before)
        if c.status is ChangeStatus.DELETED and not c.key.startswith("@") and d is not None:
            deleted.setdefault(d, []).append(c)
    renamed: dict[str, ElementChange] = {}
    out = []
    for c in changes:
        d = digest(c.after)
        candidates = deleted.get(d) if d is not None and c.status is ChangeStatus.ADDED else None
        if candidates and not c.key.startswith("@"):
            gone = candidates.pop(0)
            renamed[gone.key] = gone
            out.append(ElementChange(c.key, ChangeStatus.RENAMED, gone.before, c.after,
                                     renamed_from=gone.key))
        else:
            out.append(c)
    return [c for c in out if not (c.status is ChangeStatus.DELETED and c.key in renamed)]


def _size(elements: Mapping[str, Any]) -> int:
    return sum(v.get("size") or 0 for k, v in elements.items()
               if not k.startswith("@") and isinstance(v, Mapping))


def blob_diff(path: str, before: Blob, after: Blob) -> PathDiff:
    """A modified path of one kind, element by element."""
    old, new = kinds.elements(before.kind, before.content), kinds.elements(after.kind, after.content)
    changes = _element_changes(after.kind, old, new)
    counts = bytes_delta = None
    if after.kind is BlobKind.DATASET:
        changes = _renames(changes)
        counts = {s.value: sum(1 for c in changes if c.status is s and not c.key.startswith("@"))
                  for s in (ChangeStatus.ADDED, ChangeStatus.DELETED, ChangeStatus.MODIFIED,
                            ChangeStatus.RENAMED)}
        bytes_delta = _size(new) - _size(old)
    return PathDiff(path, PathStatus.MODIFIED, before.kind, after.kind, before.sha, after.sha,
                    changes, counts, bytes_delta)


def whole_blob(path: str, blob: Blob, added: bool) -> PathDiff:
    """An added or deleted path: every element ADDED (or DELETED)."""
    empty: dict[str, Any] = {}
    els = kinds.elements(blob.kind, blob.content)
    changes = _element_changes(blob.kind, empty if added else els, els if added else empty)
    status = PathStatus.ADDED if added else PathStatus.DELETED
    size = _size(els) if blob.kind is BlobKind.DATASET else None
    return PathDiff(path, status, None if added else blob.kind, blob.kind if added else None,
                    None if added else blob.sha, blob.sha if added else None, changes,
                    {"ADDED" if added else "DELETED": len(els)} if size is not None else None,
                    None if size is None else (size if added else -size))


def changed_paths(before: Tree, after: Tree) -> list[str]:
    """Paths whose blob differs between the two trees, in order."""
    return sorted(p for p in set(before) | set(after)
                  if (before[p].blob if p in before else None)
                  != (after[p].blob if p in after else None))


def tree_diff(before: Tree, after: Tree, blobs: Mapping[str, Blob]) -> list[PathDiff]:
    """Every changed path; `blobs` must hold the blobs of those paths on both sides."""
    out = []
    for path in changed_paths(before, after):
        old, new = before.get(path), after.get(path)
        if old is None and new is not None:
            out.append(whole_blob(path, blobs[new.blob], added=True))
        elif new is None and old is not None:
            out.append(whole_blob(path, blobs[old.blob], added=False))
        elif old is not None and new is not None and old.kind is not new.kind:
            out.append(PathDiff(path, PathStatus.KIND_CHANGED, old.kind, new.kind, old.blob,
                                new.blob))
        elif old is not None and new is not None:
            out.append(blob_diff(path, blobs[old.blob], blobs[new.blob]))
    return out
