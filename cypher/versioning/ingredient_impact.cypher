// ingredient_impact — what a Dataset artifact reaches through versioning: the blobs that
// pin it, the commits whose trees hold them (at most $limit), the branches whose head is
// one of those, the runs that used them or read it, the model versions those runs
// output, the aliases on those versions and the deployments serving either.
// params: $artifactId, $limit
// returns: blobs, commits, branches, runs, versions, aliases, deployments
MATCH (d:Artifact {id: $artifactId})
CALL (d) {
  OPTIONAL MATCH (b:Blob)-[:PINS]->(d)
  RETURN collect(DISTINCT b) AS pinning
}
CALL (pinning) {
  UNWIND pinning AS b
  MATCH (c:Commit)-[:TREE]->(t:Tree)-[:CONTAINS]->(b)
  WITH DISTINCT c LIMIT $limit
  RETURN collect(c) AS commits
}
CALL (commits) {
  UNWIND commits AS c
  MATCH (br:Branch)-[:HEAD]->(c)
  RETURN collect(DISTINCT {repo: br.repo, name: br.name}) AS branches
}
CALL (d, commits) {
  CALL (d, commits) {
    UNWIND commits AS c
    MATCH (c)-[:INGREDIENTS]->(r:Execution)
    RETURN r
    UNION
    MATCH (d)-[:INPUT]->(r:Execution)
    RETURN r
  }
  RETURN collect(DISTINCT r) AS runs
}
CALL (runs) {
  UNWIND runs AS r
  MATCH (r)-[:OUTPUT]->(:Artifact)-[:REGISTERED_AS]->(v:ModelVersion)
  RETURN collect(DISTINCT v) AS versions
}
CALL (versions) {
  UNWIND versions AS v
  MATCH (al:Alias)-[:POINTS_TO]->(v)
  RETURN collect(DISTINCT al) AS aliases
}
CALL (versions, aliases) {
  UNWIND versions + aliases AS x
  MATCH (dep:Deployment)-[:SERVES]->(x)
  RETURN collect(DISTINCT dep.name) AS deployments
}
RETURN [b IN pinning | b.sha] AS blobs, [c IN commits | c.sha] AS commits, branches,
       [r IN runs | r.id] AS runs, [v IN versions | v.key] AS versions,
       [al IN aliases | al.key] AS aliases, deployments
