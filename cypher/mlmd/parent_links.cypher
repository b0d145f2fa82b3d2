// parent_links — which of these (child, parent) links exist already.
// params: $rows: list of {child, parent} (context mlmdIds)
// returns: links (list of {child, parent})
UNWIND $rows AS row
MATCH (:Context {mlmdId: row.child})-[:CHILD_OF]->(:Context {mlmdId: row.parent})
RETURN collect(row) AS links
