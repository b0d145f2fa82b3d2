// append_delta — record, in the writing transaction, the INPUT and OUTPUT edges it merged:
// the delta log that keeps every API process's topology index fresh. Writers only ever
// create delta nodes, so concurrent writers never contend for one node.
// params: $id (the delta's id: a UUIDv7, so ids order deltas by the time they were made),
//         $artifact, $execution, $event (parallel lists, one entry per edge: the two ends'
//         ids and the event kind, which gives the edge's direction)
// returns: id
CREATE (d:TopologyDelta {id: $id, artifact: $artifact, execution: $execution, event: $event})
RETURN d.id AS id
