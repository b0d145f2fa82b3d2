// put_ingredients — link a run to the commit it used, once (an IngredientsLink node per run,
// unique: a concurrent second link fails on it), and each dataset blob of the commit to
// the Dataset artifact it pins (the run's INPUT events to those artifacts are written by
// the batch write statement, in the same transaction).
// params: $commit (sha), $runId, $keys (JSON text: role -> path),
//         $pins (list of {blob, artifactId})
// returns: pins
MATCH (c:Commit {sha: $commit})
MATCH (r:Execution {id: $runId})
CREATE (:IngredientsLink {runId: $runId, commit: $commit})
CREATE (c)-[:INGREDIENTS {keys: $keys}]->(r)
WITH c
UNWIND $pins AS pin
MATCH (b:Blob {sha: pin.blob})
MATCH (a:Artifact {id: pin.artifactId})
MERGE (b)-[:PINS]->(a)
RETURN count(*) AS pins
