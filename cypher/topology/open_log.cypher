// open_log — the delta log's state, giving the log its epoch node if it has none (an empty
// or wiped graph): a build reads it before it scans the graph.
// params: $key (the log node's key), $epoch (the epoch to give a new log node)
// returns: epoch, prunedBefore (the id below which deltas were pruned, or null)
MERGE (log:TopologyLog {key: $key})
ON CREATE SET log.epoch = $epoch
RETURN log.epoch AS epoch, log.prunedBefore AS prunedBefore
