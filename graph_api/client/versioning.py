"""Versioned ingredients and the model registry, from Python.

    repo = await client.repository("churn")            # created if new
    c = await repo.branch("dev").commit("lr 0.05", {
        "config/train": Config({"lr": 0.05}), "data/train": Dataset.from_path("./data"),
        "env/python": Environment.capture(), "code": Code.from_git(".")})
    await run.use_ingredients(c, keys={"train_data": "data/train"})
    mv = await run.log_model("s3://b/m.pkl", register="churn")
    await client.promote("churn", version=mv.version, alias="champion", branch="prod")
    recipe = await client.reproduce(alias=("churn", "champion"))

Refusals that are part of the API (a stale head, a protected branch, no changes, a
conflicted merge, a retrain required) raise `Refused`, carrying the server's answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import platform
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_api.client.errors import Conflict

if TYPE_CHECKING:
    from graph_api.client.client import AsyncLineageClient


class Refused(Conflict):
    """The server refused a versioning write as its API says it may (nothing was written):
    `reason` is the answer's type (StaleHead, ProtectedBranch, NoChanges, Conflicted,
    RetrainRequired, TagExists, StaleAlias, NotFastForward), `details` its fields."""

    def __init__(self, reason: str, details: Mapping[str, Any]) -> None:
        super().__init__(f"{reason}: {json.dumps(dict(details), default=str)[:500]}")
        self.reason = reason
        self.details = dict(details)


# -- ingredients ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Ingredient:
    """A blob to commit: its kind (GraphQL `BlobKind`) and content."""

    kind: str
    content: dict[str, Any]

    def change(self, path: str) -> dict[str, Any]:
        return {"path": path, "kind": self.kind, "content": self.content}


def Config(values: Mapping[str, Any]) -> Ingredient:
    """Hyperparameters and settings (nested objects are dotted keys)."""
    return Ingredient("CONFIG", dict(values))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Dataset:
    """Data: a local folder or file hashed per file, or a remote uri."""

    @staticmethod
    def from_path(location: str, components: list[dict[str, Any]] | None = None) -> Ingredient:
        """A local path is hashed file by file (sha256, size); a remote uri (`s3://…`) is
        taken with the `components` given (without them, not reproducible)."""
        local = Path(location)
        if "://" not in location and local.exists():
            files = sorted(p for p in ([local] if local.is_file() else local.rglob("*"))
                           if p.is_file())
            root = local.parent if local.is_file() else local
            components = [{"path": p.relative_to(root).as_posix(), "sha256": _sha256(p),
                           "size": p.stat().st_size} for p in files]
            return Ingredient("DATASET", {"source": "path", "uri": local.resolve().as_uri(),
                                          "components": components})
        source = "s3" if location.startswith("s3://") else "path"
        return Ingredient("DATASET", {"source": source, "uri": location,
                                      "components": components or []})

    @staticmethod
    def external(system: str, ref: str, uri: str | None = None) -> Ingredient:
        """A pin held elsewhere: a lakeFS commit, a DVC `.dir` md5, a HF revision."""
        pin = {"source": "external", "external": {"system": system, "ref": ref}}
        return Ingredient("DATASET", pin | ({"uri": uri} if uri else {}))


class Environment:
    """The Python environment."""

    @staticmethod
    def capture() -> Ingredient:
        """This interpreter: its version and every installed distribution, pinned (==)."""
        requirements = {}
        for dist in importlib.metadata.distributions():
            name = dist.metadata["Name"]
            if name:
                requirements[name.lower()] = f"{name}=={dist.version}"
        return Ingredient("ENVIRONMENT", {"python": platform.python_version(),
                                          "requirements": sorted(requirements.values())})


class Code:
    """Source code."""

    @staticmethod
    def from_git(path: str = ".") -> Ingredient:
        """The git checkout at `path`: remote, commit, and whether it is dirty (with the
        hash of the uncommitted diff, so a dirty run can still be reproduced)."""
        def git(*args: str) -> str:
            return subprocess.run(["git", "-C", path, *args], check=True, capture_output=True,
                                  text=True).stdout.strip()

        commit = git("rev-parse", "HEAD")
        try:
            remote = git("config", "--get", "remote.origin.url")
        except subprocess.CalledProcessError:
            remote = Path(path).resolve().as_uri()
        diff = git("diff", "HEAD")
        content: dict[str, Any] = {"repo": remote, "commit": commit, "dirty": bool(diff)}
        if diff:
            content["patchSha"] = hashlib.sha256(diff.encode()).hexdigest()
        return Ingredient("CODE", {"git": content})


# -- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommitInfo:
    sha: str
    repo: str
    message: str
    author: str
    parents: list[str]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class MergeInfo:
    """What a merge did: `outcome` is Merged, FastForwarded, UpToDate or (dry run)
    Conflicted; `conflicts` lists every conflict."""

    outcome: str
    commit: str | None
    base: str | None
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Recipe:
    """What `reproduce` answers; `materialize(folder)` writes it out."""

    commit: str
    repository: str
    reproducible: bool
    warnings: list[str]
    code: list[dict[str, Any]]
    config: dict[str, dict[str, Any]]
    data: list[dict[str, Any]]
    environment: list[dict[str, Any]]

    def materialize(self, folder: str | Path) -> Path:
        """Write recipe.json, one config/<path>.json per config blob and a pinned
        requirements.txt per environment; return the folder."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        (out / "recipe.json").write_text(json.dumps(self.__dict__, indent=2, sort_keys=True))
        for path, values in self.config.items():
            target = out / "config" / f"{path.replace('/', '__')}.json"
            target.parent.mkdir(exist_ok=True)
            target.write_text(json.dumps(values, indent=2, sort_keys=True))
        for env in self.environment:
            name = env["path"].replace("/", "__")
            (out / f"requirements-{name}.txt").write_text(
                "".join(r + "\n" for r in env["requirements"]))
        return out


