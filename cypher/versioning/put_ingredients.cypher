// put_ingredients — link a run to the commit it used, once (an IngredientsLink node per run,
// unique: a concurrent second link fails on it); a re-run of a commit is linked to the
// latest earlier run of it (REPRODUCES, for comparing metrics); and each dataset blob of
// the commit is linked to the Dataset artifact it pins (the run's INPUT events to those
// artifacts are written by the batch write statement, in the same transaction).
// params: $commit (sha), $runId, $keys (JSON text: role -> path),
//         $pins (list of {blob, artifactId})
// returns: pins, reproduces (the earlier run's id, or null)
MATCH (c:Commit {sha: $commit})
MATCH (r:Execution {id: $runId})
CREATE (:IngredientsLink {runId: $runId, commit: $commit})
CREATE (c)-[:INGREDIENTS {keys: $keys}]->(r)
WITH c, r
CALL (c, r) {
  OPTIONAL MATCH (c)-[:INGREDIENTS]->(old:Execution)
  WHERE old.id <> r.id
  WITH r, old ORDER BY old.createdAt DESC, old.id DESC LIMIT 1
  FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | CREATE (r)-[:REPRODUCES]->(old))
  RETURN old.id AS reproduces
}
CALL () {
  UNWIND $pins AS pin
  MATCH (b:Blob {sha: pin.blob})
  MATCH (a:Artifact {id: pin.artifactId})
  MERGE (b)-[:PINS]->(a)
  RETURN count(*) AS pins
}
RETURN pins, reproduces
