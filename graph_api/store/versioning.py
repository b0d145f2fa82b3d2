"""Versioning and registry rows: runs the `cypher/versioning/` statements and decodes them.

Blobs' content and commits' metadata are stored as canonical JSON text (maps are not
property values); they are decoded here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.model.versioning import (
    Alias,
    Blob,
    BlobKind,
    Commit,
    ModelVersion,
    RefUpdate,
    Repository,
    TreeEntry,
)
from graph_api.store.connection import Tx

#: Labels `append_ref_update` may be given: the refs that keep an audit log.
REF_LABELS = frozenset({"Branch", "Tag", "Alias"})

#: A time past every stored one: the first page of a newest-first listing.
END_OF_TIME = 2**62


@dataclass(frozen=True)
class StoredCommit:
    """A commit as history walks read it, with the blob it holds at a path (if asked)."""

    commit: Commit
    path_blob: str | None


@dataclass(frozen=True)
class Dependents:
    repo: str
    children: int
    branches: list[str]
    tags: list[str]
    root: bool
    runs: list[str]


@dataclass(frozen=True)
class RunLink:
    run_id: str
    commit: str | None
    repo: str | None
    keys: dict[str, str]


@dataclass(frozen=True)
class Registration:
    artifact_id: str
    registered_model: str | None
    registered_version: int | None
    latest: int | None


def _commit(row: Mapping[str, Any]) -> StoredCommit:
    return StoredCommit(Commit(
        sha=row["sha"], repo=row["repo"], message=row["message"], author=row["author"],
        created_at=row["createdAt"], generation=row["generation"], tree_sha=row["treeSha"],
        parents=list(row["parents"] or []), metadata=json.loads(row["metadata"] or "{}"),
    ), row.get("pathBlob"))


def _repository(row: Mapping[str, Any]) -> Repository:
    return Repository(row["name"], row["defaultBranch"], list(row["protected"] or []),
                      row["createdAt"], row["root"])


def _update(row: Mapping[str, Any]) -> RefUpdate:
    return RefUpdate(row["id"], row["ref"], row["refType"], row["op"], row.get("from"),
                     row.get("to"), row["actor"], row["at"], row.get("reason"),
                     row.get("promotionId"))


# -- objects ------------------------------------------------------------------------------------

async def put_objects(tx: Tx, blobs: Sequence[tuple[Blob, str, Mapping[str, Any]]],
                      trees: Sequence[tuple[str, Mapping[str, TreeEntry]]],
                      commits: Sequence[Commit]) -> None:
    """Write blobs (each with its canonical text and indexed summaries), trees and commits
    in one statement; objects that exist already are left as they are."""
    await tx.run("versioning/put_objects", {
        "blobs": [{"sha": b.sha, "kind": b.kind.value, "content": text, **summary}
                  for b, text, summary in blobs],
        "trees": [{"sha": sha, "paths": sorted(entries),
                   "blobs": [entries[p].blob for p in sorted(entries)],
                   "kinds": [entries[p].kind.value for p in sorted(entries)]}
                  for sha, entries in trees],
        "commits": [{"sha": c.sha, "repo": c.repo, "message": c.message, "author": c.author,
                     "createdAt": c.created_at, "generation": c.generation,
                     "treeSha": c.tree_sha, "parents": c.parents,
                     "metadata": json.dumps(c.metadata, sort_keys=True)} for c in commits],
    })


async def commits_by_sha(tx: Tx, shas: Sequence[str], path: str | None = None
                         ) -> list[StoredCommit]:
    row = await tx.single("versioning/commits_by_sha", {"shas": list(shas), "path": path})
    return [_commit(c) for c in row["commits"]]


async def commit_window(tx: Tx, repo: str, lo: int, hi: int, limit: int,
                        path: str | None = None) -> list[StoredCommit]:
    """A repository's commits with generation in [lo, hi], highest first, at most `limit`."""
    row = await tx.single("versioning/commit_window",
                          {"repo": repo, "lo": lo, "hi": hi, "limit": limit, "path": path})
    return [_commit(c) for c in row["commits"]]


async def trees(tx: Tx, shas: Sequence[str]) -> dict[str, dict[str, TreeEntry]]:
    row = await tx.single("versioning/trees", {"shas": sorted(set(shas))})
    return {t["sha"]: {p: TreeEntry(p, BlobKind(k), b)
                       for p, b, k in zip(t["paths"], t["blobs"], t["kinds"], strict=True)}
            for t in row["trees"]}


async def blobs(tx: Tx, shas: Sequence[str]) -> dict[str, Blob]:
    row = await tx.single("versioning/blobs", {"shas": sorted(set(shas))})
    return {b["sha"]: Blob(b["sha"], BlobKind(b["kind"]), json.loads(b["content"]))
            for b in row["blobs"]}