_COMMIT_RESULT = """__typename
  ... on Committed { commit { sha repo message author parents metadata } }
  ... on StaleHead { branch expected current } ... on ProtectedBranch { branch message }
  ... on NoChanges { head }"""
_MERGE_RESULT = """__typename
  ... on Merged { commit { sha } base dryRun }
  ... on FastForwarded { commit { sha } previous } ... on UpToDate { head }
  ... on Conflicted { base ours theirs conflicts { edges { node {
        path kind elementKey type base ours theirs } } } }
  ... on StaleHead { branch expected current } ... on ProtectedBranch { branch message }"""


def _commit_info(c: Mapping[str, Any]) -> CommitInfo:
    return CommitInfo(c["sha"], c["repo"], c["message"], c["author"], c["parents"],
                      c["metadata"])


def _merge_info(result: Mapping[str, Any], dry_run: bool) -> MergeInfo:
    kind = result["__typename"]
    if kind == "Conflicted" and dry_run:
        return MergeInfo(kind, None, result["base"],
                         [e["node"] for e in result["conflicts"]["edges"]])
    if kind not in ("Merged", "FastForwarded", "UpToDate"):
        raise Refused(kind, result)
    commit = result["commit"]["sha"] if "commit" in result else result.get("head")
    return MergeInfo(kind, commit, result.get("base"))


class AsyncBranch:
    """A branch of a repository: `await repo.branch("dev").commit(message, {path: …})`."""

    def __init__(self, repo: AsyncRepository, name: str) -> None:
        self.repo = repo
        self.name = name

    def __repr__(self) -> str:
        return f"AsyncBranch({self.repo.name!r}, {self.name!r})"

    async def commit(self, message: str, changes: Mapping[str, Ingredient | None], *,
                     expected_head: str | None = None, author: str = "anonymous"
                     ) -> CommitInfo:
        """Commit `changes` (path -> ingredient; None deletes the path) onto the branch.

        Raises:
            Refused: StaleHead (the branch moved from `expected_head`), ProtectedBranch,
                NoChanges.
        """
        data = await self.repo.client.transport.execute(
            f"mutation($i: CommitInput!) {{ commit(input: $i) {{ {_COMMIT_RESULT} }} }}",
            {"i": {"repo": self.repo.name, "branch": self.name, "message": message,
                   "expectedHead": expected_head, "author": author,
                   "changes": [{"path": p, "delete": True} if v is None else v.change(p)
                               for p, v in changes.items()]}}, idempotent=False)
        result = data["commit"]
        if result["__typename"] != "Committed":
            raise Refused(result["__typename"], result)
        return _commit_info(result["commit"])


