// A ref's history, newest first, and what it pointed at as of a time.
CREATE INDEX ref_update_ref_at IF NOT EXISTS FOR (n:RefUpdate) ON (n.ref, n.at)
