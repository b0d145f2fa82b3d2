// ingest_floor — the engine's floor for a batch write: the nodes and edges a batch of
// pipelines holds, written by the simplest statement that writes them. No upsert, no key
// or type checks, no MLMD id sequence, no delta for the topology index: what no batch
// path of the store can beat on the same engine (bench/ingest_floor.py).
// params: $contexts, $artifacts, $executions: lists of rows {p: the node's properties (id,
//           type, name, ..., mlmdId), t: its type's position in $contextTypes,
//           $artifactTypes, $executionTypes},
//         $contextTypes, $artifactTypes, $executionTypes: type names,
//         $refs: ids of stored artifacts the edges name (positions after $artifacts),
//         $inputs, $outputs: {artifact, execution}: parallel lists of positions,
//         $attributions: {artifact, context}, $associations: {execution, context}: likewise,
//         $now (ms)
// returns: inputs, outputs, attributions, associations (how many edges of each it wrote)
CALL () {
  UNWIND $contextTypes AS name
  MATCH (t:ContextType {name: name, version: ''})
  RETURN collect(t) AS contextTypes
}
CALL () {
  UNWIND $artifactTypes AS name
  MATCH (t:ArtifactType {name: name, version: ''})
  RETURN collect(t) AS artifactTypes
}
CALL () {
  UNWIND $executionTypes AS name
  MATCH (t:ExecutionType {name: name, version: ''})
  RETURN collect(t) AS executionTypes
}
CALL (contextTypes) {
  UNWIND $contexts AS row
  CREATE (n:Context)
  SET n = row.p
  WITH n, contextTypes[row.t] AS t
  CREATE (n)-[:OF_TYPE]->(t)
  RETURN collect(n) AS contexts
}
CALL (artifactTypes) {
  UNWIND $artifacts AS row
  CREATE (n:Artifact)
  SET n = row.p
  WITH n, artifactTypes[row.t] AS t
  CREATE (n)-[:OF_TYPE]->(t)
  RETURN collect(n) AS created
}
CALL (executionTypes) {
  UNWIND $executions AS row
  CREATE (n:Execution)
  SET n = row.p
  WITH n, executionTypes[row.t] AS t
  CREATE (n)-[:OF_TYPE]->(t)
  RETURN collect(n) AS executions
}
CALL () {
  UNWIND $refs AS id
  MATCH (n:Artifact {id: id})
  RETURN collect(n) AS refs
}
WITH contexts, created + refs AS artifacts, executions
CALL (artifacts, executions) {
  UNWIND range(0, size($inputs.artifact) - 1) AS k
  WITH artifacts[$inputs.artifact[k]] AS a, executions[$inputs.execution[k]] AS e, k
  CREATE (a)-[:INPUT {kind: 'INPUT', path: '[]', ts: $now, seq: k}]->(e)
  RETURN count(*) AS inputs
}
CALL (artifacts, executions) {
  UNWIND range(0, size($outputs.artifact) - 1) AS k
  WITH artifacts[$outputs.artifact[k]] AS a, executions[$outputs.execution[k]] AS e, k
  CREATE (e)-[:OUTPUT {kind: 'OUTPUT', path: '[]', ts: $now, seq: k}]->(a)
  RETURN count(*) AS outputs
}
CALL (artifacts, contexts) {
  UNWIND range(0, size($attributions.artifact) - 1) AS k
  WITH artifacts[$attributions.artifact[k]] AS a, contexts[$attributions.context[k]] AS c
  CREATE (a)-[:ATTRIBUTED_TO]->(c)
  RETURN count(*) AS attributions
}
CALL (executions, contexts) {
  UNWIND range(0, size($associations.execution) - 1) AS k
  WITH executions[$associations.execution[k]] AS e, contexts[$associations.context[k]] AS c
  CREATE (e)-[:ASSOCIATED_WITH]->(c)
  RETURN count(*) AS associations
}
RETURN inputs, outputs, attributions, associations
