// put_type — create or update one type node, keyed by (name, version). A type without an
// mlmdId (created now, or before MLMD's ids were kept) gets $mlmdId when given (an import
// keeping MLMD's id; the sequence then stays above it), else the next of the one
// IdSequence of the three type kinds.
// params: $id (used on create), $name, $version ('' when unversioned), $baseType,
//         $description, $externalId, $schema (JSON text: property name -> type), $now (ms),
//         $mlmdId (or null)
// returns: type (map of the stored type node)
MERGE (t:/*%type_label*/ArtifactType/*%*/ {name: $name, version: $version})
ON CREATE SET t.id = $id, t.createdAt = $now
SET t.baseType = $baseType, t.description = $description, t.externalId = $externalId,
    t.schema = $schema, t.updatedAt = $now
FOREACH (_ IN CASE WHEN t.mlmdId IS NULL THEN [1] ELSE [] END |
  MERGE (s:IdSequence {kind: 'Type'})
  SET s.next = CASE WHEN $mlmdId IS NULL THEN coalesce(s.next, 1) + 1
                    WHEN $mlmdId >= coalesce(s.next, 1) THEN $mlmdId + 1
                    ELSE coalesce(s.next, 1) END
  SET t.mlmdId = coalesce($mlmdId, s.next - 1))
RETURN t {.*} AS type
