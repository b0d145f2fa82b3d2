// outputs_of_executions — the artifacts each execution wrote (an OUTPUT event).
// params: $ids: list of execution ids
// returns: pairs (list of {nodeId, node: artifact map}; one pair per distinct artifact)
UNWIND $ids AS i
MATCH (:Execution {id: i})-[:OUTPUT]->(m:Artifact)
WITH DISTINCT i, m
RETURN collect({nodeId: i, node: properties(m)}) AS pairs
