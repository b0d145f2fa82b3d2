"""Kinds, element diffs and the three-way merge table, without a database."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.errors import InvalidInput
from graph_api.model.versioning import (
    Blob,
    BlobKind,
    ConflictType,
    MergeStrategy,
    Resolution,
    Take,
    TreeEntry,
)
from graph_api.services.versioning import kinds, refs
from graph_api.services.versioning.canonical import blob_sha
from graph_api.services.versioning.merge import three_way


def _blob(kind: BlobKind, content: dict[str, Any]) -> Blob:
    normal = kinds.normalise(kind, content)
    return Blob(blob_sha(kind.value, normal), kind, normal)


def _tree(blobs: dict[str, Blob]) -> dict[str, TreeEntry]:
    return {p: TreeEntry(p, b.kind, b.sha) for p, b in blobs.items()}


def test_requirements_are_a_set_keyed_by_pep503_name() -> None:
    a = _blob(BlobKind.ENVIRONMENT, {"requirements": ["Scikit_Learn==1.5", "numpy==2.0"]})
    b = _blob(BlobKind.ENVIRONMENT, {"requirements": ["numpy==2.0", "Scikit_Learn==1.5"]})
    assert a.sha == b.sha
    assert set(kinds.elements(a.kind, a.content)) == {"requirements.numpy",
                                                      "requirements.scikit-learn"}


def test_elements_rebuild_the_same_content() -> None:
    for kind, content in [
        (BlobKind.CONFIG, {"opt": {"lr": 0.1, "m": [1, 2]}, "seed": 1}),
        (BlobKind.DATASET, {"source": "s3", "uri": "s3://b/", "components": [
            {"path": "x", "sha256": "h", "size": 1}]}),
        (BlobKind.ENVIRONMENT, {"python": "3.12", "requirements": ["a==1"], "apt": ["git"],
                                "envVars": {"A": "1"}}),
    ]:
        blob = _blob(kind, content)
        assert kinds.content_of(kind, kinds.elements(kind, blob.content)) == blob.content


@pytest.mark.parametrize("text", ["", "a//b", "./a", "a/../b", "/a"])
def test_bad_paths_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        refs.path(text)


def test_a_blob_cannot_also_be_a_folder() -> None:
    assert refs.prefix_clash(["a", "a-b", "a/b"]) == ("a", "a/b")
    assert refs.prefix_clash(["a/b", "a/c"]) is None


def _merge(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
           **kw: Any) -> Any:
    blobs = {n: {p: _blob(BlobKind.CONFIG, c) for p, c in t.items()}
             for n, t in (("b", base), ("o", ours), ("t", theirs))}
    every = {b.sha: b for t in blobs.values() for b in t.values()}
    return three_way(_tree(blobs["b"]), _tree(blobs["o"]), _tree(blobs["t"]), every, **kw)


def test_change_against_delete_is_a_conflict_both_ways() -> None:
    base = {"x": {"a": 1}}
    assert [c.type for c in _merge(base, {}, {"x": {"a": 2}}).conflicts] == [
        ConflictType.DELETE_MODIFY]
    assert [c.type for c in _merge(base, {"x": {"a": 2}}, {}).conflicts] == [
        ConflictType.MODIFY_DELETE]


def test_different_adds_conflict_and_equal_changes_do_not() -> None:
    assert [c.type for c in _merge({}, {"x": {"a": 1}}, {"x": {"a": 2}}).conflicts] == [
        ConflictType.BOTH_ADDED]
    assert _merge({"x": {"a": 1}}, {"x": {"a": 2}}, {"x": {"a": 2}}).conflicts == []


def test_every_element_conflict_is_listed_and_resolutions_pick_each() -> None:
    base, ours, theirs = {"x": {"a": 1, "b": 1}}, {"x": {"a": 2, "b": 2}}, {"x": {"a": 3, "b": 3}}
    assert [c.element_key for c in _merge(base, ours, theirs).conflicts] == ["a", "b"]
    result = _merge(base, ours, theirs, resolutions=[
        Resolution("x", "a", Take.BASE), Resolution("x", "b", Take.VALUE, 9)])
    assert result.conflicts == []
    [blob] = result.new_blobs.values()
    assert blob.content == {"a": 1, "b": 9}
    assert _merge(base, ours, theirs, strategy=MergeStrategy.THEIRS).conflicts == []


def test_a_resolution_for_no_conflict_is_refused() -> None:
    with pytest.raises(InvalidInput, match="resolutions\\[0\\]"):
        _merge({}, {}, {}, resolutions=[Resolution("x", "a", Take.OURS)])
