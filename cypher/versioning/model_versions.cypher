// model_versions — a page of a model's versions by number (after $after), each with the
// run that output its artifact, the commit that run used, and the aliases on it.
// params: $model, $after (0 for the first page), $limit
// returns: versions (list of {model, version, artifactId, createdAt, runId, commit, repo,
//          aliases})
MATCH (v:ModelVersion)
WHERE v.model = $model AND v.version > $after
WITH v ORDER BY v.version LIMIT $limit
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
