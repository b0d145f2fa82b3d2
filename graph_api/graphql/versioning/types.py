"""GraphQL types of versioning and the registry, converted from the domain records.

Lists that can grow are connections; a computed list (a diff's paths, a path's element
changes, a merge's conflicts, a blame) is paged by position, so a client may ask for it
a page at a time and the server never builds an unbounded answer.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import strawberry

from graph_api.errors import InvalidInput, NotFound
from graph_api.graphql.context import Info, doc
from graph_api.graphql.nodes.types import Execution
from graph_api.graphql.pagination import DEFAULT_PAGE_SIZE, Connection
from graph_api.graphql.scalars import JSON
from graph_api.graphql.versioning import enums  # noqa: F401 - registers the enums first
from graph_api.model import nodes as domain
from graph_api.model import versioning as d
from graph_api.model.pages import Page

T = TypeVar("T")
N = TypeVar("N")

_FIRST = doc(f"Page size (default {DEFAULT_PAGE_SIZE}).")
_AFTER = doc("Cursor after which the page starts (`pageInfo.endCursor`).")


def time_of(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def millis(at: datetime | None) -> int | None:
    """Milliseconds since the epoch; a time without a zone is UTC."""
    if at is None:
        return None
    return int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() * 1000)


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind == "at" and number.isdigit():
            return int(number) + 1
    except ValueError:
        pass
    raise InvalidInput("after: not a cursor of this list", field="after")


def positional(items: Sequence[T], first: int, after: str | None, max_first: int = 1_000
               ) -> Page[T]:
    """A page of an in-memory list, by position."""
    if not 0 <= first <= max_first:
        raise InvalidInput(f"first: between 0 and {max_first}", field="first")
    start = _offset(after)
    chunk = list(items[start:start + first])
    cursors = [base64.urlsafe_b64encode(f"at:{start + i}".encode()).decode().rstrip("=")
               for i in range(len(chunk))]
    return Page(items=chunk, cursors=cursors, has_next=start + first < len(items),
                total_count=len(items))


def connection(page: Page[T], convert: Callable[[T], N], after: str | None) -> Connection[N]:
    return Connection.from_page(page, convert, after=after)


# -- objects ------------------------------------------------------------------------------------

@strawberry.type(description="A path of a tree and the blob there.")
class TreeEntry:
    path: str = strawberry.field(description="'/'-separated path.")
    kind: d.BlobKind = strawberry.field(description="What the blob holds.")
    blob_sha: str = strawberry.field(description="The blob's content address.")

    @classmethod
    def from_domain(cls, e: d.TreeEntry) -> TreeEntry:
        return cls(path=e.path, kind=e.kind, blob_sha=e.blob)


@strawberry.type(description="An immutable, content-addressed ingredient.")
class Blob:
    sha: str = strawberry.field(description=(
        "sha256 of 'blob/v1\\0' + kind + '\\0' + the canonical JSON of the content."))
    kind: d.BlobKind = strawberry.field(description="What it holds.")
    content: JSON = strawberry.field(description="The content in its canonical form.")

    @classmethod
    def from_domain(cls, b: d.Blob) -> Blob:
        return cls(sha=b.sha, kind=b.kind, content=JSON(b.content))


@strawberry.type(description="An immutable snapshot of a repository's ingredients.")
class Commit:
    sha: str = strawberry.field(description=(
        "sha256 over the tree, the parents in order, author, message, time and metadata."))
    repo: str = strawberry.field(description="The repository it belongs to.")
    message: str = strawberry.field(description="Why it was made.")
    author: str = strawberry.field(description="Who made it.")
    created_at: datetime = strawberry.field(description="When it was made.")
    generation: int = strawberry.field(description=(
        "0 for the root, else one more than its highest parent's."))
    tree_sha: str = strawberry.field(description="The content address of its tree.")
    parents: list[str] = strawberry.field(description=(
        "Parent shas in order (the first parent first; at most two)."))
    metadata: JSON = strawberry.field(description=(
        "For a merge: {strategy, resolutions, base}; for a revert: {revert, parent}."))

    @classmethod
    def from_domain(cls, c: d.Commit) -> Commit:
        return cls(sha=c.sha, repo=c.repo, message=c.message, author=c.author,
                   created_at=time_of(c.created_at), generation=c.generation,
                   tree_sha=c.tree_sha, parents=list(c.parents), metadata=JSON(c.metadata))

    @strawberry.field(description="The tree's entries by path.")
    async def tree(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                   after: Annotated[str | None, _AFTER] = None) -> Connection[TreeEntry]:
        entries = await info.context.services.versioning.tree(self.repo, self.sha)
        return connection(positional(entries, first, after), TreeEntry.from_domain, after)

    @strawberry.field(description="The blob at a path (null: nothing there).")
    async def blob(self, info: Info, path: Annotated[str, doc("The blob's path.")]
                   ) -> Blob | None:
        found = await info.context.services.versioning.blob(self.repo, self.sha, path)
        return Blob.from_domain(found) if found else None

    @strawberry.field(description="The runs that used it (`useIngredients`), at most `first`.")
    async def runs(self, info: Info, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE
                   ) -> list[Execution]:
        ids = await info.context.services.versioning.runs(self.repo, self.sha, first)
        found = await info.context.loaders.executions.load_many(ids)
        return [Execution.from_domain(n) for n in found if isinstance(n, domain.Execution)]


@strawberry.type(description="How two refs' histories differ.")
class AheadBehind:
    of: str = strawberry.field(description="The ref compared with.")
    ahead: int = strawberry.field(description="Commits the branch has that `of` lacks.")
    behind: int = strawberry.field(description="Commits `of` has that the branch lacks.")


@strawberry.type(description="A movable pointer to a commit.")
class Branch:
    name: str = strawberry.field(description="Its name, unique in the repository.")
    head: str = strawberry.field(description="The sha it points at.")
    protected: bool = strawberry.field(description=(
        "Protected branches move by merge and promote only."))
    repo: strawberry.Private[str]

    @classmethod
    def from_domain(cls, b: d.Branch) -> Branch:
        return cls(name=b.name, head=b.head, protected=b.protected, repo=b.repo)

    @strawberry.field(description=(
        "Commits ahead of and behind another ref (default prod); null when it does not "
        "exist."))
    async def ahead_behind(self, info: Info, of: Annotated[str, doc("The other ref.")] = "prod"
                           ) -> AheadBehind | None:
        try:
            ahead, behind = await info.context.services.versioning.ahead_behind(
                self.repo, self.head, of)
        except NotFound:
            return None
        return AheadBehind(of=of, ahead=ahead, behind=behind)


@strawberry.type(description="An immutable pointer to a commit (create-once).")
class Tag:
    name: str = strawberry.field(description="Its name, unique in the repository.")
    target: str = strawberry.field(description="The sha it points at.")

    @classmethod
    def from_domain(cls, t: d.Tag) -> Tag:
        return cls(name=t.name, target=t.target)


@strawberry.type(description="One move of a branch, tag or alias (the append-only audit log).")
class RefUpdate:
    id: str = strawberry.field(description="The entry's id.")
    ref: str = strawberry.field(description="repo/branch, repo/tag or model@alias.")
    ref_type: str = strawberry.field(description="branch, tag or alias.")
    op: str = strawberry.field(description=(
        "create, commit, merge, fast-forward, force, revert, delete, set or promote."))
    from_: str | None = strawberry.field(name="from", description=(
        "Where it pointed before (a sha, or a version number); null when created."))
    to: str | None = strawberry.field(description="Where it points after; null when deleted.")
    actor: str = strawberry.field(description="Who moved it.")
    at: datetime = strawberry.field(description=(
        "When (strictly increasing per ref, so `asOf` answers are exact)."))
    reason: str | None = strawberry.field(description="Why, as given.")
    promotion_id: str | None = strawberry.field(description=(
        "Shared by the branch and alias moves of one promotion."))

    @classmethod
    def from_domain(cls, u: d.RefUpdate) -> RefUpdate:
        return cls(id=u.id, ref=u.ref, ref_type=u.ref_type, op=u.op, from_=u.from_, to=u.to,
                   actor=u.actor, at=time_of(u.at), reason=u.reason,
                   promotion_id=u.promotion_id)


@strawberry.type(description="How one element of a blob changed.")
class ElementChange:
    key: str = strawberry.field(description=(
        "The element: a dotted config key, a dataset component path (`@field` for the "
        "dataset's own fields), `requirements.<name>`, `envVars.<NAME>`…; '' for an atomic "
        "blob."))
    status: d.ChangeStatus = strawberry.field(description="How it changed.")
    before: JSON | None = strawberry.field(description=(
        "Its value before (secret-looking env vars as a hash)."))
    after: JSON | None = strawberry.field(description="Its value after.")
    delta: float | None = strawberry.field(description="after - before, for numbers.")
    renamed_from: str | None = strawberry.field(description="For RENAMED: the old path.")

    @classmethod
    def from_domain(cls, c: d.ElementChange) -> ElementChange:
        return cls(key=c.key, status=c.status, before=c.before, after=c.after, delta=c.delta,
                   renamed_from=c.renamed_from)


@strawberry.type(description="One changed path of a diff.")
class PathDiff:
    path: str = strawberry.field(description="The path.")
    status: d.PathStatus = strawberry.field(description="ADDED, DELETED, MODIFIED, KIND_CHANGED.")
    kind_before: d.BlobKind | None = strawberry.field(description="The kind before.")
    kind_after: d.BlobKind | None = strawberry.field(description="The kind after.")
    blob_before: str | None = strawberry.field(description="The blob sha before.")
    blob_after: str | None = strawberry.field(description="The blob sha after.")
    counts: JSON | None = strawberry.field(description=(
        "Datasets: components per status ({ADDED, DELETED, MODIFIED, RENAMED})."))
    bytes_delta: int | None = strawberry.field(description=(
        "Datasets: total component size after minus before."))
    element_changes: strawberry.Private[list[d.ElementChange]]

    @classmethod
    def from_domain(cls, p: d.PathDiff) -> PathDiff:
        return cls(path=p.path, status=p.status, kind_before=p.kind_before,
                   kind_after=p.kind_after, blob_before=p.blob_before, blob_after=p.blob_after,
                   counts=JSON(p.counts) if p.counts is not None else None,
                   bytes_delta=p.bytes_delta, element_changes=p.changes)

    @strawberry.field(description="The changed elements, by key.")
    def changes(self, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
                after: Annotated[str | None, _AFTER] = None) -> Connection[ElementChange]:
        return connection(positional(self.element_changes, first, after),
                          ElementChange.from_domain, after)


@strawberry.type(description="What changed between two commits.")
class Diff:
    from_: str = strawberry.field(name="from", description="The `from` commit's sha.")
    to: str = strawberry.field(description="The `to` commit's sha.")
    base: str | None = strawberry.field(description=(
        "THREE_DOT: the merge base compared with `to` (null: no common history)."))
    mode: d.DiffMode = strawberry.field(description="How the two were compared.")
    entries: strawberry.Private[list[d.PathDiff]]

    @classmethod
    def from_domain(cls, x: d.Diff) -> Diff:
        return cls(from_=x.from_sha, to=x.to_sha, base=x.base_sha, mode=x.mode,
                   entries=x.paths)

    @strawberry.field(description="The changed paths, in path order.")
    def paths(self, first: Annotated[int, _FIRST] = DEFAULT_PAGE_SIZE,
              after: Annotated[str | None, _AFTER] = None) -> Connection[PathDiff]:
        return connection(positional(self.entries, first, after), PathDiff.from_domain, after)


@strawberry.type(description="One conflict of a merge or revert.")
class MergeConflict:
    path: str = strawberry.field(description="The path.")
    kind: d.BlobKind | None = strawberry.field(description="The blob's kind.")
    element_key: str | None = strawberry.field(description=(
        "The element in conflict; null for a whole-path conflict (whose values are "
        "{kind, content} or null)."))
    type: d.ConflictType = strawberry.field(description="What kind of conflict.")
    base: JSON | None = strawberry.field(description="The value at the merge base.")
    ours: JSON | None = strawberry.field(description="The value on the branch merged into.")
    theirs: JSON | None = strawberry.field(description="The value on the side merged in.")

    @classmethod
    def from_domain(cls, c: d.Conflict) -> MergeConflict:
        return cls(path=c.path, kind=c.kind, element_key=c.element_key, type=c.type,
                   base=c.base, ours=c.ours, theirs=c.theirs)


@strawberry.type(description="The last commit to change one element.")
class BlameLine:
    key: str = strawberry.field(description="The element.")
    value: JSON | None = strawberry.field(description="Its value now.")
    commit: Commit = strawberry.field(description="The last commit that changed it.")

    @classmethod
    def from_domain(cls, b: d.BlameLine) -> BlameLine:
        return cls(key=b.key, value=b.value, commit=Commit.from_domain(b.commit))


# -- outcomes -----------------------------------------------------------------------------------

@strawberry.type(description="The commit landed and the branch moved onto it.")
class Committed:
    commit: Commit = strawberry.field(description="The new commit.")


@strawberry.type(description="The branch was not at the expected head: nothing was written.")
class StaleHead:
    branch: str = strawberry.field(description="The branch.")
    expected: str | None = strawberry.field(description="The head the client expected.")
    current: str = strawberry.field(description="The head it is at.")


@strawberry.type(description="The branch is protected: it moves by merge and promote only.")
class ProtectedBranch:
    branch: str = strawberry.field(description="The branch.")
    message: str = strawberry.field(description="What was refused.")


@strawberry.type(description="The changes leave the tree as it is: nothing was written.")
class NoChanges:
    head: str = strawberry.field(description="The branch's head, unchanged.")


@strawberry.type(description="The tag was created.")
class TagCreated:
    tag: Tag = strawberry.field(description="The new tag.")


@strawberry.type(description="Tags are create-once: this name is taken.")
class TagExists:
    tag: str = strawberry.field(description="The name.")
    target: str = strawberry.field(description="The sha it points at.")


@strawberry.type(description="The branch moved.")
class BranchMoved:
    branch: Branch = strawberry.field(description="The branch, at its new head.")
    forced: bool = strawberry.field(description="Whether it was not a fast-forward.")


@strawberry.type(description="The move is not a fast-forward and was not forced.")
class NotFastForward:
    branch: str = strawberry.field(description="The branch.")
    current: str = strawberry.field(description="Its head.")
    target: str = strawberry.field(description="The commit asked for.")


@strawberry.type(description="A merge commit was written (or, with dryRun, would be).")
class Merged:
    commit: Commit = strawberry.field(description=(
        "The merge commit (parents [into, source]); with dryRun, the would-be commit."))
    base: str | None = strawberry.field(description="The best common ancestor used.")
    dry_run: bool = strawberry.field(description="Nothing was written.")
    diff_: strawberry.Private[d.Diff | None]

    @strawberry.field(description="With dryRun: what the merge would change on `into`.")
    def diff(self) -> Diff | None:
        return Diff.from_domain(self.diff_) if self.diff_ is not None else None


@strawberry.type(description="`into` was an ancestor of the source: it moved onto it.")
class FastForwarded:
    commit: Commit = strawberry.field(description="The new head.")
    previous: str = strawberry.field(description="The head before.")
    dry_run: bool = strawberry.field(description="Nothing was written.")


@strawberry.type(description="The source is already in the branch: nothing to do.")
class UpToDate:
    head: str = strawberry.field(description="The branch's head.")


@strawberry.type(description="The merge conflicts: every conflict is listed; nothing was written.")
class Conflicted:
    base: str | None = strawberry.field(description="The merge base.")
    ours: str = strawberry.field(description="The head merged into.")
    theirs: str = strawberry.field(description="The commit merged in.")
    conflict_list: strawberry.Private[list[d.Conflict]]

    @strawberry.field(description="How many conflicts there are.")
    def conflict_count(self) -> int:
        return len(self.conflict_list)

    @strawberry.field(description="The conflicts, by path then element (all of them by default).")
    def conflicts(self, first: Annotated[int, doc("Page size (default: 1,000).")] = 1_000,
                  after: Annotated[str | None, _AFTER] = None) -> Connection[MergeConflict]:
        return connection(positional(self.conflict_list, first, after),
                          MergeConflict.from_domain, after)


@strawberry.type(description="A registered model's version: an artifact, and where it came from.")
class ModelVersion:
    model: str = strawberry.field(description="The registered model.")
    version: int = strawberry.field(description="Its number (1, 2, … per model).")
    artifact_id: strawberry.ID = strawberry.field(description="The model artifact.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    run_id: strawberry.ID | None = strawberry.field(description="The run that output the artifact.")
    commit: str | None = strawberry.field(description="The commit that run used.")
    repository: str | None = strawberry.field(description="That commit's repository.")
    aliases: list[str] = strawberry.field(description="Aliases on it now (a model has few).")

    @classmethod
    def from_domain(cls, v: d.ModelVersion) -> ModelVersion:
        return cls(model=v.model, version=v.version, artifact_id=strawberry.ID(v.artifact_id),
                   created_at=time_of(v.created_at),
                   run_id=strawberry.ID(v.run_id) if v.run_id else None, commit=v.commit_sha,
                   repository=v.repo, aliases=v.aliases)


@strawberry.type(description="A mutable pointer to a model version (model@name).")
class Alias:
    model: str = strawberry.field(description="The registered model.")
    name: str = strawberry.field(description="The alias.")
    version: int = strawberry.field(description="The version it points at.")
    updated_at: datetime = strawberry.field(description="When it last moved.")

    @classmethod
    def from_domain(cls, a: d.Alias) -> Alias:
        return cls(model=a.model, name=a.name, version=a.version,
                   updated_at=time_of(a.updated_at))


@strawberry.type(description="The alias moved; the move is logged.")
class AliasSet:
    alias: Alias = strawberry.field(description="The alias, at its new version.")
    update: RefUpdate = strawberry.field(description="The audit entry.")


@strawberry.type(description="The alias was not at the expected version: nothing was written.")
class StaleAlias:
    alias: str = strawberry.field(description="The alias.")
    expected: int | None = strawberry.field(description="The version the client expected.")
    current: int | None = strawberry.field(description="The version it points at (null: none).")


@strawberry.type(description=(
    "The branch would hold ingredients the version was not trained on: nothing moved."))
class RetrainRequired:
    model: str = strawberry.field(description="The model.")
    version: int = strawberry.field(description="The version.")
    trained_on: str = strawberry.field(description="The commit its run used.")
    branch: str = strawberry.field(description="The branch promoted to.")
    diff_: strawberry.Private[d.Diff]

    @strawberry.field(description=(
        "From the commit trained on to what the branch would hold after the merge."))
    def diff(self) -> Diff:
        return Diff.from_domain(self.diff_)


CommitResult = Annotated[Committed | StaleHead | ProtectedBranch | NoChanges, strawberry.union(
    "CommitResult", description="What a commit did, or why nothing was written.")]
MergeResult = Annotated[
    Merged | FastForwarded | UpToDate | Conflicted | StaleHead | ProtectedBranch,
    strawberry.union("MergeResult", description="What a merge or revert did, or why not.")]
MoveBranchResult = Annotated[BranchMoved | StaleHead | ProtectedBranch | NotFastForward,
                             strawberry.union("MoveBranchResult",
                                              description="What a branch move did, or why not.")]
TagResult = Annotated[TagCreated | TagExists, strawberry.union(
    "TagResult", description="The new tag, or the one that has the name.")]
AliasResult = Annotated[AliasSet | StaleAlias, strawberry.union(
    "AliasResult", description="The alias moved, or why not.")]


@strawberry.type(description="The version is promoted: branch merged and alias moved, together.")
class Promoted:
    promotion_id: str = strawberry.field(description="Shared by the audit entries it wrote.")
    alias: Alias = strawberry.field(description="The alias, on the version.")
    merge: MergeResult = strawberry.field(description="What happened to the branch.")
    updates: list[RefUpdate] = strawberry.field(description="The audit entries (two at most).")
    dry_run: bool = strawberry.field(description="Nothing was written.")


PromoteResult = Annotated[Promoted | RetrainRequired | Conflicted | StaleHead, strawberry.union(
    "PromoteResult", description="What a promotion did, or why nothing moved.")]


def merge_outcome(o: d.MergeOutcome) -> MergeResult:
    """The GraphQL member of a merge outcome."""
    if isinstance(o, d.Merged):
        return Merged(commit=Commit.from_domain(o.commit), base=o.base, dry_run=o.dry_run,
                      diff_=o.diff)
    if isinstance(o, d.FastForwarded):
        return FastForwarded(commit=Commit.from_domain(o.commit), previous=o.previous,
                             dry_run=o.dry_run)
    if isinstance(o, d.UpToDate):
        return UpToDate(head=o.head)
    if isinstance(o, d.Conflicted):
        return Conflicted(base=o.base, ours=o.ours, theirs=o.theirs, conflict_list=o.conflicts)
    if isinstance(o, d.StaleHead):
        return StaleHead(branch=o.branch, expected=o.expected, current=o.current)
    return ProtectedBranch(branch=o.branch, message=o.message)


# -- registry, recipes, production --------------------------------------------------------------

@strawberry.type(description="What a run used: the commit of its ingredients.")
class Run:
    id: strawberry.ID = strawberry.field(description="The run (an execution).")
    repository: str = strawberry.field(description="The commit's repository.")
    commit: str = strawberry.field(description="The commit it used (set once).")
    keys: JSON = strawberry.field(description="Role -> path, as given when linked.")


@strawberry.type(description="The commit a run used, for drawing it before the run.")
class RunIngredients:
    run_id: strawberry.ID = strawberry.field(description="The run (an execution).")
    repository: str = strawberry.field(description="The commit's repository.")
    commit: str = strawberry.field(description="The commit's sha.")
    message: str = strawberry.field(description="The commit's message.")
    entries: list[TreeEntry] = strawberry.field(description="Its paths and kinds, by path.")

    @classmethod
    def from_domain(cls, r: d.RunIngredients) -> RunIngredients:
        return cls(run_id=strawberry.ID(r.run_id), repository=r.repo, commit=r.sha,
                   message=r.message, entries=[TreeEntry.from_domain(e) for e in r.entries])


@strawberry.type(description="An alias of a model with what it serves and whether prod agrees.")
class ProductionEntry:
    model: str = strawberry.field(description="The registered model.")
    alias: str = strawberry.field(description="The alias.")
    version: int = strawberry.field(description="The version it points at (then, with asOf).")
    commit: str | None = strawberry.field(description="The commit that version was trained on.")
    repository: str | None = strawberry.field(description="That commit's repository.")
    branch: str | None = strawberry.field(description="The production branch compared.")
    branch_head: str | None = strawberry.field(description="That branch's head (then).")
    consistent: bool = strawberry.field(description=(
        "Whether the branch head is the commit the version was trained on."))
    since: datetime = strawberry.field(description="When the alias last moved (by then).")

    @classmethod
    def from_domain(cls, p: d.ProductionEntry) -> ProductionEntry:
        return cls(model=p.model, alias=p.alias, version=p.version, commit=p.commit_sha,
                   repository=p.repo, branch=p.branch, branch_head=p.branch_head,
                   consistent=p.consistent, since=time_of(p.since))


@strawberry.type(description="Code to check out.")
class CodeRecipe:
    path: str = strawberry.field(description="Its path in the commit.")
    repo: str | None = strawberry.field(description="The git repository (or repository:<name>).")
    commit: str | None = strawberry.field(description="The git commit (or notebook hash).")
    dirty: bool = strawberry.field(description="Whether the working tree was dirty.")
    patch_sha: str | None = strawberry.field(description="The hash of the dirty patch, if kept.")


@strawberry.type(description="Data to fetch.")
class DataRecipe:
    path: str = strawberry.field(description="Its path in the commit.")
    uri: str | None = strawberry.field(description="Where the dataset lives.")
    components: JSON = strawberry.field(description=(
        "The components: {path, sha256|md5, size, versionId}."))
    external: JSON | None = strawberry.field(description="An external pin (lakeFS, DVC, HF…).")
    query: str | None = strawberry.field(description="A query dataset's query.")


@strawberry.type(description="An environment to rebuild.")
class EnvironmentRecipe:
    path: str = strawberry.field(description="Its path in the commit.")
    python: str | None = strawberry.field(description="The Python version.")
    requirements: list[str] = strawberry.field(description="The requirements, by name.")
    docker_digest: str | None = strawberry.field(description="The image digest.")
    apt: list[str] = strawberry.field(description="apt packages.")
    env_vars: JSON = strawberry.field(description="Environment variables.")
    command_line: JSON | None = strawberry.field(description="The command line.")


@strawberry.type(description="Everything needed to re-run what a run, version or alias used.")
class Recipe:
    repository: str = strawberry.field(description="The repository.")
    commit: str = strawberry.field(description="The commit.")
    code: list[CodeRecipe] = strawberry.field(description="Code, by path.")
    config: JSON = strawberry.field(description="Config: path -> {dotted key: value}.")
    data: list[DataRecipe] = strawberry.field(description="Data, by path.")
    environment: list[EnvironmentRecipe] = strawberry.field(description="Environments, by path.")
    reproducible: bool = strawberry.field(description=(
        "False when code is dirty without a patch, a component has no hash, a requirement "
        "is not pinned with ==, or an image has no digest."))
    warnings: list[str] = strawberry.field(description="Why not, each naming its path.")

    @classmethod
    def from_domain(cls, r: d.Recipe) -> Recipe:
        return cls(
            repository=r.repo, commit=r.commit,
            code=[CodeRecipe(path=c.path, repo=c.repo, commit=c.commit, dirty=c.dirty,
                             patch_sha=c.patch_sha) for c in r.code],
            config=JSON(r.config),
            data=[DataRecipe(path=x.path, uri=x.uri, components=JSON(x.components),
                             external=JSON(x.external) if x.external is not None else None,
                             query=x.query) for x in r.data],
            environment=[EnvironmentRecipe(
                path=e.path, python=e.python, requirements=e.requirements,
                docker_digest=e.docker_digest, apt=e.apt, env_vars=JSON(e.env_vars),
                command_line=e.command_line) for e in r.environment],
            reproducible=r.reproducible, warnings=r.warnings)


@strawberry.type(description="Where a model serves: following an alias, or pinned to a version.")
class Deployment:
    name: str = strawberry.field(description="Its unique name.")
    environment: str | None = strawberry.field(description="Where it runs (e.g. production).")
    endpoint: str | None = strawberry.field(description="Its URL.")
    model: str = strawberry.field(description="The registered model.")
    alias: str | None = strawberry.field(description="The alias it follows.")
    version: int | None = strawberry.field(description="The version it is pinned to.")

    @classmethod
    def from_domain(cls, x: d.Deployment) -> Deployment:
        return cls(name=x.name, environment=x.environment, endpoint=x.endpoint,
                   model=x.model, alias=x.alias, version=x.version)


@strawberry.type(description="What a (bad) dataset reaches through versioning and the registry.")
class IngredientImpact:
    artifact_id: strawberry.ID = strawberry.field(description="The dataset artifact.")
    blobs: list[str] = strawberry.field(description="Dataset blobs that pin it.")
    commits: list[str] = strawberry.field(description="Commits whose tree holds one (at most 1,000).")
    branches: list[str] = strawberry.field(description="Branches (repo/name) whose head is one.")
    runs: list[strawberry.ID] = strawberry.field(description="Runs that used those commits or read it.")
    versions: list[str] = strawberry.field(description="Model versions (model/n) those runs output.")
    aliases: list[str] = strawberry.field(description="Aliases (model@name) on those versions.")
    deployments: list[str] = strawberry.field(description="Deployments serving them.")
    in_production: bool = strawberry.field(description=(
        "A protected branch's head pins it, or an alias or deployment serves a version "
        "trained on it."))

    @classmethod
    def from_domain(cls, i: d.IngredientImpact) -> IngredientImpact:
        return cls(artifact_id=strawberry.ID(i.artifact_id), blobs=i.blobs, commits=i.commits,
                   branches=i.branches, runs=[strawberry.ID(r) for r in i.runs],
                   versions=i.versions, aliases=i.aliases, deployments=i.deployments,
                   in_production=i.in_production)
