"""The model registry joined to versioning and lineage: which commit a run used, model
versions registered from artifacts, aliases with their history, promotion, what is in
production, reproduce recipes, and the impact of a bad dataset."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.config import Limits
from graph_api.errors import Conflict, FailedPrecondition, InvalidInput, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput
from graph_api.model.pages import Page
from graph_api.model.types import TypeInput
from graph_api.model.versioning import (
    Alias,
    AliasOutcome,
    AliasSet,
    Blob,
    BlobKind,
    CodeRecipe,
    Conflicted,
    DataRecipe,
    Deployment,
    Diff,
    DiffMode,
    EnvironmentRecipe,
    FastForwarded,
    IngredientImpact,
    Merged,
    MergeStrategy,
    ModelVersion,
    ProductionEntry,
    Promoted,
    PromoteOutcome,
    Recipe,
    RefUpdate,
    RetrainRequired,
    RunIngredients,
    StaleAlias,
    StaleHead,
    TreeEntry,
    UpToDate,
)
from graph_api.services.batches import Batch, Event
from graph_api.services.ingest import IngestService
from graph_api.services.node_writes import NodeRows, now_ms, path_text
from graph_api.services.types import TypeService
from graph_api.services.versioning import kinds, refs
from graph_api.services.versioning.canonical import tree_sha
from graph_api.services.versioning.history import History
from graph_api.services.versioning.service import (
    Refused,
    VersioningService,
    _refused,
)
from graph_api.store import versioning as rows
from graph_api.store.connection import Database, Tx

MODEL_TYPE = "RegisteredModel"
DATASET_TYPE = "Dataset"
#: Commits, runs and versions an impact answer lists at most.
MAX_IMPACT = 1_000
#: At most this many runs per `ingredients_of_runs` call.
MAX_RUNS = 1_000


@dataclass(frozen=True)
class ReproduceTarget:
    """Exactly one of: a run; a model version; a model's alias; a repository ref."""

    run_id: str | None = None
    model: str | None = None
    version: int | None = None
    alias: str | None = None
    repo: str | None = None
    ref: str | None = None


