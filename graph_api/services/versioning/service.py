"""Repositories, commits, branches, tags, log, diff, merge, revert and blame.

Every operation is one transaction. A write that moves a branch first locks it
(`versioning/lock_branch`) and then compares its head with what the client expected, so
of concurrent writers to one branch exactly one lands and the others are told the head
they missed (`StaleHead`); no fork can appear. Refusals that are part of the API
(`StaleHead`, `ProtectedBranch`, `NoChanges`, `Conflicted`, `TagExists`) are returned as
values, with nothing written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from graph_api.config import Limits
from graph_api.errors import Conflict, FailedPrecondition, InvalidInput, NotFound
from graph_api.ids import new_id
from graph_api.model.pages import Page
from graph_api.model.versioning import (
    BlameLine,
    Blob,
    BlobKind,
    Branch,
    BranchMoved,
    Change,
    Commit,
    CommitOutcome,
    Committed,
    Conflicted,
    ConflictType,
    Diff,
    DiffMode,
    FastForwarded,
    Merged,
    MergeOutcome,
    MergeStrategy,
    MoveOutcome,
    NoChanges,
    NotFastForward,
    ProtectedBranch,
    RefUpdate,
    Repository,
    Resolution,
    StaleHead,
    Tag,
    TagCreated,
    TagExists,
    TagOutcome,
    Take,
    TreeEntry,
    UpToDate,
)
from graph_api.services.node_writes import now_ms
from graph_api.services.versioning import kinds, refs
from graph_api.services.versioning.canonical import blob_sha, canonical, commit_sha, tree_sha
from graph_api.services.versioning.diff import tree_diff
from graph_api.services.versioning.history import History, decode_cursor, log
from graph_api.services.versioning.merge import MergeResult, both_changed, three_way
from graph_api.store import versioning as rows
from graph_api.store.connection import Database, Tx

T = TypeVar("T")
Entries = dict[str, TreeEntry]

#: Bytes of canonical JSON one blob may hold (a dataset of ~30,000 hashed components).
MAX_BLOB_BYTES = 4 * 1024 * 1024
#: Changes one commit may carry.
MAX_CHANGES = 1_000
#: Commits one log page may examine (with a path filter most may not match).
MAX_LOG_SCAN = 10_000
#: Commits blame walks back along first parents.
MAX_BLAME = 1_000
DEFAULT_PROTECTED = ("prod",)


class Refused(Exception):
    """Carries an outcome out of a transaction function, rolling the transaction back."""

    def __init__(self, outcome: Any) -> None:
        super().__init__(type(outcome).__name__)
        self.outcome = outcome


@dataclass
class Prepared:
    """A blob ready to write: the record, its canonical text and indexed summaries."""

    blob: Blob
    text: str
    summary: dict[str, Any]


def prepare_blob(kind: BlobKind, content: Any, where: str) -> Prepared:
    """Check and canonicalise a blob; InvalidInput names `where` on a bad one."""
    normal = kinds.normalise(kind, content, where)
    text = canonical(normal)
    if len(text.encode()) > MAX_BLOB_BYTES:
        raise InvalidInput(f"{where}: {len(text.encode())} bytes of canonical JSON; a blob "
                           f"holds at most {MAX_BLOB_BYTES}", field=where)
    sha = blob_sha(kind.value, normal)
    return Prepared(Blob(sha, kind, normal), text, kinds.summaries(kind, normal))


def _prepared(blob: Blob) -> Prepared:
    return Prepared(blob, canonical(blob.content), kinds.summaries(blob.kind, blob.content))


def _key(repo: str, name: str) -> str:
    return f"{repo}/{name}"


async def _refused(run: Callable[[], Awaitable[T]]) -> T | Any:
    try:
        return await run()
    except Refused as refusal:
        return refusal.outcome


class VersioningService:
    """Git-like versioning of a model's ingredients, over one database."""

    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    # -- reading helpers (inside a transaction) ---------------------------------------------

    async def _repo(self, tx: Tx, name: str) -> Repository:
        repo = await rows.repository(tx, refs.repo_name(name))
        if repo is None:
            raise NotFound(f"repo: no repository {name!r}", field="repo")
        return repo

    async def resolve(self, tx: Tx, repo: str, ref: str, where: str = "ref") -> str:
        """The sha a ref names: a branch, else a tag, else a sha (7+ characters), then its
        `~n` (n-th first-parent ancestor) and `^n` (n-th parent) suffixes."""
        name, steps = refs.parse_ref(ref, where)
        branch, tag, shas = await rows.resolve_ref(tx, repo, name)
        sha = branch or tag
        if sha is None:
            if len(shas) > 1:
                raise InvalidInput(f"{where}: {name!r} is an ambiguous sha prefix", field=where)
            if not shas:
                raise NotFound(f"{where}: no branch, tag or commit {name!r} in {repo!r}",
                               field=where)
            sha = shas[0]
        if steps:
            history = History(tx, repo)
            for op, n in steps:
                for _ in range(n if op == "~" else 1):
                    parents = (await history.get(sha)).commit.parents
                    index = 0 if op == "~" else n - 1
                    if index >= len(parents):
                        raise NotFound(f"{where}: {ref!r} goes past the history", field=where)
                    sha = parents[index]
        return sha

    async def _commit(self, tx: Tx, sha: str) -> Commit:
        found = await rows.commits_by_sha(tx, [sha])
        if not found:
            raise NotFound(f"no commit {sha!r}")
        return found[0].commit

    async def _tree(self, tx: Tx, commit: Commit) -> Entries:
        return (await rows.trees(tx, [commit.tree_sha])).get(commit.tree_sha, {})

    async def _lock(self, tx: Tx, repo: str, branch: str) -> str:
        head = await rows.lock_branch(tx, _key(repo, branch), new_id())
        if head is None:
            raise NotFound(f"branch: no branch {branch!r} in {repo!r}", field="branch")
        return head

    async def _move(self, tx: Tx, repo: str, branch: str, old: str, new: str, *, op: str,
                    actor: str, reason: str | None, promotion_id: str | None = None
                    ) -> RefUpdate:
        key = _key(repo, branch)
        if not await rows.set_head(tx, key, old, new):
            raise Conflict(f"branch {branch!r} moved during the write; retry")
        return await rows.append_ref_update(
            tx, "Branch", key, update_id=new_id(), op=op, from_=old, to=new, actor=actor,
            now=now_ms(), reason=reason, promotion_id=promotion_id)

    async def _write_commit(self, tx: Tx, repo: str, entries: Entries, parents: Sequence[Commit],
                            blobs: Sequence[Prepared], *, message: str, author: str,
                            metadata: Mapping[str, Any]) -> Commit:
        shas = {p: e.blob for p, e in entries.items()}
        tree = tree_sha(shas)
        created = now_ms()
        sha = commit_sha(tree=tree, parents=[p.sha for p in parents], author=author,
                         message=message, created_at=created, metadata=metadata)
        commit = Commit(sha, repo, message, author, created,
                        max((p.generation for p in parents), default=-1) + 1, tree,
                        [p.sha for p in parents], dict(metadata))
        await rows.put_objects(tx, [(b.blob, b.text, b.summary) for b in blobs],
                               [(tree, entries)], [commit])
        return commit

    # -- repositories -------------------------------------------------------------------------

    async def create_repository(self, name: str, *, default_branch: str = "main",
                                protected: Sequence[str] | None = None,
                                actor: str = "anonymous") -> Repository:
        """Create a repository with an empty root commit and its default branch on it.

        The root's metadata names the repository, so no two repositories share a sha.

        Raises:
            Conflict: the name is taken.
            InvalidInput: a bad name.
        """
        refs.repo_name(name, "name")
        refs.ref_name(default_branch, "defaultBranch")
        globs = list(DEFAULT_PROTECTED if protected is None else protected)

        async def work(tx: Tx) -> Repository:
            if await rows.repository(tx, name) is not None:
                raise Conflict(f"name: repository {name!r} exists", field="name")
            now = now_ms()
            root_tree = tree_sha({})
            metadata = {"repository": name}
            sha = commit_sha(tree=root_tree, parents=[], author=actor, message="Initial commit",
                             created_at=now, metadata=metadata)
            root = Commit(sha, name, "Initial commit", actor, now, 0, root_tree, [], metadata)
            await rows.put_objects(tx, [], [(root_tree, {})], [root])
            await rows.create_repository(tx, name, default_branch, globs, now, sha)
            await rows.create_branch(tx, name, default_branch, sha)
            await rows.append_ref_update(
                tx, "Branch", _key(name, default_branch), update_id=new_id(), op="create",
                from_=None, to=sha, actor=actor, now=now, reason="repository created",
                promotion_id=None)
            return Repository(name, default_branch, globs, now, sha)

        return await self.db.write(work)

    async def repository(self, name: str) -> Repository | None:
        """The repository, or None."""
        refs.repo_name(name, "name")

        async def work(tx: Tx) -> Repository | None:
            return await rows.repository(tx, name)

        return await self.db.read(work)

    async def repositories(self, first: int, after: str | None) -> Page[Repository]:
        """Repositories by name, keyset-paged (the cursor is the last name)."""
        limit = self._page(first)

        async def work(tx: Tx) -> list[Repository]:
            return await rows.repositories(tx, after or "", limit + 1)

        found = await self.db.read(work)
        return Page(items=found[:limit], cursors=[r.name for r in found[:limit]],
                    has_next=len(found) > limit)

    def _page(self, first: int) -> int:
        if first < 0 or first > self.limits.max_page_size:
            raise InvalidInput(f"first: between 0 and {self.limits.max_page_size}",
                               field="first")
        return first

    # -- commits --------------------------------------------------------------------------------

    async def commit(self, repo: str, branch: str, message: str, changes: Sequence[Change], *,
                     expected_head: str | None = None, author: str = "anonymous"
                     ) -> CommitOutcome:
        """Apply `changes` (by path) to the branch's head tree and move the branch onto the
        new commit, in one transaction.

        Returns:
            Committed; StaleHead when the head is not `expected_head`; ProtectedBranch for
            a protected branch (those move by merge and promote only); NoChanges when the
            tree would not change. Only Committed writes anything.
        Raises:
            NotFound: no such repository or branch. InvalidInput: a bad path or blob.
        """
        if not message.strip():
            raise InvalidInput("message: a commit needs a message", field="message")
        if len(changes) > MAX_CHANGES:
            raise InvalidInput(f"changes: at most {MAX_CHANGES} per commit", field="changes")
        prepared: dict[str, Prepared | None] = {}
        for i, change in enumerate(changes):
            where = f"changes[{i}]"
            path = refs.path(change.path, f"{where}.path")
            if path in prepared:
                raise InvalidInput(f"{where}.path: {path!r} is changed twice", field=f"{where}.path")
            prepared[path] = (None if change.blob is None else
                              prepare_blob(change.blob.kind, change.blob.content,
                                           f"{where}.content"))

        async def work(tx: Tx) -> CommitOutcome:
            info = await self._repo(tx, repo)
            head = await self._lock(tx, repo, branch)
            if refs.is_protected(branch, info.protected):
                raise Refused(ProtectedBranch(branch, f"{branch!r} is protected: it moves by "
                                                      "merge and promote only"))
            if expected_head is not None and head != expected_head:
                raise Refused(StaleHead(branch, expected_head, head))
            parent = await self._commit(tx, head)
            entries = dict(await self._tree(tx, parent))
            for path, blob in prepared.items():
                if blob is not None:
                    entries[path] = TreeEntry(path, blob.blob.kind, blob.blob.sha)
                    continue
                gone = [p for p in entries if p == path or p.startswith(path + "/")]
                if not gone:
                    raise InvalidInput(f"changes: nothing to delete at {path!r}", field="changes")
                for p in gone:
                    del entries[p]
            clash = refs.prefix_clash(list(entries))
            if clash is not None:
                raise InvalidInput(f"changes: {clash[0]!r} would be both a blob and a folder "
                                   f"(of {clash[1]!r})", field="changes")
            if tree_sha({p: e.blob for p, e in entries.items()}) == parent.tree_sha:
                raise Refused(NoChanges(head))
            commit = await self._write_commit(
                tx, repo, entries, [parent], [b for b in prepared.values() if b is not None],
                message=message, author=author, metadata={})
            await self._move(tx, repo, branch, head, commit.sha, op="commit", actor=author,
                             reason=None)
            return Committed(commit)

        outcome: CommitOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def get_commit(self, repo: str, ref: str) -> Commit | None:
        """The commit a ref names, or None when it names none."""
        async def work(tx: Tx) -> Commit | None:
            await self._repo(tx, repo)
            try:
                sha = await self.resolve(tx, repo, ref)
            except NotFound:
                return None
            return await self._commit(tx, sha)

        return await self.db.read(work)

    async def tree(self, repo: str, ref: str) -> list[TreeEntry]:
        """The entries of the commit's tree, by path."""
        async def work(tx: Tx) -> list[TreeEntry]:
            commit = await self._commit(tx, await self.resolve(tx, repo, ref))
            entries = await self._tree(tx, commit)
            return [entries[p] for p in sorted(entries)]

        return await self.db.read(work)

    async def blob(self, repo: str, ref: str, path: str) -> Blob | None:
        """The blob at `path` in the commit a ref names (None: nothing there)."""
        async def work(tx: Tx) -> Blob | None:
            commit = await self._commit(tx, await self.resolve(tx, repo, ref))
            entry = (await self._tree(tx, commit)).get(path)
            if entry is None:
                return None
            return (await rows.blobs(tx, [entry.blob]))[entry.blob]

        return await self.db.read(work)

    async def runs(self, repo: str, sha: str, first: int = 50) -> list[str]:
        """Ids of the runs that used a commit (`useIngredients`), at most `first`.

        Raises:
            NotFound: no such commit in the repository.
        """
        limit = self._page(first)

        async def work(tx: Tx) -> list[str]:
            found = await rows.commit_dependents(tx, sha, limit)
            if found is None or found.repo != repo:
                raise NotFound(f"sha: no commit {sha!r} in {repo!r}", field="sha")
            return found.runs

        return await self.db.read(work)

    async def delete_commit(self, repo: str, sha: str) -> None:
        """Delete a commit nothing depends on.

        Raises:
            FailedPrecondition: it has children, a branch or tag on it, is the root, or a
                run used it (the message names them).
            NotFound: no such commit in the repository.
        """
        async def work(tx: Tx) -> None:
            found = await rows.commit_dependents(tx, sha)
            if found is None or found.repo != repo:
                raise NotFound(f"sha: no commit {sha!r} in {repo!r}", field="sha")
            reasons = []
            if found.runs:
                reasons.append(f"runs used it: {', '.join(found.runs)}")
            if found.children:
                reasons.append(f"it has {found.children} child commit(s)")
            if found.branches:
                reasons.append(f"branches point at it: {', '.join(found.branches)}")
            if found.tags:
                reasons.append(f"tags point at it: {', '.join(found.tags)}")
            if found.root:
                reasons.append("it is the repository's root commit")
            if reasons:
                raise FailedPrecondition(f"sha: commit {sha[:12]} cannot be deleted: "
                                         + "; ".join(reasons), field="sha")
            await rows.delete_commit(tx, sha)

        await self.db.write(work)

    # -- branches and tags ----------------------------------------------------------------------

    async def create_branch(self, repo: str, name: str, from_ref: str, *,
                            actor: str = "anonymous") -> Branch:
        """A new branch at the commit `from_ref` names.

        Raises:
            Conflict: the name is taken. NotFound: no such repository or ref.
        """
        refs.ref_name(name)

        async def work(tx: Tx) -> Branch:
            info = await self._repo(tx, repo)
            sha = await self.resolve(tx, repo, from_ref, "from")
            existing, _, _ = await rows.resolve_ref(tx, repo, name)
            if existing is not None:
                raise Conflict(f"name: branch {name!r} exists in {repo!r}", field="name")
            await rows.create_branch(tx, repo, name, sha)
            await rows.append_ref_update(tx, "Branch", _key(repo, name), update_id=new_id(),
                                         op="create", from_=None, to=sha, actor=actor,
                                         now=now_ms(), reason=None, promotion_id=None)
            return Branch(repo, name, sha, refs.is_protected(name, info.protected))

        return await self.db.write(work)

    async def move_branch(self, repo: str, name: str, to_ref: str, *, expected_head: str | None,
                          force: bool = False, actor: str = "anonymous",
                          reason: str | None = None) -> MoveOutcome:
        """Move a branch to a commit: a fast-forward, or with `force` any move (refused on
        protected branches, which move by merge and promote only)."""
        async def work(tx: Tx) -> MoveOutcome:
            info = await self._repo(tx, repo)
            head = await self._lock(tx, repo, name)
            target = await self.resolve(tx, repo, to_ref, "to")
            protected = refs.is_protected(name, info.protected)
            if expected_head is not None and head != expected_head:
                raise Refused(StaleHead(name, expected_head, head))
            fast_forward = await History(tx, repo).is_ancestor(head, target)
            if not fast_forward and not force:
                raise Refused(NotFastForward(name, head, target))
            if protected and not fast_forward:
                raise Refused(ProtectedBranch(name, f"{name!r} is protected: it cannot be "
                                                    "forced"))
            if protected:
                raise Refused(ProtectedBranch(name, f"{name!r} is protected: it moves by merge "
                                                    "and promote only"))
            if head != target:
                await self._move(tx, repo, name, head, target,
                                 op="fast-forward" if fast_forward else "force", actor=actor,
                                 reason=reason)
            return BranchMoved(Branch(repo, name, target, protected), not fast_forward)

        outcome: MoveOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def delete_branch(self, repo: str, name: str, *, actor: str = "anonymous",
                            reason: str | None = None) -> str:
        """Delete a branch (not the default one, not a protected one); returns its head.
        The deletion is logged."""
        async def work(tx: Tx) -> str:
            info = await self._repo(tx, repo)
            if name == info.default_branch or refs.is_protected(name, info.protected):
                raise FailedPrecondition(f"name: {name!r} is the default or a protected branch",
                                         field="name")
            head = await self._lock(tx, repo, name)
            await rows.append_ref_update(tx, "Branch", _key(repo, name), update_id=new_id(),
                                         op="delete", from_=head, to=None, actor=actor,
                                         now=now_ms(), reason=reason, promotion_id=None)
            await rows.delete_branch(tx, _key(repo, name))
            return head

        return await self.db.write(work)

    async def create_tag(self, repo: str, name: str, ref: str, *, actor: str = "anonymous"
                         ) -> TagOutcome:
        """Tag a commit. Tags are create-once: a taken name returns TagExists."""
        refs.ref_name(name)

        async def work(tx: Tx) -> TagOutcome:
            await self._repo(tx, repo)
            sha = await self.resolve(tx, repo, ref)
            _, existing, _ = await rows.resolve_ref(tx, repo, name)
            if existing is not None:
                raise Refused(TagExists(name, existing))
            await rows.create_tag(tx, repo, name, sha)
            await rows.append_ref_update(tx, "Tag", _key(repo, name), update_id=new_id(),
                                         op="create", from_=None, to=sha, actor=actor,
                                         now=now_ms(), reason=None, promotion_id=None)
            return TagCreated(Tag(repo, name, sha))

        outcome: TagOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def delete_tag(self, repo: str, name: str, *, force: bool = False,
                         actor: str = "anonymous", reason: str | None = None) -> str:
        """Delete a tag; tags are immutable, so this needs `force`, and is logged. Returns
        the sha it pointed at.

        Raises:
            FailedPrecondition: without `force`. NotFound: no such tag.
        """
        if not force:
            raise FailedPrecondition(f"name: tag {name!r} is immutable: deleting it needs force",
                                     field="name")

        async def work(tx: Tx) -> str:
            await self._repo(tx, repo)
            _, target, _ = await rows.resolve_ref(tx, repo, name)
            if target is None:
                raise NotFound(f"name: no tag {name!r} in {repo!r}", field="name")
            await rows.append_ref_update(tx, "Tag", _key(repo, name), update_id=new_id(),
                                         op="delete", from_=target, to=None, actor=actor,
                                         now=now_ms(), reason=reason, promotion_id=None)
            await rows.delete_tag(tx, _key(repo, name))
            return target

        return await self.db.write(work)

    async def branches(self, repo: str, first: int, after: str | None) -> Page[Branch]:
        """A repository's branches by name (the cursor is the last name)."""
        limit = self._page(first)

        async def work(tx: Tx) -> tuple[Repository, list[tuple[str, str]]]:
            return (await self._repo(tx, repo), await rows.branches(tx, repo, after or "",
                                                                     limit + 1))

        info, found = await self.db.read(work)
        items = [Branch(repo, n, h, refs.is_protected(n, info.protected))
                 for n, h in found[:limit]]
        return Page(items=items, cursors=[b.name for b in items], has_next=len(found) > limit)

    async def ahead_behind(self, repo: str, ref: str, of: str) -> tuple[int, int]:
        """How many commits `ref` has that `of` lacks, and the other way round."""
        async def work(tx: Tx) -> tuple[int, int]:
            await self._repo(tx, repo)
            a = await self.resolve(tx, repo, ref)
            b = await self.resolve(tx, repo, of, "of")
            return await History(tx, repo).ahead_behind(a, b)

        return await self.db.read(work)

    async def tags(self, repo: str, first: int, after: str | None) -> Page[Tag]:
        """A repository's tags by name (the cursor is the last name)."""
        limit = self._page(first)

        async def work(tx: Tx) -> list[tuple[str, str]]:
            await self._repo(tx, repo)
            return await rows.tags(tx, repo, after or "", limit + 1)

        found = await self.db.read(work)
        items = [Tag(repo, n, t) for n, t in found[:limit]]
        return Page(items=items, cursors=[t.name for t in items], has_next=len(found) > limit)

    async def history(self, ref_key: str, *, as_of: int | None, first: int,
                      after: str | None) -> Page[RefUpdate]:
        """Moves of a ref (`repo/branch`, `repo/tag` or `model@alias`), newest first, up to
        `as_of` (ms); the first entry of a page with `as_of` is where the ref pointed then."""
        limit = self._page(first)
        cursor: tuple[int, str] | None = None
        if after:
            at, _, update_id = after.partition(":")
            if not at.isdigit() or not update_id:
                raise InvalidInput("after: not a cursor of this history", field="after")
            cursor = (int(at), update_id)

        async def work(tx: Tx) -> list[RefUpdate]:
            return await rows.ref_history(tx, ref_key, as_of, cursor, limit + 1)

        found = await self.db.read(work)
        items = found[:limit]
        return Page(items=items, cursors=[f"{u.at}:{u.id}" for u in items],
                    has_next=len(found) > limit)

    # -- log, diff, blame -----------------------------------------------------------------------

    async def log(self, repo: str, ref: str, *, path: str | None = None,
                  first_parent: bool = False, first: int = 50, after: str | None = None
                  ) -> Page[Commit]:
        """Commits reachable from `ref`, newest first (generation, then time, then sha);
        with `path`, only those that changed the blob at `path`. Keyset-paged."""
        limit = self._page(first)
        if path is not None:
            refs.path(path)

        async def work(tx: Tx) -> Page[Commit]:
            await self._repo(tx, repo)
            history = History(tx, repo, path=path)
            starts = decode_cursor(after) if after else [await self.resolve(tx, repo, ref)]
            for c in await history.load(starts):
                if c.commit.repo != repo:
                    raise InvalidInput("after: not a cursor of this log", field="after")
            page = await log(history, starts, first=limit, first_parent=first_parent,
                             path=path, max_scan=MAX_LOG_SCAN)
            cursors = list(page.cursors)
            if cursors and page.end_cursor:
                cursors[-1] = page.end_cursor
            return Page(items=page.commits, cursors=cursors, has_next=page.has_next)

        return await self.db.read(work)

    async def _diff(self, tx: Tx, before: Entries, after: Entries,
                    known: Mapping[str, Blob] | None = None) -> list[Any]:
        changed = [e.blob for t in (before, after) for p, e in t.items()
                   if p not in before or p not in after or before[p].blob != after[p].blob]
        blobs = dict(known or {})
        missing = [s for s in changed if s not in blobs]
        if missing:
            blobs.update(await rows.blobs(tx, missing))
        return tree_diff(before, after, blobs)

    async def diff(self, repo: str, from_ref: str, to_ref: str,
                   mode: DiffMode = DiffMode.THREE_DOT) -> Diff:
        """What changed from `from_ref` to `to_ref`: with THREE_DOT (the default) from their
        merge base, i.e. what `to` did since it left `from`; with TWO_DOT between the two."""
        async def work(tx: Tx) -> Diff:
            await self._repo(tx, repo)
            a = await self.resolve(tx, repo, from_ref, "from")
            b = await self.resolve(tx, repo, to_ref, "to")
            base = await History(tx, repo).merge_base(a, b) if mode is DiffMode.THREE_DOT else a
            start: Entries = {}
            if base is not None:
                start = await self._tree(tx, await self._commit(tx, base))
            end = await self._tree(tx, await self._commit(tx, b))
            return Diff(a, b, base if mode is DiffMode.THREE_DOT else None, mode,
                        await self._diff(tx, start, end))

        return await self.db.read(work)

    async def blame(self, repo: str, ref: str, path: str) -> list[BlameLine]:
        """For each element of the blob at `path`, the last commit (along first parents)
        that changed it."""
        refs.path(path)

        async def work(tx: Tx) -> list[BlameLine]:
            await self._repo(tx, repo)
            history = History(tx, repo, path=path, max_commits=MAX_BLAME * 4)
            current = await history.get(await self.resolve(tx, repo, ref))
            if current.path_blob is None:
                raise NotFound(f"path: nothing at {path!r}", field="path")
            blob = (await rows.blobs(tx, [current.path_blob]))[current.path_blob]
            values = kinds.elements(blob.kind, blob.content)
            remaining = set(values)
            out: dict[str, Commit] = {}
            for _ in range(MAX_BLAME):
                parents = await history.parents(current, first_only=True)
                before = parents[0].path_blob if parents else None
                if before != current.path_blob:
                    old: Mapping[str, Any] = {}
                    if before is not None:
                        prior = (await rows.blobs(tx, [before]))[before]
                        if prior.kind is blob.kind:
                            old = kinds.elements(prior.kind, prior.content)
                    mine = kinds.elements(blob.kind, (await rows.blobs(
                        tx, [current.path_blob]))[current.path_blob].content) \
                        if current.path_blob else {}
                    for key in list(remaining):
                        if key not in old or canonical(old[key]) != canonical(mine.get(key)):
                            out[key] = current.commit
                            remaining.discard(key)
                if not remaining or not parents:
                    break
                current = parents[0]
            return [BlameLine(k, values[k], out[k]) for k in sorted(out)]

        return await self.db.read(work)

    # -- merge and revert -----------------------------------------------------------------------

    async def _three_way(self, tx: Tx, base: Entries, ours: Entries, theirs: Entries,
                         strategy: MergeStrategy, resolutions: Sequence[Resolution]
                         ) -> MergeResult:
        paths = both_changed(base, ours, theirs)
        needed = [t[p].blob for p in paths for t in (base, ours, theirs) if p in t]
        blobs = await rows.blobs(tx, needed) if needed else {}
        result = three_way(base, ours, theirs, blobs, strategy, resolutions)
        descendants = await self._descendants(tx, result)
        if not descendants:
            return result
        return three_way(base, ours, theirs, blobs, strategy, [*resolutions, *descendants])

    async def _descendants(self, tx: Tx, result: MergeResult) -> list[Resolution]:
        """Repo-refs changed on both sides where one commit descends from the other: the
        descendant is taken (a submodule moved forward on both sides is not a conflict)."""
        out = []
        for c in result.conflicts:
            if c.kind is not BlobKind.REPO_REF or c.type is not ConflictType.BOTH_MODIFIED:
                continue
            ours, theirs = c.ours, c.theirs
            if ours["repository"] != theirs["repository"]:
                continue
            history = History(tx, ours["repository"])
            try:
                if await history.is_ancestor(ours["commit"], theirs["commit"]):
                    out.append(Resolution(c.path, c.element_key, Take.THEIRS))
                elif await history.is_ancestor(theirs["commit"], ours["commit"]):
                    out.append(Resolution(c.path, c.element_key, Take.OURS))
            except NotFound:
                continue  # a commit of another store, or gone: a real conflict
        return out

    async def _merge_in(self, tx: Tx, repo: str, source: str, into: str, head: str, *,
                        strategy: MergeStrategy, resolutions: Sequence[Resolution],
                        dry_run: bool, no_fast_forward: bool, message: str | None,
                        author: str, promotion_id: str | None = None,
                        op: str = "merge") -> Merged | FastForwarded | UpToDate | Conflicted:
        """Merge commit `source` into branch `into` (locked, at `head`) in `tx`."""
        history = History(tx, repo)
        if source == head or await history.is_ancestor(source, head):
            return UpToDate(head)
        base = await history.merge_base(head, source)
        theirs_commit = await self._commit(tx, source)
        if base == head and not no_fast_forward:
            if not dry_run:
                await self._move(tx, repo, into, head, source, op="fast-forward", actor=author,
                                 reason=message, promotion_id=promotion_id)
            return FastForwarded(theirs_commit, head, dry_run)
        ours_commit = await self._commit(tx, head)
        base_tree: Entries = {}
        if base is not None:
            base_tree = await self._tree(tx, await self._commit(tx, base))
        ours, theirs = await self._tree(tx, ours_commit), await self._tree(tx, theirs_commit)
        result = await self._three_way(tx, base_tree, ours, theirs, strategy, resolutions)
        if result.conflicts:
            return Conflicted(base, head, source, result.conflicts)
        metadata = {"strategy": strategy.value, "resolutions": result.resolved, "base": base}
        text = message or f"Merge {source[:12]} into {into}"
        new_blobs = [_prepared(b) for b in result.new_blobs.values()]
        if dry_run:
            tree = tree_sha({p: e.blob for p, e in result.tree.items()})
            created = now_ms()
            sha = commit_sha(tree=tree, parents=[head, source], author=author, message=text,
                             created_at=created, metadata=metadata)
            would_be = Commit(sha, repo, text, author, created,
                              max(ours_commit.generation, theirs_commit.generation) + 1, tree,
                              [head, source], metadata)
            diff = Diff(head, sha, None, DiffMode.TWO_DOT,
                        await self._diff(tx, ours, result.tree, result.new_blobs))
            return Merged(would_be, base, diff, dry_run=True)
        commit = await self._write_commit(tx, repo, result.tree, [ours_commit, theirs_commit],
                                          new_blobs, message=text, author=author,
                                          metadata=metadata)
        await self._move(tx, repo, into, head, commit.sha, op=op, actor=author, reason=message,
                         promotion_id=promotion_id)
        return Merged(commit, base)

    async def merge(self, repo: str, source: str, into: str, *,
                    strategy: MergeStrategy = MergeStrategy.FAIL,
                    resolutions: Sequence[Resolution] = (), dry_run: bool = False,
                    no_fast_forward: bool = False, expected_head: str | None = None,
                    message: str | None = None, author: str = "anonymous") -> MergeOutcome:
        """Merge the commit `source` names into branch `into`, in one transaction.

        UpToDate when `source` is already in `into`; FastForwarded when `into` is an
        ancestor of `source` (unless `no_fast_forward`); otherwise a three-way merge from
        the best common ancestor: Merged (parents `[into, source]`, metadata `{strategy,
        resolutions, base}`) or Conflicted with every conflict and nothing written.
        `dry_run` writes nothing and returns the would-be commit and its diff.
        """
        async def work(tx: Tx) -> MergeOutcome:
            await self._repo(tx, repo)
            head = await self._lock(tx, repo, into)
            if expected_head is not None and head != expected_head:
                raise Refused(StaleHead(into, expected_head, head))
            sha = await self.resolve(tx, repo, source, "source")
            outcome = await self._merge_in(tx, repo, sha, into, head, strategy=strategy,
                                           resolutions=resolutions, dry_run=dry_run,
                                           no_fast_forward=no_fast_forward, message=message,
                                           author=author)
            if isinstance(outcome, Conflicted):
                raise Refused(outcome)
            return outcome

        outcome: MergeOutcome = await _refused(lambda: self.db.write(work))
        return outcome

    async def revert(self, repo: str, commit: str, onto: str, *, parent: int | None = None,
                     strategy: MergeStrategy = MergeStrategy.FAIL,
                     resolutions: Sequence[Resolution] = (), expected_head: str | None = None,
                     dry_run: bool = False, author: str = "anonymous") -> MergeOutcome:
        """Undo a commit on branch `onto`: a three-way merge with base = the commit, ours =
        `onto`'s head and theirs = the commit's parent number `parent` (1-based; required
        for a merge commit). Conflicts are reported as merge reports them."""
        async def work(tx: Tx) -> MergeOutcome:
            info = await self._repo(tx, repo)
            head = await self._lock(tx, repo, onto)
            if expected_head is not None and head != expected_head:
                raise Refused(StaleHead(onto, expected_head, head))
            if refs.is_protected(onto, info.protected):
                raise Refused(ProtectedBranch(onto, f"{onto!r} is protected: revert on a "
                                                    "branch and merge it"))
            target = await self._commit(tx, await self.resolve(tx, repo, commit, "commit"))
            if len(target.parents) > 1 and parent is None:
                raise InvalidInput(f"parent: {target.sha[:12]} is a merge commit: say which "
                                   f"parent (1-{len(target.parents)}) to revert to",
                                   field="parent")
            index = (parent or 1) - 1
            if target.parents and not 0 <= index < len(target.parents):
                raise InvalidInput(f"parent: between 1 and {len(target.parents)}", field="parent")
            base = await self._tree(tx, target)
            theirs: Entries = {}
            if target.parents:
                theirs = await self._tree(tx, await self._commit(tx, target.parents[index]))
            ours_commit = await self._commit(tx, head)
            ours = await self._tree(tx, ours_commit)
            result = await self._three_way(tx, base, ours, theirs, strategy, resolutions)
            if result.conflicts:
                raise Refused(Conflicted(target.sha, head, target.parents[index]
                                         if target.parents else target.sha, result.conflicts))
            if tree_sha({p: e.blob for p, e in result.tree.items()}) == ours_commit.tree_sha:
                return UpToDate(head)
            metadata = {"revert": target.sha, "parent": index + 1, "strategy": strategy.value,
                        "resolutions": result.resolved}
            message = f"Revert \"{target.message}\"\n\nThis reverts commit {target.sha}."
            new_blobs = [_prepared(b) for b in result.new_blobs.values()]
            if dry_run:
                return Merged(replace(ours_commit, metadata=metadata), target.sha,
                              Diff(head, head, None, DiffMode.TWO_DOT,
                                   await self._diff(tx, ours, result.tree, result.new_blobs)),
                              dry_run=True)
            new = await self._write_commit(tx, repo, result.tree, [ours_commit], new_blobs,
                                           message=message, author=author, metadata=metadata)
            await self._move(tx, repo, onto, head, new.sha, op="revert", actor=author,
                             reason=None)
            return Merged(new, target.sha)

        outcome: MergeOutcome = await _refused(lambda: self.db.write(work))
        return outcome