class AsyncRepository:
    """A repository of versioned ingredients (see `AsyncLineageClient.repository`)."""

    def __init__(self, client: AsyncLineageClient, name: str) -> None:
        self.client = client
        self.name = name

    def __repr__(self) -> str:
        return f"AsyncRepository({self.name!r})"

    def branch(self, name: str) -> AsyncBranch:
        return AsyncBranch(self, name)

    async def create_branch(self, name: str, from_: str) -> str:
        """Create a branch at a ref; returns its head."""
        data = await self.client.transport.execute(
            "mutation($r: String!, $n: String!, $f: String!) { createBranch(repo: $r, "
            "name: $n, from: $f) { head } }", {"r": self.name, "n": name, "f": from_},
            idempotent=False)
        head: str = data["createBranch"]["head"]
        return head

    async def diff(self, from_: str, to: str, mode: str = "THREE_DOT") -> list[dict[str, Any]]:
        """The changed paths with their element changes (the first 1,000 of each)."""
        data = await self.client.transport.execute(
            """query($r: String!, $f: String!, $t: String!, $m: DiffMode!) {
              repository(name: $r) { diff(from: $f, to: $t, mode: $m) {
                paths(first: 1000) { edges { node { path status counts bytesDelta
                  changes(first: 1000) { edges { node { key status before after delta
                    renamedFrom } } } } } } } } }""",
            {"r": self.name, "f": from_, "t": to, "m": mode})
        paths = [e["node"] for e in data["repository"]["diff"]["paths"]["edges"]]
        for p in paths:
            p["changes"] = [e["node"] for e in p["changes"]["edges"]]
        return paths

    async def merge(self, source: str, *, into: str, dry_run: bool = False,
                    strategy: str = "FAIL", resolutions: list[dict[str, Any]] | None = None,
                    message: str | None = None) -> MergeInfo:
        """Merge `source` into branch `into`. A dry run returns the conflicts (in
        `.conflicts`) instead of raising.

        Raises:
            Refused: Conflicted (not a dry run), StaleHead, ProtectedBranch.
        """
        data = await self.client.transport.execute(
            f"mutation($i: MergeInput!) {{ merge(input: $i) {{ {_MERGE_RESULT} }} }}",
            {"i": {"repo": self.name, "source": source, "into": into, "dryRun": dry_run,
                   "strategy": strategy, "resolutions": resolutions or [],
                   "message": message}}, idempotent=dry_run)
        return _merge_info(data["merge"], dry_run)

    async def revert(self, commit: str, *, onto: str, parent: int | None = None) -> MergeInfo:
        """Undo `commit` on branch `onto` (a merge commit needs `parent`)."""
        data = await self.client.transport.execute(
            f"mutation($i: RevertInput!) {{ revert(input: $i) {{ {_MERGE_RESULT} }} }}",
            {"i": {"repo": self.name, "commit": commit, "onto": onto, "parent": parent}},
            idempotent=False)
        return _merge_info(data["revert"], False)

    async def log(self, ref: str, *, path: str | None = None, first_parent: bool = False,
                  limit: int = 100, page_size: int = 100) -> list[CommitInfo]:
        """Up to `limit` commits reachable from `ref`, newest first (read page by page)."""
        after = None
        out: list[CommitInfo] = []
        while len(out) < limit:
            data = await self.client.transport.execute(
                """query($r: String!, $f: String!, $p: String, $fp: Boolean!, $n: Int!,
                         $a: String) { repository(name: $r) { log(ref: $f, path: $p,
                  firstParent: $fp, first: $n, after: $a) { edges { node {
                    sha repo message author parents metadata } }
                  pageInfo { hasNextPage endCursor } } } }""",
                {"r": self.name, "f": ref, "p": path, "fp": first_parent,
                 "n": min(page_size, limit - len(out)), "a": after})
            log = data["repository"]["log"]
            out.extend(_commit_info(edge["node"]) for edge in log["edges"])
            if not log["pageInfo"]["hasNextPage"]:
                break
            after = log["pageInfo"]["endCursor"]
        return out

    async def blame(self, ref: str, path: str) -> dict[str, str]:
        """Element -> the sha of the last commit that changed it (the first 1,000)."""
        data = await self.client.transport.execute(
            """query($r: String!, $f: String!, $p: String!) { repository(name: $r) {
              blame(ref: $f, path: $p, first: 1000) { edges { node { key commit { sha } } } }
            } }""", {"r": self.name, "f": ref, "p": path})
        return {e["node"]["key"]: e["node"]["commit"]["sha"]
                for e in data["repository"]["blame"]["edges"]}


