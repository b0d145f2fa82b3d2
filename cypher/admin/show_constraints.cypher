// show_constraints — the database's constraints, to check that the schema is applied.
// params: none
// returns: name (one row per constraint)
SHOW CONSTRAINTS YIELD name
RETURN name