class RegistryService:
    """Runs' ingredients, model versions, aliases, promotion and reproduction."""

    def __init__(self, db: Database, limits: Limits, versioning: VersioningService,
                 ingest: IngestService, types: TypeService) -> None:
        self.db = db
        self.limits = limits
        self.versioning = versioning
        self.ingest = ingest
        self.types = types

    # -- run -> commit ----------------------------------------------------------------------

    async def use_ingredients(self, run_id: str, repo: str, ref: str,
                              keys: Mapping[str, str] | None = None) -> str:
        """Link a run to the commit `ref` names, once; return the commit's sha.

        Each dataset blob of the commit gets its `Dataset` artifact (one per blob, i.e. per
        version of the data; external id `dataset@<blob sha>`), pinned by the blob, and the
        run an INPUT event from it — written by the batch write path, so lineage and the
        topology index see it like any other event. Re-linking to the same commit is a
        no-op.

        Raises:
            NotFound: no such run, repository or ref.
            InvalidInput: a key names a path the commit does not hold.
            Conflict: the run already used another commit.
        """
        keys = dict(keys or {})
        for role, path in keys.items():
            if not isinstance(path, str):
                raise InvalidInput(f"keys.{role}: a path", field=f"keys.{role}")
            refs.path(path, f"keys.{role}")
        await self.types.put(NodeKind.ARTIFACT, TypeInput(name=DATASET_TYPE),
                             can_add_fields=True, can_omit_fields=True)

        async def work(tx: Tx) -> str:
            sha = await self.versioning.resolve(tx, refs.repo_name(repo), ref)
            link = (await rows.run_ingredients(tx, [run_id])).get(run_id)
            if link is None:
                raise NotFound(f"runId: no run {run_id!r}", field="runId")
            if link.commit is not None:
                if link.commit == sha:
                    return sha
                raise Conflict(f"runId: run {run_id!r} used commit {link.commit[:12]} of "
                               f"{link.repo!r} already; a run's ingredients never change",
                               field="runId")
            commit = await self.versioning._commit(tx, sha)
            tree = await self.versioning._tree(tx, commit)
            for role, path in keys.items():
                if path not in tree:
                    raise InvalidInput(f"keys.{role}: commit {sha[:12]} holds nothing at "
                                       f"{path!r}", field=f"keys.{role}")
            datasets = [e for p, e in sorted(tree.items()) if e.kind is BlobKind.DATASET]
            pins: list[tuple[str, str]] = []
            if datasets:
                pins = await self._pin(tx, repo, run_id, datasets)
            await rows.put_ingredients(tx, sha, run_id, keys, pins)
            return sha

        return await self.db.write(work)

    async def _pin(self, tx: Tx, repo: str, run_id: str, datasets: Sequence[TreeEntry]
                   ) -> list[tuple[str, str]]:
        contents = await rows.blobs(tx, [e.blob for e in datasets])
        artifacts = [ArtifactInput(
            type=DATASET_TYPE, external_id=f"dataset@{e.blob}", name=e.path,
            uri=contents[e.blob].content.get("uri") or f"versioning://{repo}/{e.path}")
            for e in datasets]
        batch = Batch({NodeKind.ARTIFACT: NodeRows.of(NodeKind.ARTIFACT, artifacts, "datasets")},
                      [("nodes", NodeKind.ARTIFACT), ("refs", NodeKind.EXECUTION)])
        run = batch.ref(NodeKind.EXECUTION, "runId", run_id)
        batch.events = [Event(i, run, EventType.INPUT, path_text([e.path]), None)
                        for i, e in enumerate(datasets)]
        ids = await self.ingest.batches.write_in(tx, batch)
        return [(e.blob, ids[NodeKind.ARTIFACT][i]) for i, e in enumerate(datasets)]

    # -- versions ---------------------------------------------------------------------------

    async def _model_id(self, model: str, *, create: bool) -> str:
        async def work(tx: Tx) -> str | None:
            return await rows.registered_model(tx, model)

        found = await self.db.read(work)
        if found is not None:
            return found
        if not create:
            raise NotFound(f"model: no registered model {model!r}", field="model")
        await self.types.put(NodeKind.CONTEXT, TypeInput(name=MODEL_TYPE),
                             can_add_fields=True, can_omit_fields=True)
        return (await self.ingest.put_nodes(NodeKind.CONTEXT,
                                       [ContextInput(type=MODEL_TYPE, name=model)]))[0]

    async def register_model_version(self, model: str, artifact_id: str) -> ModelVersion:
        """Register an artifact as the next version of a model (created on first use).

        An artifact registers once: registering it again returns its version.

        Raises:
            NotFound: no such artifact.
            Conflict: the artifact is a version of another model.
        """
        refs.model_name(model)
        context_id = await self._model_id(model, create=True)

        async def work(tx: Tx) -> int:
            found = await rows.artifact_registration(tx, artifact_id, model)
            if found is None:
                raise NotFound(f"artifactId: no artifact {artifact_id!r}", field="artifactId")
            if found.registered_model is not None:
                if found.registered_model == model and found.registered_version is not None:
                    return found.registered_version
                raise Conflict(f"artifactId: the artifact is version "
                               f"{found.registered_version} of {found.registered_model!r}",
                               field="artifactId")
            version = (found.latest or 0) + 1
            await rows.create_version(tx, model, version, artifact_id, context_id, now_ms())
            return version

        number = await self.db.write(work)
        return await self.version(model, number)

    async def version(self, model: str, version: int) -> ModelVersion:
        """One version of a model. Raises NotFound."""
        async def work(tx: Tx) -> dict[str, ModelVersion]:
            return await rows.versions_by_key(tx, [f"{model}/{version}"])

        found = (await self.db.read(work)).get(f"{model}/{version}")
        if found is None:
            raise NotFound(f"version: {model!r} has no version {version}", field="version")
        return found

    async def versions(self, model: str, first: int, after: str | None) -> Page[ModelVersion]:
        """A model's versions by number (the cursor is the last number)."""
        limit = self.versioning._page(first)
        if after is not None and not after.isdigit():
            raise InvalidInput("after: not a cursor of this listing", field="after")

        async def work(tx: Tx) -> list[ModelVersion]:
            return await rows.model_versions(tx, model, int(after or 0), limit + 1)

        found = await self.db.read(work)
        items = found[:limit]
        return Page(items=items, cursors=[str(v.version) for v in items],
                    has_next=len(found) > limit)

    async def registered(self, model: str) -> bool:
        async def work(tx: Tx) -> str | None:
            return await rows.registered_model(tx, model)

        return await self.db.read(work) is not None

    # -- aliases ----------------------------------------------------------------------------

    async def _set_alias_in(self, tx: Tx, model: str, alias: str, version: int,
                            expected: int | None, *, context_id: str, actor: str,
                            reason: str | None, promotion_id: str | None) -> AliasSet:
        key = f"{model}@{alias}"
        exists, current = await rows.lock_alias(tx, key, new_id())
        if expected is not None and current != expected:
            raise Refused(StaleAlias(alias, expected, current))
        if f"{model}/{version}" not in await rows.versions_by_key(tx, [f"{model}/{version}"]):
            raise NotFound(f"version: {model!r} has no version {version}", field="version")
        del exists
        await rows.set_alias(tx, model, alias, version, context_id, now_ms())
        update = await rows.append_ref_update(
            tx, "Alias", key, update_id=new_id(), op="promote" if promotion_id else "set",
            from_=None if current is None else str(current), to=str(version), actor=actor,
            now=now_ms(), reason=reason, promotion_id=promotion_id)
        return AliasSet(Alias(model, alias, version, update.at), update)

    async def set_alias(self, model: str, alias: str, version: int, *,
                        expected_version: int | None = None, reason: str | None = None,
                        actor: str = "anonymous") -> AliasOutcome:
        """Point an alias at a version (MLflow-style), logging the move; StaleAlias when
        `expected_version` is given and the alias is elsewhere (nothing written)."""
        refs.alias_name(alias)
        context_id = await self._model_id(model, create=False)

        async def work(tx: Tx) -> AliasOutcome:
            return await self._set_alias_in(tx, model, alias, version, expected_version,
                                             context_id=context_id, actor=actor, reason=reason,
                                             promotion_id=None)

        outcome: AliasOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def aliases(self, model: str | None, first: int, after: str | None) -> Page[Alias]:
        limit = self.versioning._page(first)
        cursor = None
        if after:
            m, sep, n = after.partition("@")
            if not sep:
                raise InvalidInput("after: not a cursor of this listing", field="after")
            cursor = (m, n)

        async def work(tx: Tx) -> list[Alias]:
            return await rows.aliases(tx, model, cursor, limit + 1)

        found = await self.db.read(work)
        items = found[:limit]
        return Page(items=items, cursors=[f"{a.model}@{a.name}" for a in items],
                    has_next=len(found) > limit)

    async def alias_history(self, model: str, alias: str, *, as_of: int | None, first: int,
                            after: str | None) -> Page[RefUpdate]:
        """An alias's moves, newest first, up to `as_of`."""
        return await self.versioning.history(f"{model}@{alias}", as_of=as_of, first=first,
                                             after=after)

    # -- promotion --------------------------------------------------------------------------

    async def promote(self, model: str, version: int, *, alias: str = "champion",
                      branch: str = "prod", reason: str | None = None, dry_run: bool = False,
                      expected_head: str | None = None, actor: str = "anonymous"
                      ) -> PromoteOutcome:
        """Merge the commit the version was trained on into `branch` and move the alias
        onto the version, in one transaction, both moves logged with one promotionId.

        Returns RetrainRequired (nothing moves) when the branch would then hold
        ingredients other than the ones the version was trained on; Conflicted when the
        merge conflicts; StaleHead when the branch is not at `expected_head`.

        Raises:
            NotFound: no such model or version.
            FailedPrecondition: the version's run used no commit.
        """
        refs.alias_name(alias)
        mv = await self.version(model, version)
        if mv.commit_sha is None or mv.repo is None:
            raise FailedPrecondition(
                f"version: {model!r} version {version} has no ingredients (the run that "
                "output its artifact used no commit): promote needs them", field="version")
        trained, repo = mv.commit_sha, mv.repo
        context_id = await self._model_id(model, create=False)
        v = self.versioning

        async def work(tx: Tx) -> PromoteOutcome:
            head = await v._lock(tx, repo, branch)
            if expected_head is not None and head != expected_head:
                raise Refused(StaleHead(branch, expected_head, head))
            history = History(tx, repo)
            trained_commit = await v._commit(tx, trained)
            trained_tree = await v._tree(tx, trained_commit)
            if head == trained or await history.is_ancestor(trained, head):
                merged_tree = await v._tree(tx, await v._commit(tx, head))
                new_blobs: dict[str, Blob] = {}
            elif await history.is_ancestor(head, trained):
                merged_tree, new_blobs = trained_tree, {}
            else:
                base = await history.merge_base(head, trained)
                base_tree = await v._tree(tx, await v._commit(tx, base)) if base else {}
                ours = await v._tree(tx, await v._commit(tx, head))
                result = await v._three_way(tx, base_tree, ours, trained_tree,
                                            MergeStrategy.FAIL, ())
                if result.conflicts:
                    raise Refused(Conflicted(base, head, trained, result.conflicts))
                merged_tree, new_blobs = result.tree, result.new_blobs
            if tree_sha({p: e.blob for p, e in merged_tree.items()}) != trained_commit.tree_sha:
                diff = await v._diff(tx, trained_tree, merged_tree, new_blobs)
                raise Refused(RetrainRequired(model, version, trained, branch,
                                              Diff(trained, head, None, DiffMode.TWO_DOT, diff)))
            promotion = new_id()
            if dry_run:
                merge: Merged | FastForwarded | UpToDate = UpToDate(head)
                return Promoted(promotion, Alias(model, alias, version, now_ms()), merge, [],
                                True)
            merged = await v._merge_in(
                tx, repo, trained, branch, head, strategy=MergeStrategy.FAIL, resolutions=(),
                dry_run=False, no_fast_forward=False, author=actor, promotion_id=promotion,
                message=reason or f"Promote {model} v{version} to {alias}", op="promote")
            if isinstance(merged, Conflicted):  # checked above; kept for the type
                raise Refused(merged)
            updates = []
            if not isinstance(merged, UpToDate):
                updates = (await rows.ref_history(tx, f"{repo}/{branch}", None, None, 1))
            alias_set = await self._set_alias_in(
                tx, model, alias, version, None, context_id=context_id, actor=actor,
                reason=reason, promotion_id=promotion)
            return Promoted(promotion, alias_set.alias, merged, [*updates, alias_set.update],
                            False)

        outcome: PromoteOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def in_production(self, model: str | None, *, as_of: int | None = None,
                            branch: str = "prod", first: int = 100) -> list[ProductionEntry]:
        """Every alias (of `model`, or of all models) with its version, the commit that
        version was trained on and the head of `branch` of that commit's repository — now,
        or as of a time. `consistent` is false when the branch head is not that commit."""
        limit = self.versioning._page(first)

        async def work(tx: Tx) -> list[ProductionEntry]:
            aliases = await rows.aliases(tx, model, None, limit)
            versions: dict[str, int] = {f"{a.model}@{a.name}": a.version for a in aliases}
            since = {f"{a.model}@{a.name}": a.updated_at for a in aliases}
            if as_of is not None:
                then = await rows.refs_as_of(tx, list(versions), as_of)
                versions = {k: int(u.to) for k, u in then.items() if u.to is not None}
                since = {k: u.at for k, u in then.items()}
            found = await rows.versions_by_key(
                tx, [f"{k.split('@')[0]}/{n}" for k, n in versions.items()])
            repos = sorted({v.repo for v in found.values() if v.repo})
            heads: dict[str, str | None] = {}
            if as_of is not None:
                moved = await rows.refs_as_of(tx, [f"{r}/{branch}" for r in repos], as_of)
                heads = {r: moved[f"{r}/{branch}"].to if f"{r}/{branch}" in moved else None
                         for r in repos}
            else:
                for r in repos:
                    heads[r] = (await rows.resolve_ref(tx, r, branch))[0]
            out = []
            for key, number in versions.items():
                name, alias = key.split("@", 1)
                mv = found.get(f"{name}/{number}")
                commit = mv.commit_sha if mv else None
                repo = mv.repo if mv else None
                head = heads.get(repo) if repo else None
                out.append(ProductionEntry(name, alias, number, commit, repo,
                                           branch if repo else None, head,
                                           commit is not None and commit == head, since[key]))
            return out

        return await self.db.read(work)

    async def deploy(self, name: str, model: str, *, alias: str | None = None,
                     version: int | None = None, environment: str | None = None,
                     endpoint: str | None = None) -> Deployment:
        """Record that deployment `name` serves `model` by alias (following its moves) or
        by version (pinned); re-deploying replaces what it serves.

        Raises:
            InvalidInput: not exactly one of alias and version.
            NotFound: no such alias or version.
        """
        refs.ref_name(name, "name")
        if (alias is None) == (version is None):
            raise InvalidInput("give exactly one of alias and version", field="alias")

        async def work(tx: Tx) -> Deployment:
            served = await rows.put_deployment(
                tx, name, environment, endpoint,
                f"{model}@{alias}" if alias is not None else None,
                f"{model}/{version}" if version is not None else None, now_ms())
            if not served:
                what = f"alias {alias!r}" if alias is not None else f"version {version}"
                raise NotFound(f"{model!r} has no {what}",
                               field="alias" if alias is not None else "version")
            return Deployment(name, environment, endpoint, model, alias, version)

        return await self.db.write(work)

    async def ingredients_of_runs(self, run_ids: Sequence[str]) -> list[RunIngredients]:
        """The commit each run used, with its entries, in three reads whatever the number
        of runs (a lineage view asks for all of its runs at once).

        Args:
            run_ids: execution ids, at most 1000; unknown ones and runs that used no commit
                are left out.
        Returns:
            One per run that used a commit, in the order asked.
        Raises:
            InvalidInput: more than 1000 ids.
        """
        if len(run_ids) > MAX_RUNS:
            raise InvalidInput(f"runIds: at most {MAX_RUNS}", field="runIds")
        wanted = list(dict.fromkeys(run_ids))

        async def work(tx: Tx) -> list[RunIngredients]:
            links = await rows.run_ingredients(tx, wanted)
            used = [links[r] for r in wanted if r in links and links[r].commit]
            commits = {c.commit.sha: c.commit for c in await rows.commits_by_sha(
                tx, sorted({link.commit for link in used if link.commit}))}
            trees = await rows.trees(tx, [c.tree_sha for c in commits.values()])
            found = []
            for link in used:
                commit = commits.get(link.commit or "")
                if commit is None:
                    continue
                entries = trees.get(commit.tree_sha, {})
                found.append(RunIngredients(link.run_id, commit.repo, commit.sha,
                                            commit.message,
                                            [entries[p] for p in sorted(entries)]))
            return found

        return await self.db.read(work)

    # -- reproduce and impact ---------------------------------------------------------------

    async def _target_commit(self, tx: Tx, target: ReproduceTarget) -> tuple[str, str]:
        if target.run_id is not None:
            link = (await rows.run_ingredients(tx, [target.run_id])).get(target.run_id)
            if link is None or link.commit is None or link.repo is None:
                raise NotFound(f"target.runId: run {target.run_id!r} used no commit",
                               field="target.runId")
            return link.repo, link.commit
        if target.model is not None:
            number = target.version
            if target.alias is not None:
                moved = (await rows.refs_as_of(tx, [f"{target.model}@{target.alias}"],
                                               rows.END_OF_TIME)).get(
                    f"{target.model}@{target.alias}")
                if moved is None or moved.to is None:
                    raise NotFound(f"target.alias: {target.model!r} has no alias "
                                   f"{target.alias!r}", field="target.alias")
                number = int(moved.to)
            if number is None:
                raise InvalidInput("target: a model needs a version or an alias",
                                   field="target")
            mv = (await rows.versions_by_key(tx, [f"{target.model}/{number}"])).get(
                f"{target.model}/{number}")
            if mv is None or mv.commit_sha is None or mv.repo is None:
                raise NotFound(f"target: {target.model!r} version {number} has no "
                               "ingredients", field="target")
            return mv.repo, mv.commit_sha
        if target.repo is not None and target.ref is not None:
            return target.repo, await self.versioning.resolve(tx, target.repo, target.ref,
                                                              "target.ref")
        raise InvalidInput("target: give a runId, a model with a version or an alias, or a "
                           "repo with a ref", field="target")

    async def reproduce(self, target: ReproduceTarget) -> Recipe:
        """Everything needed to re-run what `target` used, and whether it can be exact."""
        async def work(tx: Tx) -> Recipe:
            repo, sha = await self._target_commit(tx, target)
            tree = await self.versioning._tree(tx, await self.versioning._commit(tx, sha))
            blobs = await rows.blobs(tx, [e.blob for e in tree.values()])
            return recipe(repo, sha, {p: (e.kind, blobs[e.blob].content)
                                      for p, e in sorted(tree.items())})

        return await self.db.read(work)

    async def impact(self, artifact_id: str) -> IngredientImpact:
        """What a (bad) Dataset artifact reaches through versioning, and whether it is in
        production: a protected branch's head pins it, or an alias points at a version
        trained on it."""
        async def work(tx: Tx) -> IngredientImpact:
            found = await rows.ingredient_impact(tx, artifact_id, MAX_IMPACT)
            if found is None:
                raise NotFound(f"artifactId: no artifact {artifact_id!r}", field="artifactId")
            protected = []
            branches = []
            for b in found["branches"]:
                repo = await rows.repository(tx, b["repo"])
                branches.append(f"{b['repo']}/{b['name']}")
                if repo is not None and refs.is_protected(b["name"], repo.protected):
                    protected.append(b)
            return IngredientImpact(
                artifact_id, found["blobs"], found["commits"], sorted(branches),
                found["runs"], sorted(found["versions"]), sorted(found["aliases"]),
                sorted(found["deployments"]),
                bool(protected or found["aliases"] or found["deployments"]))

        return await self.db.read(work)


