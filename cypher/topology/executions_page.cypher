// executions_page — one page of execution ids in id order: a topology index is built
// page by page, so that no statement carries the whole graph.
// params: $after (the last id of the previous page; '' for the first), $limit
// returns: id (the page's ids, in order). `IS NOT NULL` lets the embedded engine read the
//          page in index order instead of sorting every execution.
MATCH (e:Execution)
  WHERE e.id IS NOT NULL AND e.id > $after
WITH e.id AS id
  ORDER BY id
  LIMIT $limit
RETURN collect(id) AS id
