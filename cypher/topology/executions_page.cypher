// executions_page — one page of execution ids in id order: a topology index is built
// page by page, so that no statement carries the whole graph.
// params: $after (the last id of the previous page; '' for the first), $limit
// returns: id (the page's ids, in order)
MATCH (e:Execution)
  WHERE e.id > $after
WITH e.id AS id
  ORDER BY id
  LIMIT $limit
RETURN collect(id) AS id
