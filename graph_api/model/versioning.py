"""Records of ingredient versioning and the model registry (repositories, commits, trees,
blobs, refs, diffs, merges, model versions, aliases, recipes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BlobKind(StrEnum):
    """What a blob holds."""

    CONFIG = "config"
    DATASET = "dataset"
    ENVIRONMENT = "environment"
    CODE = "code"
    REPO_REF = "repo-ref"


class DiffMode(StrEnum):
    """TWO_DOT compares the two commits; THREE_DOT compares their merge base with `to`."""

    TWO_DOT = "TWO_DOT"
    THREE_DOT = "THREE_DOT"


class PathStatus(StrEnum):
    ADDED = "ADDED"
    DELETED = "DELETED"
    MODIFIED = "MODIFIED"
    KIND_CHANGED = "KIND_CHANGED"


class ChangeStatus(StrEnum):
    """How one element changed. Datasets add RENAMED; environment packages use REMOVED,
    UPGRADED, DOWNGRADED and CHANGED (a specifier other than `==` changed)."""

    ADDED = "ADDED"
    DELETED = "DELETED"
    MODIFIED = "MODIFIED"
    RENAMED = "RENAMED"
    REMOVED = "REMOVED"
    UPGRADED = "UPGRADED"
    DOWNGRADED = "DOWNGRADED"
    CHANGED = "CHANGED"


class MergeStrategy(StrEnum):
    FAIL = "FAIL"
    OURS = "OURS"
    THEIRS = "THEIRS"


class Take(StrEnum):
    OURS = "OURS"
    THEIRS = "THEIRS"
    BASE = "BASE"
    VALUE = "VALUE"


class ConflictType(StrEnum):
    BOTH_MODIFIED = "BOTH_MODIFIED"
    BOTH_ADDED = "BOTH_ADDED"
    MODIFY_DELETE = "MODIFY_DELETE"
    DELETE_MODIFY = "DELETE_MODIFY"
    KIND_CHANGED = "KIND_CHANGED"


@dataclass(frozen=True)
class Repository:
    name: str
    default_branch: str
    protected: list[str]
    created_at: int
    root: str


@dataclass(frozen=True)
class Commit:
    sha: str
    repo: str
    message: str
    author: str
    created_at: int
    generation: int
    tree_sha: str
    parents: list[str]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Blob:
    sha: str
    kind: BlobKind
    content: dict[str, Any]


@dataclass(frozen=True)
class TreeEntry:
    path: str
    kind: BlobKind
    blob: str


@dataclass(frozen=True)
class Branch:
    repo: str
    name: str
    head: str
    protected: bool


@dataclass(frozen=True)
class Tag:
    repo: str
    name: str
    target: str


@dataclass(frozen=True)
class RefUpdate:
    """One move of a branch, tag or alias (append-only)."""

    id: str
    ref: str
    ref_type: str
    op: str
    from_: str | None
    to: str | None
    actor: str
    at: int
    reason: str | None
    promotion_id: str | None


@dataclass(frozen=True)
class BlobInput:
    kind: BlobKind
    content: Any


@dataclass(frozen=True)
class Change:
    """Put `blob` at `path`, or delete `path` (blob None)."""

    path: str
    blob: BlobInput | None


@dataclass(frozen=True)
class ElementChange:
    key: str
    status: ChangeStatus
    before: Any = None
    after: Any = None
    delta: float | None = None
    renamed_from: str | None = None


@dataclass(frozen=True)
class PathDiff:
    path: str
    status: PathStatus
    kind_before: BlobKind | None
    kind_after: BlobKind | None
    blob_before: str | None
    blob_after: str | None
    changes: list[ElementChange] = field(default_factory=list)
    counts: dict[str, int] | None = None
    bytes_delta: int | None = None


@dataclass(frozen=True)
class Diff:
    from_sha: str
    to_sha: str
    base_sha: str | None
    mode: DiffMode
    paths: list[PathDiff]


@dataclass(frozen=True)
class Conflict:
    path: str
    kind: BlobKind | None
    element_key: str | None
    type: ConflictType
    base: Any
    ours: Any
    theirs: Any


@dataclass(frozen=True)
class Resolution:
    path: str
    element_key: str | None
    take: Take
    value: Any = None


# -- outcomes: what a write did, or why it was refused (nothing written) ----------------------

@dataclass(frozen=True)
class Committed:
    commit: Commit


@dataclass(frozen=True)
class StaleHead:
    branch: str
    expected: str | None
    current: str


@dataclass(frozen=True)
class ProtectedBranch:
    branch: str
    message: str


@dataclass(frozen=True)
class NoChanges:
    head: str


@dataclass(frozen=True)
class TagExists:
    tag: str
    target: str


@dataclass(frozen=True)
class TagCreated:
    tag: Tag


@dataclass(frozen=True)
class BranchMoved:
    branch: Branch
    forced: bool


@dataclass(frozen=True)
class NotFastForward:
    branch: str
    current: str
    target: str


@dataclass(frozen=True)
class Merged:
    commit: Commit
    base: str | None
    diff: Diff | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class FastForwarded:
    commit: Commit
    previous: str
    dry_run: bool = False


@dataclass(frozen=True)
class UpToDate:
    head: str


@dataclass(frozen=True)
class Conflicted:
    base: str | None
    ours: str
    theirs: str
    conflicts: list[Conflict]


CommitOutcome = Committed | StaleHead | ProtectedBranch | NoChanges
MergeOutcome = Merged | FastForwarded | UpToDate | Conflicted | StaleHead | ProtectedBranch
MoveOutcome = BranchMoved | StaleHead | ProtectedBranch | NotFastForward
TagOutcome = TagCreated | TagExists


# -- registry ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelVersion:
    model: str
    version: int
    artifact_id: str
    created_at: int
    run_id: str | None
    commit_sha: str | None
    repo: str | None
    aliases: list[str]


@dataclass(frozen=True)
class Alias:
    model: str
    name: str
    version: int
    updated_at: int


@dataclass(frozen=True)
class AliasSet:
    alias: Alias
    update: RefUpdate


@dataclass(frozen=True)
class StaleAlias:
    alias: str
    expected: int | None
    current: int | None


AliasOutcome = AliasSet | StaleAlias


@dataclass(frozen=True)
class Promoted:
    promotion_id: str
    alias: Alias
    merge: Merged | FastForwarded | UpToDate
    updates: list[RefUpdate]
    dry_run: bool


@dataclass(frozen=True)
class RetrainRequired:
    """`branch` would hold ingredients the version was not trained on: `diff` goes from the
    commit it was trained on to what the branch would hold after the merge."""

    model: str
    version: int
    trained_on: str
    branch: str
    diff: Diff


PromoteOutcome = Promoted | RetrainRequired | Conflicted | StaleHead


@dataclass(frozen=True)
class ProductionEntry:
    model: str
    alias: str
    version: int
    commit_sha: str | None
    repo: str | None
    branch: str | None
    branch_head: str | None
    consistent: bool
    since: int


@dataclass(frozen=True)
class CodeRecipe:
    path: str
    repo: str | None
    commit: str | None
    dirty: bool
    patch_sha: str | None


@dataclass(frozen=True)
class DataRecipe:
    path: str
    uri: str | None
    components: list[dict[str, Any]]
    external: dict[str, Any] | None
    query: str | None


@dataclass(frozen=True)
class EnvironmentRecipe:
    path: str
    python: str | None
    requirements: list[str]
    docker_digest: str | None
    apt: list[str]
    env_vars: dict[str, str]
    command_line: Any


@dataclass(frozen=True)
class Recipe:
    repo: str
    commit: str
    code: list[CodeRecipe]
    config: dict[str, dict[str, Any]]
    data: list[DataRecipe]
    environment: list[EnvironmentRecipe]
    reproducible: bool
    warnings: list[str]


@dataclass(frozen=True)
class BlameLine:
    key: str
    value: Any
    commit: Commit


@dataclass(frozen=True)
class Deployment:
    """Where a model serves: following an alias, or pinned to a version."""

    name: str
    environment: str | None
    endpoint: str | None
    model: str
    alias: str | None
    version: int | None


@dataclass(frozen=True)
class IngredientImpact:
    """What a dataset artifact reaches through the versioning graph."""

    artifact_id: str
    blobs: list[str]
    commits: list[str]
    branches: list[str]
    runs: list[str]
    versions: list[str]
    aliases: list[str]
    deployments: list[str]
    in_production: bool


@dataclass(frozen=True)
class RunIngredients:
    """The commit a run used (`useIngredients`): its repository, message and entries."""

    run_id: str
    repo: str
    sha: str
    message: str
    entries: list[TreeEntry]
