// contexts_page — one page of context ids in id order: a topology index reads the
// contexts' memberships and parent links page by page, so that no statement carries the
// whole graph.
// params: $after (the last id of the previous page; '' for the first), $limit
// returns: id (the page's ids, in order). `IS NOT NULL` lets the embedded engine read the
//          page in index order instead of sorting every context.
MATCH (c:Context)
  WHERE c.id IS NOT NULL AND c.id > $after
WITH c.id AS id
  ORDER BY id
  LIMIT $limit
RETURN collect(id) AS id
