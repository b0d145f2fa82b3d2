// update_nodes — replace the fields and properties of existing nodes of one kind; the
// creation time survives, updatedAt is set to $now. (A node's type never changes.)
// params: $rows: list of {id, props (every stored property, id included)}, $now (ms)
// returns: written (count)
UNWIND $rows AS row
MATCH (n:/*%label*/Artifact/*%*/ {id: row.id})
WITH n, row, n.createdAt AS created
SET n = row.props
SET n.createdAt = created, n.updatedAt = $now
RETURN count(n) AS written
