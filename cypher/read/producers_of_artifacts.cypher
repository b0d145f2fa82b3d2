// producers_of_artifacts — the executions that wrote each artifact (an OUTPUT event).
// params: $ids: list of artifact ids
// returns: pairs (list of {nodeId, node: execution map}; one pair per distinct execution)
UNWIND $ids AS i
MATCH (:Artifact {id: i})<-[:OUTPUT]-(m:Execution)
WITH DISTINCT i, m
RETURN collect({nodeId: i, node: properties(m)}) AS pairs
