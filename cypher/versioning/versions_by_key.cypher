// versions_by_key — model versions by key (model/version), each with the run that output
// its artifact and the commit that run used; missing keys are absent.
// params: $keys
// returns: versions (list of {model, version, artifactId, createdAt, runId, commit, repo,
//          aliases})
UNWIND $keys AS k
MATCH (v:ModelVersion {key: k})
CALL (v) {
  OPTIONAL MATCH (:Artifact {id: v.artifactId})<-[:OUTPUT]-(r:Execution)
  OPTIONAL MATCH (c:Commit)-[:INGREDIENTS]->(r)
  RETURN r, c ORDER BY c IS NULL, r.id LIMIT 1
}
CALL (v) {
  OPTIONAL MATCH (al:Alias)-[:POINTS_TO]->(v)
  RETURN collect(al.name) AS aliases
}
RETURN collect(v {.model, .version, .artifactId, .createdAt, runId: r.id, commit: c.sha,
                  repo: c.repo, aliases: aliases}) AS versions
