// run_ingredients — for each run that exists, the commit it used (null: none yet).
// params: $runIds
// returns: runs (list of {runId, commit, repo, keys})
UNWIND $runIds AS id
MATCH (r:Execution {id: id})
OPTIONAL MATCH (c:Commit)-[i:INGREDIENTS]->(r)
RETURN collect({runId: r.id, commit: c.sha, repo: c.repo, keys: i.keys}) AS runs
