// lock_alias — take an alias for this transaction before reading where it points (see
// lock_branch): concurrent moves of one alias serialise.
// params: $key (model@name), $token
// returns: version (no row: no such alias yet)
MATCH (al:Alias {key: $key})
SET al.lock = $token
RETURN al.version AS version
