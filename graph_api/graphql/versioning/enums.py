"""The versioning enumerations, registered with GraphQL under their domain names (before
any type or input of the package refers to them)."""

from __future__ import annotations

import strawberry

from graph_api.model import versioning as d

strawberry.enum(d.BlobKind, description="What a blob holds.")
strawberry.enum(d.DiffMode, description=(
    "THREE_DOT (the default) compares the merge base of the two refs with `to`: what `to` "
    "did since it left `from`. TWO_DOT compares the two commits."))
strawberry.enum(d.PathStatus, description="How a path changed between two trees.")
strawberry.enum(d.ChangeStatus, description=(
    "How one element changed: ADDED, DELETED, MODIFIED; RENAMED for a dataset component "
    "moved unmodified; REMOVED, UPGRADED, DOWNGRADED (PEP 440) and CHANGED (a specifier "
    "other than ==) for environment packages."))
strawberry.enum(d.MergeStrategy, description=(
    "FAIL reports conflicts; OURS and THEIRS resolve every conflict to that side."))
strawberry.enum(d.Take, description="Which value a resolution keeps.")
strawberry.enum(d.ConflictType, description=(
    "BOTH_MODIFIED: differing changes to one element; BOTH_ADDED: different adds; "
    "MODIFY_DELETE: ours modified, theirs deleted; DELETE_MODIFY: ours deleted, theirs "
    "modified; KIND_CHANGED: the blob's kind differs."))
