// show_indexes — the database's indexes, to check that the schema is applied.
// params: none
// returns: name (one row per index)
SHOW INDEXES YIELD name
RETURN name