class VersioningCalls:
    """The registry's calls, mixed into the client."""

    transport: Any

    async def repository(self, name: str) -> AsyncRepository:
        """The repository `name`, created (with `main`; `prod` protected) if new."""
        data = await self.transport.execute(
            "query($n: String!) { repository(name: $n) { name } }", {"n": name})
        if data["repository"] is None:
            with contextlib.suppress(Conflict):  # created meanwhile by another client
                await self.transport.execute(
                    "mutation($n: String!) { createRepository(name: $n) { name } }",
                    {"n": name}, idempotent=False)
        return AsyncRepository(self, name)  # type: ignore[arg-type]

    async def register_model_version(self, model: str, artifact_id: str) -> ModelVersionInfo:
        """Register a model artifact as the next version of `model` (idempotent)."""
        data = await self.transport.execute(
            "mutation($m: String!, $a: ID!) { registerModelVersion(model: $m, artifactId: $a)"
            " { model version artifactId runId commit repository } }",
            {"m": model, "a": artifact_id})
        return ModelVersionInfo(**_snake(data["registerModelVersion"]))

    async def set_alias(self, model: str, alias: str, version: int, *,
                        expected_version: int | None = None, reason: str | None = None) -> None:
        """Point an alias at a version (logged). Raises Refused(StaleAlias)."""
        data = await self.transport.execute(
            """mutation($m: String!, $a: String!, $v: Int!, $e: Int, $r: String) {
              setAlias(model: $m, alias: $a, version: $v, expectedVersion: $e, reason: $r) {
                __typename ... on StaleAlias { alias expected current } } }""",
            {"m": model, "a": alias, "v": version, "e": expected_version, "r": reason},
            idempotent=False)
        if data["setAlias"]["__typename"] != "AliasSet":
            raise Refused(data["setAlias"]["__typename"], data["setAlias"])

    async def promote(self, model: str, *, version: int, alias: str = "champion",
                      branch: str = "prod", reason: str | None = None,
                      dry_run: bool = False) -> str:
        """Merge the version's commit into `branch` and move `alias`, together; returns the
        promotion id. Raises Refused(RetrainRequired | Conflicted | StaleHead)."""
        data = await self.transport.execute(
            """mutation($i: PromoteInput!) { promote(input: $i) { __typename
              ... on Promoted { promotionId }
              ... on RetrainRequired { trainedOn branch diff { paths { edges { node {
                    path status } } } } }
              ... on Conflicted { base conflictCount } ... on StaleHead { current } } }""",
            {"i": {"model": model, "version": version, "alias": alias, "branch": branch,
                   "reason": reason, "dryRun": dry_run}}, idempotent=dry_run)
        result = data["promote"]
        if result["__typename"] != "Promoted":
            raise Refused(result["__typename"], result)
        promotion: str = result["promotionId"]
        return promotion

    async def reproduce(self, *, run_id: str | None = None,
                        version: tuple[str, int] | None = None,
                        alias: tuple[str, str] | None = None,
                        ref: tuple[str, str] | None = None) -> Recipe:
        """The recipe of a run, a model version `(model, n)`, an alias `(model, name)` or a
        repository ref `(repo, ref)`."""
        target: dict[str, Any] = {"runId": run_id}
        if version:
            target |= {"model": version[0], "version": version[1]}
        if alias:
            target |= {"model": alias[0], "alias": alias[1]}
        if ref:
            target |= {"repo": ref[0], "ref": ref[1]}
        data = await self.transport.execute(
            """query($t: ReproduceTarget!) { reproduce(target: $t) { commit repository
              reproducible warnings config code { path repo commit dirty patchSha }
              data { path uri components external query }
              environment { path python requirements dockerDigest apt envVars commandLine }
            } }""", {"t": target})
        r = data["reproduce"]
        return Recipe(r["commit"], r["repository"], r["reproducible"], r["warnings"],
                      r["code"], r["config"], r["data"], r["environment"])


@dataclass(frozen=True)
class ModelVersionInfo:
    model: str
    version: int
    artifact_id: str
    run_id: str | None
    commit: str | None
    repository: str | None


def _snake(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"".join(f"_{c.lower()}" if c.isupper() else c for c in k): v for k, v in row.items()}
