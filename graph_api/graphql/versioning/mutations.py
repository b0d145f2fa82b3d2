"""Writing versions: repositories, commits, refs, merges, reverts, run links, the registry.

Each mutation is one transaction. Expected refusals are members of the result unions
(`StaleHead`, `ProtectedBranch`, `NoChanges`, `Conflicted`, `TagExists`,
`RetrainRequired`…) and carry what the client needs to act; nothing was written then.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.errors import InvalidInput
from graph_api.graphql.context import Info, doc
from graph_api.graphql.scalars import JSON
from graph_api.graphql.versioning.inputs import CommitInput, MergeInput, PromoteInput, RevertInput
from graph_api.graphql.versioning.queries import Repository
from graph_api.graphql.versioning.types import (
    Alias,
    AliasResult,
    AliasSet,
    Branch,
    BranchMoved,
    Commit,
    CommitResult,
    Committed,
    Conflicted,
    Deployment,
    MergeResult,
    ModelVersion,
    MoveBranchResult,
    NoChanges,
    NotFastForward,
    Promoted,
    PromoteResult,
    ProtectedBranch,
    RefUpdate,
    RetrainRequired,
    Run,
    StaleAlias,
    StaleHead,
    Tag,
    TagCreated,
    TagExists,
    TagResult,
    merge_outcome,
)
from graph_api.model import versioning as d

_REPO = doc("The repository.")


def _commit_result(o: d.CommitOutcome) -> CommitResult:
    if isinstance(o, d.Committed):
        return Committed(commit=Commit.from_domain(o.commit))
    if isinstance(o, d.StaleHead):
        return StaleHead(branch=o.branch, expected=o.expected, current=o.current)
    if isinstance(o, d.ProtectedBranch):
        return ProtectedBranch(branch=o.branch, message=o.message)
    return NoChanges(head=o.head)


def _move_result(o: d.MoveOutcome) -> MoveBranchResult:
    if isinstance(o, d.BranchMoved):
        return BranchMoved(branch=Branch.from_domain(o.branch), forced=o.forced)
    if isinstance(o, d.NotFastForward):
        return NotFastForward(branch=o.branch, current=o.current, target=o.target)
    if isinstance(o, d.StaleHead):
        return StaleHead(branch=o.branch, expected=o.expected, current=o.current)
    return ProtectedBranch(branch=o.branch, message=o.message)


def _promote_result(o: d.PromoteOutcome) -> PromoteResult:
    if isinstance(o, d.Promoted):
        return Promoted(promotion_id=o.promotion_id, alias=Alias.from_domain(o.alias),
                        merge=merge_outcome(o.merge),
                        updates=[RefUpdate.from_domain(u) for u in o.updates],
                        dry_run=o.dry_run)
    if isinstance(o, d.RetrainRequired):
        return RetrainRequired(model=o.model, version=o.version, trained_on=o.trained_on,
                               branch=o.branch, diff_=o.diff)
    if isinstance(o, d.Conflicted):
        return Conflicted(base=o.base, ours=o.ours, theirs=o.theirs, conflict_list=o.conflicts)
    return StaleHead(branch=o.branch, expected=o.expected, current=o.current)


@strawberry.type
class VersioningMutation:
    @strawberry.mutation(description=(
        "Create a repository with an empty root commit and its default branch."))
    async def create_repository(
            self, info: Info, name: Annotated[str, doc("Its unique name.")],
            default_branch: Annotated[str, doc("The first branch.")] = "main",
            protected_branches: Annotated[list[str] | None, doc(
                "Globs of branches that move by merge and promote only (default [\"prod\"]).")]
            = None,
            actor: Annotated[str, doc("Who.")] = "anonymous") -> Repository:
        return Repository.from_domain(await info.context.services.versioning.create_repository(
            name, default_branch=default_branch, protected=protected_branches, actor=actor))

    @strawberry.mutation(description=(
        "Apply changes to a branch's head and move the branch, compare-and-set on "
        "expectedHead."))
    async def commit(self, info: Info, input: Annotated[CommitInput, doc("The commit.")]
                     ) -> CommitResult:
        changes = [c.to_domain(f"input.changes[{i}]") for i, c in enumerate(input.changes)]
        return _commit_result(await info.context.services.versioning.commit(
            input.repo, input.branch, input.message, changes,
            expected_head=input.expected_head, author=input.author))

    @strawberry.mutation(description="Create a branch at a ref.")
    async def create_branch(self, info: Info, repo: Annotated[str, _REPO],
                            name: Annotated[str, doc("The new branch.")],
                            from_: Annotated[str, strawberry.argument(
                                name="from", description="The ref it starts at.")],
                            actor: Annotated[str, doc("Who.")] = "anonymous") -> Branch:
        return Branch.from_domain(await info.context.services.versioning.create_branch(
            repo, name, from_, actor=actor))

    @strawberry.mutation(description=(
        "Move a branch: fast-forward, or any move with `force`; protected branches refuse."))
    async def move_branch(self, info: Info, repo: Annotated[str, _REPO],
                          name: Annotated[str, doc("The branch.")],
                          to: Annotated[str, doc("The ref to move to.")],
                          expected_head: Annotated[str | None, doc("Its expected head.")] = None,
                          force: Annotated[bool, doc("Allow a non-fast-forward move.")] = False,
                          reason: Annotated[str | None, doc("Why (logged).")] = None,
                          actor: Annotated[str, doc("Who.")] = "anonymous") -> MoveBranchResult:
        return _move_result(await info.context.services.versioning.move_branch(
            repo, name, to, expected_head=expected_head, force=force, actor=actor,
            reason=reason))

    @strawberry.mutation(description=(
        "Delete a branch (not the default or a protected one); returns the head it had."))
    async def delete_branch(self, info: Info, repo: Annotated[str, _REPO],
                            name: Annotated[str, doc("The branch.")],
                            reason: Annotated[str | None, doc("Why (logged).")] = None,
                            actor: Annotated[str, doc("Who.")] = "anonymous") -> str:
        return await info.context.services.versioning.delete_branch(repo, name, actor=actor,
                                                                    reason=reason)

    @strawberry.mutation(description="Tag a ref (create-once: a taken name is TagExists).")
    async def create_tag(self, info: Info, repo: Annotated[str, _REPO],
                         name: Annotated[str, doc("The tag.")],
                         ref: Annotated[str, doc("The ref to tag.")],
                         actor: Annotated[str, doc("Who.")] = "anonymous") -> TagResult:
        o = await info.context.services.versioning.create_tag(repo, name, ref, actor=actor)
        if isinstance(o, d.TagCreated):
            return TagCreated(tag=Tag.from_domain(o.tag))
        return TagExists(tag=o.tag, target=o.target)

    @strawberry.mutation(description=(
        "Delete a tag: tags are immutable, so only with force; logged. Returns its target."))
    async def delete_tag(self, info: Info, repo: Annotated[str, _REPO],
                         name: Annotated[str, doc("The tag.")],
                         force: Annotated[bool, doc("Required: tags are immutable.")] = False,
                         reason: Annotated[str | None, doc("Why (logged).")] = None,
                         actor: Annotated[str, doc("Who.")] = "anonymous") -> str:
        return await info.context.services.versioning.delete_tag(
            repo, name, force=force, actor=actor, reason=reason)

    @strawberry.mutation(description=(
        "Delete a commit with no children, refs or runs (FAILED_PRECONDITION names them); "
        "returns its sha."))
    async def delete_commit(self, info: Info, repo: Annotated[str, _REPO],
                            sha: Annotated[str, doc("The full sha.")]) -> str:
        await info.context.services.versioning.delete_commit(repo, sha)
        return sha

    @strawberry.mutation(description=(
        "Three-way merge of a ref into a branch (or fast-forward), moving the branch."))
    async def merge(self, info: Info, input: Annotated[MergeInput, doc("The merge.")]
                    ) -> MergeResult:
        return merge_outcome(await info.context.services.versioning.merge(
            input.repo, input.source, input.into, strategy=input.strategy,
            resolutions=[r.to_domain() for r in input.resolutions], dry_run=input.dry_run,
            no_fast_forward=input.no_fast_forward, expected_head=input.expected_head,
            message=input.message, author=input.author))

    @strawberry.mutation(description="Undo a commit on a branch, as a three-way merge.")
    async def revert(self, info: Info, input: Annotated[RevertInput, doc("The revert.")]
                     ) -> MergeResult:
        return merge_outcome(await info.context.services.versioning.revert(
            input.repo, input.commit, input.onto, parent=input.parent,
            strategy=input.strategy, resolutions=[r.to_domain() for r in input.resolutions],
            expected_head=input.expected_head, dry_run=input.dry_run, author=input.author))

    @strawberry.mutation(description=(
        "Record the commit a run used (once); its dataset blobs become the run's inputs."))
    async def use_ingredients(self, info: Info,
                              run_id: Annotated[strawberry.ID, doc("The run (execution).")],
                              repo: Annotated[str, _REPO],
                              ref: Annotated[str, doc("The ref it used.")],
                              keys: Annotated[JSON | None, doc("Role -> path.")] = None) -> Run:
        if keys is not None and not isinstance(keys, dict):
            raise InvalidInput("keys: an object of role -> path", field="keys")
        keys_: dict[str, str] = dict(keys or {})
        sha = await info.context.services.registry.use_ingredients(str(run_id), repo, ref,
                                                                   keys_)
        return Run(id=run_id, repository=repo, commit=sha, keys=JSON(keys_))

    @strawberry.mutation(description=(
        "Register a model artifact as the next version of a model (created on first use)."))
    async def register_model_version(self, info: Info, model: Annotated[str, doc("The model.")],
                                     artifact_id: Annotated[strawberry.ID, doc("The artifact.")]
                                     ) -> ModelVersion:
        return ModelVersion.from_domain(
            await info.context.services.registry.register_model_version(model,
                                                                        str(artifact_id)))

    @strawberry.mutation(description=(
        "Point an alias at a version, logged; compare-and-set on expectedVersion."))
    async def set_alias(self, info: Info, model: Annotated[str, doc("The model.")],
                        alias: Annotated[str, doc("The alias.")],
                        version: Annotated[int, doc("The version.")],
                        expected_version: Annotated[int | None, doc(
                            "The version it is expected at.")] = None,
                        reason: Annotated[str | None, doc("Why (logged).")] = None,
                        actor: Annotated[str, doc("Who.")] = "anonymous") -> AliasResult:
        o = await info.context.services.registry.set_alias(
            model, alias, version, expected_version=expected_version, reason=reason,
            actor=actor)
        if isinstance(o, d.AliasSet):
            return AliasSet(alias=Alias.from_domain(o.alias), update=RefUpdate.from_domain(o.update))
        return StaleAlias(alias=o.alias, expected=o.expected, current=o.current)

    @strawberry.mutation(description=(
        "Merge the version's commit into the branch and move the alias, in one transaction "
        "(RetrainRequired when the branch would hold ingredients it was not trained on)."))
    async def promote(self, info: Info, input: Annotated[PromoteInput, doc("The promotion.")]
                      ) -> PromoteResult:
        return _promote_result(await info.context.services.registry.promote(
            input.model, input.version, alias=input.alias, branch=input.branch,
            reason=input.reason, dry_run=input.dry_run, expected_head=input.expected_head,
            actor=input.actor))

    @strawberry.mutation(description=(
        "Record where a model serves: by alias (following its moves) or by version "
        "(pinned). Impact analysis lists deployments."))
    async def deploy(self, info: Info, name: Annotated[str, doc("The deployment's name.")],
                     model: Annotated[str, doc("The registered model.")],
                     alias: Annotated[str | None, doc("Serve this alias…")] = None,
                     version: Annotated[int | None, doc("…or this version.")] = None,
                     environment: Annotated[str | None, doc("Where it runs.")] = None,
                     endpoint: Annotated[str | None, doc("Its URL.")] = None) -> Deployment:
        return Deployment.from_domain(await info.context.services.registry.deploy(
            name, model, alias=alias, version=version, environment=environment,
            endpoint=endpoint))
