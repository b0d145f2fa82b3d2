// The one node that names the delta log's epoch: merged by key, so there is never a second.
CREATE CONSTRAINT topology_log_key IF NOT EXISTS FOR (n:TopologyLog) REQUIRE n.key IS UNIQUE
