"""Reading repositories, history, diffs, the registry, recipes and production."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graph_api.graphql.context import Info, doc
from graph_api.graphql.pagination import DEFAULT_PAGE_SIZE, Connection
from graph_api.graphql.versioning.inputs import ReproduceTarget
from graph_api.graphql.versioning.types import (
    Alias,
    BlameLine,
    Blob,
    Branch,
    Commit,
    Diff,
    IngredientImpact,
    ModelVersion,
    ProductionEntry,
    Recipe,
    RefUpdate,
    RunIngredients,
    Tag,
    TreeEntry,
    connection,
    millis,
    positional,
    time_of,
)
from graph_api.model import versioning as d

_FIRST = doc(f"Page size (default {DEFAULT_PAGE_SIZE}).")
_AFTER = doc("Cursor after which the page starts (`pageInfo.endCursor`).")
_REF = doc("A branch, tag or sha (7+ characters), with optional ~n and ^n suffixes.")


@strawberry.type(description="A repository of versioned ingredients.")
class Repository:
    name: str = strawberry.field(description="Its unique name.")
    default_branch: str = strawberry.field(description="The branch created with it.")
    protected_branches: list[str] = strawberry.field(description=(
        "Globs of branches that move by merge and promote only."))
    created_at: datetime = strawberry.field(description="When it was created.")
    root: str = strawberry.field(description="Its root commit's sha.")

    @classmethod
    def from_domain(cls, r: d.Repository) -> Repository:
        return cls(name=r.name, default_branch=r.default_branch,
                   protected_branches=r.protected, created_at=time_of(r.created_at),
                   root=r.root)

    @strawberry.field(description="Branches by name.")
    async def branches(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                       after: Annotated[str | None, _AFTER] = None) -> Connection[Branch]:
        page = await info.context.services.versioning.branches(self.name, first, after)
        return connection(page, Branch.from_domain, after)

    @strawberry.field(description="Tags by name.")
    async def tags(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                   after: Annotated[str | None, _AFTER] = None) -> Connection[Tag]:
        page = await info.context.services.versioning.tags(self.name, first, after)
        return connection(page, Tag.from_domain, after)

    @strawberry.field(description="The commit a ref names (null: it names none).")
    async def ref(self, info: Info, name: Annotated[str, _REF]) -> Commit | None:
        found = await info.context.services.versioning.get_commit(self.name, name)
        return Commit.from_domain(found) if found else None

    @strawberry.field(description="A commit by sha or sha prefix (null: none).")
    async def commit(self, info: Info, sha: Annotated[str, doc("7+ characters.")]
                     ) -> Commit | None:
        found = await info.context.services.versioning.get_commit(self.name, sha)
        return Commit.from_domain(found) if found else None

    @strawberry.field(description=(
        "Commits reachable from a ref, newest first (generation, time, sha); with `path`, "
        "only those that changed the blob there. Keyset-paged."))
    async def log(self, info: Info, ref: Annotated[str, _REF],
                  path: Annotated[str | None, doc("Only commits changing this path.")] = None,
                  first_parent: Annotated[bool, doc("Follow first parents only.")] = False,
                  first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                  after: Annotated[str | None, _AFTER] = None) -> Connection[Commit]:
        page = await info.context.services.versioning.log(
            self.name, ref, path=path, first_parent=first_parent, first=first, after=after)
        return connection(page, Commit.from_domain, after)

    @strawberry.field(description="The tree of a ref, by path.")
    async def tree(self, info: Info, ref: Annotated[str, _REF],
                   first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                   after: Annotated[str | None, _AFTER] = None) -> Connection[TreeEntry]:
        entries = await info.context.services.versioning.tree(self.name, ref)
        return connection(positional(entries, first, after), TreeEntry.from_domain, after)

    @strawberry.field(description="The blob at a path of a ref (null: nothing there).")
    async def blob(self, info: Info, ref: Annotated[str, _REF],
                   path: Annotated[str, doc("The blob's path.")]) -> Blob | None:
        found = await info.context.services.versioning.blob(self.name, ref, path)
        return Blob.from_domain(found) if found else None

    @strawberry.field(description="What changed from one ref to another, per path and element.")
    async def diff(self, info: Info, from_: Annotated[str, strawberry.argument(
                       name="from", description="The ref compared from.")],
                   to: Annotated[str, doc("The ref compared to.")],
                   mode: Annotated[d.DiffMode, doc("THREE_DOT (default) or TWO_DOT.")]
                   = d.DiffMode.THREE_DOT) -> Diff:
        return Diff.from_domain(
            await info.context.services.versioning.diff(self.name, from_, to, mode))

    @strawberry.field(description="For each element of a blob, the last commit that changed it.")
    async def blame(self, info: Info, ref: Annotated[str, _REF],
                    path: Annotated[str, doc("The blob's path.")],
                    first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                    after: Annotated[str | None, _AFTER] = None) -> Connection[BlameLine]:
        lines = await info.context.services.versioning.blame(self.name, ref, path)
        return connection(positional(lines, first, after), BlameLine.from_domain, after)

    @strawberry.field(description=(
        "Moves of a branch or tag, newest first; with `asOf`, the first entry is where it "
        "pointed then."))
    async def history(self, info: Info, ref: Annotated[str, doc("A branch or tag name.")],
                      as_of: Annotated[datetime | None, doc("Only moves up to this time.")]
                      = None,
                      first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                      after: Annotated[str | None, _AFTER] = None) -> Connection[RefUpdate]:
        page = await info.context.services.versioning.history(
            f"{self.name}/{ref}", as_of=millis(as_of), first=first, after=after)
        return connection(page, RefUpdate.from_domain, after)


@strawberry.type(description="A registered model (an MLMD context of type RegisteredModel).")
class RegisteredModel:
    name: str = strawberry.field(description="Its unique name.")

    @strawberry.field(description="Its versions by number.")
    async def versions(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                       after: Annotated[str | None, _AFTER] = None
                       ) -> Connection[ModelVersion]:
        page = await info.context.services.registry.versions(self.name, first, after)
        return connection(page, ModelVersion.from_domain, after)

    @strawberry.field(description="One version by number.")
    async def version(self, info: Info, number: Annotated[int, doc("The version number.")]
                      ) -> ModelVersion:
        return ModelVersion.from_domain(
            await info.context.services.registry.version(self.name, number))

    @strawberry.field(description="Its aliases by name.")
    async def aliases(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                      after: Annotated[str | None, _AFTER] = None) -> Connection[Alias]:
        page = await info.context.services.registry.aliases(self.name, first, after)
        return connection(page, Alias.from_domain, after)

    @strawberry.field(description="Where an alias points now (null: no such alias).")
    async def alias(self, info: Info, name: Annotated[str, doc("The alias.")]) -> Alias | None:
        page = await info.context.services.registry.alias_history(
            self.name, name, as_of=None, first=1, after=None)
        if not page.items or page.items[0].to is None:
            return None
        last = page.items[0]
        return Alias(model=self.name, name=name, version=int(last.to or 0),
                     updated_at=time_of(last.at))

    @strawberry.field(description=(
        "An alias's moves, newest first; with `asOf`, the first entry is the version it "
        "pointed at then (what was champion on date X)."))
    async def alias_history(self, info: Info, alias: Annotated[str, doc("The alias.")],
                            as_of: Annotated[datetime | None, doc("Up to this time.")] = None,
                            first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                            after: Annotated[str | None, _AFTER] = None
                            ) -> Connection[RefUpdate]:
        page = await info.context.services.registry.alias_history(
            self.name, alias, as_of=millis(as_of), first=first, after=after)
        return connection(page, RefUpdate.from_domain, after)


@strawberry.type
class VersioningQuery:
    @strawberry.field(description="A repository of ingredients by name (null: none).")
    async def repository(self, info: Info, name: Annotated[str, doc("Its name.")]
                         ) -> Repository | None:
        found = await info.context.services.versioning.repository(name)
        return Repository.from_domain(found) if found else None

    @strawberry.field(description="Repositories by name.")
    async def repositories(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                           after: Annotated[str | None, _AFTER] = None
                           ) -> Connection[Repository]:
        page = await info.context.services.versioning.repositories(first, after)
        return connection(page, Repository.from_domain, after)

    @strawberry.field(description=(
        "The recipe to re-run what a run, a model version, an alias or a ref used."))
    async def reproduce(self, info: Info, target: Annotated[ReproduceTarget, doc(
            "Exactly one of: runId; model with version or alias; repo with ref.")]) -> Recipe:
        return Recipe.from_domain(
            await info.context.services.registry.reproduce(target.to_domain()))

    @strawberry.field(description=(
        "The commit each of these runs used (`useIngredients`), with its paths by kind, in "
        "one request; runs that used none are left out."))
    async def run_ingredients(self, info: Info, run_ids: Annotated[list[strawberry.ID], doc(
            "Execution ids, at most 1000.")]) -> list[RunIngredients]:
        found = await info.context.services.registry.ingredients_of_runs(
            [str(r) for r in run_ids])
        return [RunIngredients.from_domain(r) for r in found]

    @strawberry.field(description="A registered model by name (null: none).")
    async def registered_model(self, info: Info, name: Annotated[str, doc("Its name.")]
                               ) -> RegisteredModel | None:
        found = await info.context.services.registry.registered(name)
        return RegisteredModel(name=name) if found else None

    @strawberry.field(description=(
        "Each alias (of one model, or all) with its version, the commit it was trained on, "
        "the production branch's head and whether they agree — now or as of a time."))
    async def in_production(
            self, info: Info, model: Annotated[str | None, doc("Only this model.")] = None,
            as_of: Annotated[datetime | None, doc("As of this time.")] = None,
            branch: Annotated[str, doc("The production branch.")] = "prod",
            first: Annotated[int, doc("At most this many aliases.")] = 100,
    ) -> list[ProductionEntry]:
        found = await info.context.services.registry.in_production(
            model, as_of=millis(as_of), branch=branch, first=first)
        return [ProductionEntry.from_domain(p) for p in found]

    @strawberry.field(description=(
        "What a (bad) dataset artifact reaches through versioning: the commits pinning it, "
        "branch heads, runs, model versions, aliases, deployments; and whether it is in "
        "production."))
    async def ingredient_impact(self, info: Info, artifact_id: Annotated[
            strawberry.ID, doc("The Dataset artifact.")]) -> IngredientImpact:
        return IngredientImpact.from_domain(
            await info.context.services.registry.impact(str(artifact_id)))
