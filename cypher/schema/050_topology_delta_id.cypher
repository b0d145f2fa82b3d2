// The topology index reads the delta log by id range.
CREATE CONSTRAINT topology_delta_id IF NOT EXISTS FOR (n:TopologyDelta) REQUIRE n.id IS UNIQUE
