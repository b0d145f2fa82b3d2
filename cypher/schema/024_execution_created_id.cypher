// Executions by creation-time range, and the default order of listings (createdAt, then id)
// read in index order.
CREATE INDEX execution_created_id IF NOT EXISTS FOR (n:Execution) ON (n.createdAt, n.id)