# -- repositories and refs ----------------------------------------------------------------------

async def repository(tx: Tx, name: str) -> Repository | None:
    rows = await tx.run("versioning/repository", {"name": name})
    return _repository(rows[0]["repository"]) if rows else None


async def repositories(tx: Tx, after: str, limit: int) -> list[Repository]:
    row = await tx.single("versioning/repositories", {"after": after, "limit": limit})
    return [_repository(r) for r in row["repositories"]]


async def create_repository(tx: Tx, name: str, default_branch: str, protected: Sequence[str],
                            now: int, root: str) -> None:
    await tx.run("versioning/create_repository", {
        "name": name, "defaultBranch": default_branch, "protected": list(protected),
        "now": now, "root": root})


async def resolve_ref(tx: Tx, repo: str, name: str) -> tuple[str | None, str | None, list[str]]:
    """(branch head, tag target, up to two commits with `name` as sha prefix)."""
    row = await tx.single("versioning/resolve_ref", {
        "repo": repo, "name": name, "branchKey": f"{repo}/{name}", "tagKey": f"{repo}/{name}"})
    return row["branch"], row["tag"], list(row["shas"])


async def lock_branch(tx: Tx, key: str, token: str) -> str | None:
    """Lock the branch for this transaction; its head (None: no such branch)."""
    rows = await tx.run("versioning/lock_branch", {"key": key, "token": token})
    return rows[0]["head"] if rows else None


async def set_head(tx: Tx, key: str, expected: str, to: str) -> bool:
    row = await tx.single("versioning/set_head", {"key": key, "expected": expected, "to": to})
    return bool(row["moved"])


async def create_branch(tx: Tx, repo: str, name: str, head: str) -> None:
    await tx.run("versioning/create_branch",
                 {"key": f"{repo}/{name}", "repo": repo, "name": name, "head": head})


async def delete_branch(tx: Tx, key: str) -> bool:
    row = await tx.single("versioning/delete_branch", {"key": key})
    return bool(row["deleted"])


async def delete_tag(tx: Tx, key: str) -> bool:
    row = await tx.single("versioning/delete_tag", {"key": key})
    return bool(row["deleted"])


async def branches(tx: Tx, repo: str, after: str, limit: int) -> list[tuple[str, str]]:
    row = await tx.single("versioning/branches", {"repo": repo, "after": after, "limit": limit})
    return [(b["name"], b["head"]) for b in row["branches"]]


async def tags(tx: Tx, repo: str, after: str, limit: int) -> list[tuple[str, str]]:
    row = await tx.single("versioning/tags", {"repo": repo, "after": after, "limit": limit})
    return [(t["name"], t["target"]) for t in row["tags"]]


async def create_tag(tx: Tx, repo: str, name: str, target: str) -> None:
    await tx.run("versioning/create_tag",
                 {"key": f"{repo}/{name}", "repo": repo, "name": name, "target": target})


async def append_ref_update(tx: Tx, label: str, key: str, *, update_id: str, op: str,
                            from_: str | None, to: str | None, actor: str, now: int,
                            reason: str | None, promotion_id: str | None) -> RefUpdate:
    """Log a move of the ref `key` (a `label` node: Branch, Tag or Alias)."""
    if label not in REF_LABELS:
        raise ValueError(f"not a ref label: {label!r}")
    row = await tx.single("versioning/append_ref_update", {
        "key": key, "id": update_id, "refType": label.lower(), "op": op, "from": from_,
        "to": to, "actor": actor, "now": now, "reason": reason, "promotionId": promotion_id,
    }, {"label": label})
    return _update(row["update"])


async def ref_history(tx: Tx, ref: str, as_of: int | None, after: tuple[int, str] | None,
                      limit: int) -> list[RefUpdate]:
    after_at, after_id = after if after is not None else (END_OF_TIME, "")
    if after is None:
        after_id = "\U0010ffff"  # past every id: the newest entry qualifies
    row = await tx.single("versioning/ref_history", {
        "ref": ref, "asOf": END_OF_TIME if as_of is None else as_of, "afterAt": after_at,
        "afterId": after_id, "limit": limit})
    return [_update(u) for u in row["updates"]]


async def refs_as_of(tx: Tx, refs: Sequence[str], as_of: int) -> dict[str, RefUpdate]:
    row = await tx.single("versioning/refs_as_of", {"refs": list(refs), "asOf": as_of})
    return {u["ref"]: _update(u) for u in row["updates"]}


# -- commits, runs --------------------------------------------------------------------------------

async def commit_dependents(tx: Tx, sha: str, limit: int = 10) -> Dependents | None:
    rows = await tx.run("versioning/commit_dependents", {"sha": sha, "limit": limit})
    if not rows:
        return None
    r = rows[0]
    return Dependents(r["repo"], r["children"], list(r["branches"]), list(r["tags"]),
                      bool(r["root"]), list(r["runs"]))


