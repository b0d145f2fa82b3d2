"""GraphQL calls the versioning scenarios share."""

from __future__ import annotations

from typing import Any

from graph_api.store.connection import Database
from tests.integration.api import Api

COMMIT = """
mutation($input: CommitInput!) {
  commit(input: $input) {
    __typename
    ... on Committed { commit { sha parents metadata treeSha } }
    ... on StaleHead { branch expected current }
    ... on ProtectedBranch { branch message }
    ... on NoChanges { head }
  }
}"""

MERGE_FIELDS = """
    __typename
    ... on Merged { commit { sha parents metadata } base dryRun
                    diff { paths { edges { node { path status } } } } }
    ... on FastForwarded { commit { sha } previous }
    ... on UpToDate { head }
    ... on Conflicted { base ours theirs conflictCount
      conflicts { edges { node { path kind elementKey type base ours theirs } } } }
    ... on StaleHead { current }
    ... on ProtectedBranch { message }
"""

MERGE = "mutation($input: MergeInput!) { merge(input: $input) {" + MERGE_FIELDS + "} }"
REVERT = "mutation($input: RevertInput!) { revert(input: $input) {" + MERGE_FIELDS + "} }"


def create_repository(api: Api, name: str) -> str:
    data = api.data("mutation($n: String!) { createRepository(name: $n) { root } }",
                    {"n": name})
    root: str = data["createRepository"]["root"]
    return root


def create_branch(api: Api, repo: str, name: str, from_: str) -> str:
    data = api.data("mutation($r: String!, $n: String!, $f: String!) { "
                    "createBranch(repo: $r, name: $n, from: $f) { head } }",
                    {"r": repo, "n": name, "f": from_})
    head: str = data["createBranch"]["head"]
    return head


def blob(kind: str, path: str, content: Any) -> dict[str, Any]:
    return {"path": path, "kind": kind, "content": content}


def config(path: str, values: dict[str, Any]) -> dict[str, Any]:
    return blob("CONFIG", path, values)


def commit(api: Api, repo: str, branch: str, changes: list[dict[str, Any]],
           expected: str | None = None, message: str = "change") -> dict[str, Any]:
    data = api.data(COMMIT, {"input": {"repo": repo, "branch": branch, "message": message,
                                       "changes": changes, "expectedHead": expected}})
    result: dict[str, Any] = data["commit"]
    return result


def committed(api: Api, repo: str, branch: str, changes: list[dict[str, Any]],
              message: str = "change") -> str:
    result = commit(api, repo, branch, changes, message=message)
    assert result["__typename"] == "Committed", result
    sha: str = result["commit"]["sha"]
    return sha


def merge(api: Api, repo: str, source: str, into: str, **extra: Any) -> dict[str, Any]:
    data = api.data(MERGE, {"input": {"repo": repo, "source": source, "into": into, **extra}})
    result: dict[str, Any] = data["merge"]
    return result


def head(api: Api, repo: str, branch: str) -> str:
    data = api.data("query($r: String!, $b: String!) { repository(name: $r) { ref(name: $b) "
                    "{ sha } } }", {"r": repo, "b": branch})
    sha: str = data["repository"]["ref"]["sha"]
    return sha


def content(api: Api, repo: str, ref: str, path: str) -> Any:
    data = api.data("query($r: String!, $f: String!, $p: String!) { repository(name: $r) { "
                    "blob(ref: $f, path: $p) { sha content } } }",
                    {"r": repo, "f": ref, "p": path})
    return data["repository"]["blob"]


def history(api: Api, repo: str, ref: str) -> list[dict[str, Any]]:
    data = api.data("query($r: String!, $f: String!) { repository(name: $r) { "
                    "history(ref: $f) { edges { node { op from to actor at reason "
                    "promotionId } } } } }", {"r": repo, "f": ref})
    return [e["node"] for e in data["repository"]["history"]["edges"]]


def nodes(result: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [e["node"] for e in result[field]["edges"]]


async def node_count(db: Database) -> int:
    records, _, _ = await db.driver.execute_query("MATCH (n) RETURN count(n) AS n",
                                                  database_=db.database)
    count: int = records[0]["n"]
    return count


def run_with_model(api: Api, name: str, model_uri: str) -> tuple[str, str]:
    """A training run that output a Model artifact: (run id, artifact id)."""
    for kind in ("Artifact", "Execution"):
        type_name = "Model" if kind == "Artifact" else "Trainer"
        api.data(f"mutation($i: TypeDefinitionInput!) {{ put{kind}Type(input: $i) {{ id }} }}",
                 {"i": {"name": type_name}})
    data = api.data("""mutation($x: ExecutionInput!, $a: [ArtifactEventInput!]) {
        putExecution(execution: $x, artifactEvents: $a) { executionId artifactIds } }""", {
        "x": {"type": "Trainer", "name": name},
        "a": [{"artifact": {"type": "Model", "uri": model_uri},
               "event": {"type": "OUTPUT", "path": ["model"]}}]})
    result = data["putExecution"]
    return result["executionId"], result["artifactIds"][0]


def use_ingredients(api: Api, run: str, repo: str, ref: str,
                    keys: dict[str, str] | None = None) -> dict[str, Any]:
    return api.graphql("mutation($id: ID!, $r: String!, $f: String!, $k: JSON) { "
                       "useIngredients(runId: $id, repo: $r, ref: $f, keys: $k) "
                       "{ commit keys } }", {"id": run, "r": repo, "f": ref, "k": keys})


def register(api: Api, model: str, artifact: str) -> int:
    data = api.data("mutation($m: String!, $a: ID!) { registerModelVersion(model: $m, "
                    "artifactId: $a) { version commit } }", {"m": model, "a": artifact})
    version: int = data["registerModelVersion"]["version"]
    return version


def set_alias(api: Api, model: str, alias: str, version: int, reason: str | None = None
              ) -> dict[str, Any]:
    data = api.data("""mutation($m: String!, $a: String!, $v: Int!, $r: String) {
        setAlias(model: $m, alias: $a, version: $v, reason: $r) {
          __typename ... on AliasSet { alias { version } update { at from to reason } }
          ... on StaleAlias { current } } }""", {"m": model, "a": alias, "v": version, "r": reason})
    result: dict[str, Any] = data["setAlias"]
    return result
