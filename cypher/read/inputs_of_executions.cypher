// inputs_of_executions — the artifacts each execution read (an INPUT event).
// params: $ids: list of execution ids
// returns: pairs (list of {nodeId, node: artifact map}; one pair per distinct artifact)
UNWIND $ids AS i
MATCH (:Execution {id: i})<-[:INPUT]-(m:Artifact)
WITH DISTINCT i, m
RETURN collect({nodeId: i, node: properties(m)}) AS pairs