async def delete_commit(tx: Tx, sha: str) -> None:
    await tx.run("versioning/delete_commit", {"sha": sha})


async def run_ingredients(tx: Tx, run_ids: Sequence[str]) -> dict[str, RunLink]:
    """The runs that exist, each with the commit it used (if any)."""
    row = await tx.single("versioning/run_ingredients", {"runIds": list(run_ids)})
    return {r["runId"]: RunLink(r["runId"], r["commit"], r["repo"],
                                json.loads(r["keys"]) if r["keys"] else {})
            for r in row["runs"]}


async def put_ingredients(tx: Tx, commit: str, run_id: str, keys: Mapping[str, str],
                          pins: Sequence[tuple[str, str]]) -> str | None:
    """Link the run; the id of the earlier run of the commit it reproduces, if any."""
    row = await tx.single("versioning/put_ingredients", {
        "commit": commit, "runId": run_id, "keys": json.dumps(dict(keys), sort_keys=True),
        "pins": [{"blob": b, "artifactId": a} for b, a in pins]})
    reproduces: str | None = row["reproduces"]
    return reproduces


# -- registry -------------------------------------------------------------------------------------

def _version(row: Mapping[str, Any]) -> ModelVersion:
    return ModelVersion(row["model"], row["version"], row["artifactId"], row["createdAt"],
                        row.get("runId"), row.get("commit"), row.get("repo"),
                        sorted(row.get("aliases") or []))


async def artifact_registration(tx: Tx, artifact_id: str, model: str) -> Registration | None:
    rows = await tx.run("versioning/artifact_registration",
                        {"artifactId": artifact_id, "model": model})
    if not rows:
        return None
    r = rows[0]
    return Registration(r["artifactId"], r["registeredModel"], r["registeredVersion"],
                        r["latest"])


async def create_version(tx: Tx, model: str, version: int, artifact_id: str, context_id: str,
                         now: int) -> None:
    await tx.run("versioning/create_version", {
        "key": f"{model}/{version}", "model": model, "version": version,
        "artifactId": artifact_id, "contextId": context_id, "now": now})


async def model_versions(tx: Tx, model: str, after: int, limit: int) -> list[ModelVersion]:
    row = await tx.single("versioning/model_versions",
                          {"model": model, "after": after, "limit": limit})
    return [_version(v) for v in row["versions"]]


async def lock_alias(tx: Tx, key: str, token: str) -> tuple[bool, int | None]:
    """Lock the alias for this transaction: (whether it exists, its version)."""
    rows = await tx.run("versioning/lock_alias", {"key": key, "token": token})
    return (True, rows[0]["version"]) if rows else (False, None)


async def set_alias(tx: Tx, model: str, name: str, version: int, context_id: str,
                    now: int) -> None:
    await tx.run("versioning/set_alias", {
        "key": f"{model}@{name}", "model": model, "name": name, "version": version,
        "versionKey": f"{model}/{version}", "contextId": context_id, "now": now})


async def aliases(tx: Tx, model: str | None, after: tuple[str, str] | None, limit: int
                  ) -> list[Alias]:
    after_model, after_name = after or ("", "")
    row = await tx.single("versioning/aliases", {
        "model": model, "afterModel": after_model, "afterName": after_name, "limit": limit})
    return [Alias(a["model"], a["name"], a["version"], a["updatedAt"] or 0)
            for a in row["aliases"]]


async def ingredient_impact(tx: Tx, artifact_id: str, limit: int) -> dict[str, Any] | None:
    rows = await tx.run("versioning/ingredient_impact",
                        {"artifactId": artifact_id, "limit": limit})
    return dict(rows[0]) if rows else None


async def versions_by_key(tx: Tx, keys: Sequence[str]) -> dict[str, ModelVersion]:
    """Model versions by `model/version` key; missing ones are absent."""
    row = await tx.single("versioning/versions_by_key", {"keys": list(keys)})
    return {f"{v['model']}/{v['version']}": _version(v) for v in row["versions"]}


async def registered_model(tx: Tx, name: str) -> str | None:
    """The id of the registered model's context, or None."""
    rows = await tx.run("versioning/registered_model", {"name": name})
    return rows[0]["id"] if rows else None


async def put_deployment(tx: Tx, name: str, environment: str | None, endpoint: str | None,
                         alias: str | None, version: str | None, now: int) -> bool:
    """Create or update a deployment serving an alias or a version; whether the target
    exists (nothing is served otherwise)."""
    row = await tx.single("versioning/put_deployment", {
        "name": name, "environment": environment, "endpoint": endpoint, "alias": alias,
        "version": version, "now": now})
    return bool(row["serves"])
