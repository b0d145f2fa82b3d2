// prune_deltas — delete old deltas and record below which id the log no longer holds all
// of them: an index whose floor is lower rebuilds instead of missing edges.
// params: $key (the log node's key), $before (an id: deltas below it go), $limit (most
//         deltas to delete in this transaction)
// returns: deleted (how many deltas were deleted)
MERGE (log:TopologyLog {key: $key})
SET log.prunedBefore = CASE
  WHEN log.prunedBefore IS NULL OR log.prunedBefore < $before THEN $before
  ELSE log.prunedBefore
END
WITH log
CALL (log) {
  MATCH (d:TopologyDelta)
    WHERE d.id < $before
  WITH d
    LIMIT $limit
  DETACH DELETE d
  RETURN count(*) AS deleted
}
RETURN deleted
