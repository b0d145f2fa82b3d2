// renew_epoch — give the delta log a new epoch, so that every topology index rebuilds: a
// write that deletes nodes or edges runs this in its transaction.
// params: $key (the log node's key), $epoch (the new epoch)
// returns: epoch
MERGE (log:TopologyLog {key: $key})
SET log.epoch = $epoch
RETURN log.epoch AS epoch
