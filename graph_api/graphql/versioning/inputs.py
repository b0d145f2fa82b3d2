"""Inputs of versioning and registry mutations, converted to domain records."""

from __future__ import annotations

import strawberry

from graph_api.errors import InvalidInput
from graph_api.graphql.scalars import JSON
from graph_api.graphql.versioning import enums  # noqa: F401 - registers the enums first
from graph_api.model import versioning as d
from graph_api.services.versioning.registry import ReproduceTarget as DomainTarget


@strawberry.input(description="Put a blob at a path, or delete the path (and all under it).")
class ChangeInput:
    path: str = strawberry.field(description="'/'-separated path.")
    kind: d.BlobKind | None = strawberry.field(default=None, description="The blob's kind.")
    content: JSON | None = strawberry.field(default=None, description="The blob's content.")
    delete: bool = strawberry.field(default=False, description="Delete the path instead.")

    def to_domain(self, where: str) -> d.Change:
        if self.delete:
            if self.kind is not None or self.content is not None:
                raise InvalidInput(f"{where}: a delete has no kind or content", field=where)
            return d.Change(self.path, None)
        if self.kind is None or self.content is None:
            raise InvalidInput(f"{where}: give kind and content, or delete", field=where)
        return d.Change(self.path, d.BlobInput(self.kind, self.content))


@strawberry.input(description="A commit of changes onto a branch.")
class CommitInput:
    repo: str = strawberry.field(description="The repository.")
    branch: str = strawberry.field(description="The branch to move.")
    message: str = strawberry.field(description="Why.")
    changes: list[ChangeInput] = strawberry.field(description="Changes by path.")
    expected_head: str | None = strawberry.field(default=None, description=(
        "The head the client built on: another head is StaleHead (compare-and-set)."))
    author: str = strawberry.field(default="anonymous", description="Who.")


@strawberry.input(description="How one conflict is resolved.")
class ResolutionInput:
    path: str = strawberry.field(description="The conflict's path.")
    element_key: str | None = strawberry.field(default=None, description=(
        "The conflict's element (null: a whole-path conflict)."))
    take: d.Take = strawberry.field(description="Which value to keep.")
    value: JSON | None = strawberry.field(default=None, description=(
        "With VALUE: the value (for a whole path: {kind, content}, or null to delete)."))

    def to_domain(self) -> d.Resolution:
        return d.Resolution(self.path, self.element_key, self.take, self.value)


@strawberry.input(description="A merge of a ref into a branch.")
class MergeInput:
    repo: str = strawberry.field(description="The repository.")
    source: str = strawberry.field(description="The ref merged in.")
    into: str = strawberry.field(description="The branch merged into (it moves).")
    strategy: d.MergeStrategy = strawberry.field(default=d.MergeStrategy.FAIL, description=(
        "FAIL, or resolve every conflict to OURS (`into`) or THEIRS (`source`)."))
    resolutions: list[ResolutionInput] = strawberry.field(default_factory=list, description=(
        "Per-conflict resolutions (they win over the strategy)."))
    dry_run: bool = strawberry.field(default=False, description="Write nothing; report.")
    no_fast_forward: bool = strawberry.field(default=False, description=(
        "Write a merge commit even when `into` could fast-forward."))
    expected_head: str | None = strawberry.field(default=None, description=(
        "The head of `into` the client expects."))
    message: str | None = strawberry.field(default=None, description="The merge message.")
    author: str = strawberry.field(default="anonymous", description="Who.")


@strawberry.input(description="A revert of a commit on a branch.")
class RevertInput:
    repo: str = strawberry.field(description="The repository.")
    commit: str = strawberry.field(description="The commit to undo.")
    onto: str = strawberry.field(description="The branch to write the revert on.")
    parent: int | None = strawberry.field(default=None, description=(
        "For a merge commit: which parent (1-based) to go back to. Required then."))
    strategy: d.MergeStrategy = strawberry.field(default=d.MergeStrategy.FAIL,
                                                 description="As for merge.")
    resolutions: list[ResolutionInput] = strawberry.field(default_factory=list,
                                                          description="As for merge.")
    expected_head: str | None = strawberry.field(default=None, description=(
        "The head of `onto` the client expects."))
    dry_run: bool = strawberry.field(default=False, description="Write nothing; report.")
    author: str = strawberry.field(default="anonymous", description="Who.")


@strawberry.input(description="A promotion of a model version.")
class PromoteInput:
    model: str = strawberry.field(description="The registered model.")
    version: int = strawberry.field(description="The version.")
    alias: str = strawberry.field(default="champion", description="The alias to move.")
    branch: str = strawberry.field(default="prod", description="The branch to merge into.")
    reason: str | None = strawberry.field(default=None, description="Why (logged).")
    dry_run: bool = strawberry.field(default=False, description="Write nothing; report.")
    expected_head: str | None = strawberry.field(default=None, description=(
        "The branch head the client expects."))
    actor: str = strawberry.field(default="anonymous", description="Who.")


@strawberry.input(description=(
    "What to reproduce: a run; a model version or alias; or a repository ref."))
class ReproduceTarget:
    run_id: strawberry.ID | None = strawberry.field(default=None, description="A run.")
    model: str | None = strawberry.field(default=None, description="A registered model…")
    version: int | None = strawberry.field(default=None, description="…and its version…")
    alias: str | None = strawberry.field(default=None, description="…or its alias.")
    repo: str | None = strawberry.field(default=None, description="A repository…")
    ref: str | None = strawberry.field(default=None, description="…and a ref in it.")

    def to_domain(self) -> DomainTarget:
        return DomainTarget(str(self.run_id) if self.run_id else None, self.model,
                            self.version, self.alias, self.repo, self.ref)
