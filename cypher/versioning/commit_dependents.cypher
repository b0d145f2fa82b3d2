// commit_dependents — what keeps a commit from being deleted: its children, the refs on
// it, whether it is a repository's root, and the runs that used it.
// params: $sha, $limit (names listed at most)
// returns: repo, children, branches, tags, root, runs
MATCH (c:Commit {sha: $sha})
RETURN c.repo AS repo,
       COUNT { (c)<-[:PARENT]-(:Commit) } AS children,
       [(b:Branch)-[:HEAD]->(c) | b.name][..$limit] AS branches,
       [(t:Tag)-[:TAGS]->(c) | t.name][..$limit] AS tags,
       EXISTS { (:Repository)-[:ROOT]->(c) } AS root,
       [(c)-[:INGREDIENTS]->(r:Execution) | r.id][..$limit] AS runs
