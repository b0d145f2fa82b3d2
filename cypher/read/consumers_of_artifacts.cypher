// consumers_of_artifacts — the executions that read each artifact (an INPUT event).
// params: $ids: list of artifact ids
// returns: pairs (list of {nodeId, node: execution map}; one pair per distinct execution)
UNWIND $ids AS i
MATCH (:Artifact {id: i})-[:INPUT]->(m:Execution)
WITH DISTINCT i, m
RETURN collect({nodeId: i, node: properties(m)}) AS pairs
