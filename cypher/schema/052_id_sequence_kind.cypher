// One IdSequence node per kind hands out MLMD's int64 ids (see write/put_batch).
CREATE CONSTRAINT id_sequence_kind IF NOT EXISTS FOR (s:IdSequence) REQUIRE s.kind IS UNIQUE