def recipe(repo: str, sha: str, tree: Mapping[str, tuple[BlobKind, Mapping[str, Any]]]
           ) -> Recipe:
    """The recipe of a commit's tree; `reproducible` is false, with a warning naming the
    path, for dirty code without a patch, a data component without a hash, a requirement
    not pinned with `==`, or a docker image without a digest."""
    code: list[CodeRecipe] = []
    config: dict[str, dict[str, Any]] = {}
    data: list[DataRecipe] = []
    environment: list[EnvironmentRecipe] = []
    warnings: list[str] = []
    for path, (kind, content) in tree.items():
        if kind is BlobKind.CODE:
            git = content.get("git")
            if git is not None:
                code.append(CodeRecipe(path, git["repo"], git["commit"], git.get("dirty", False),
                                       git.get("patchSha")))
                if git.get("dirty") and not git.get("patchSha"):
                    warnings.append(f"{path}: the code is dirty and has no patch")
            else:
                nb = content["notebook"]
                code.append(CodeRecipe(path, None, nb.get("sha256"), False, None))
                if not nb.get("sha256"):
                    warnings.append(f"{path}: the notebook has no hash")
        elif kind is BlobKind.REPO_REF:
            code.append(CodeRecipe(path, f"repository:{content['repository']}",
                                   content["commit"], False, None))
        elif kind is BlobKind.CONFIG:
            config[path] = kinds.elements(kind, content)
        elif kind is BlobKind.DATASET:
            components = list(content.get("components", []))
            for c in components:
                if not (c.get("sha256") or c.get("md5")):
                    warnings.append(f"{path}: component {c['path']!r} has no hash")
            if content.get("source") in ("path", "s3") and not components:
                warnings.append(f"{path}: the dataset lists no components")
            data.append(DataRecipe(path, content.get("uri"), components,
                                   content.get("external"), content.get("query")))
        else:
            requirements = list(content.get("requirements", []))
            for r in requirements:
                spec = kinds.requirement_spec(r)
                if not spec.startswith("==") or any(ch in spec for ch in ",*"):
                    warnings.append(f"{path}: requirement {r!r} is not pinned with ==")
            docker = content.get("docker")
            if docker is not None and not docker.get("digest"):
                warnings.append(f"{path}: the docker image has no digest")
            environment.append(EnvironmentRecipe(
                path, content.get("python"), requirements,
                docker.get("digest") if docker else None, list(content.get("apt", [])),
                dict(content.get("envVars", {})), content.get("commandLine")))
    return Recipe(repo, sha, code, config, data, environment, not warnings, warnings)
