// list_types — types of one kind as MLMD reads them: all, by mlmdId or by external id.
// params: $ids (mlmdIds), $externalIds, as the condition uses them
// returns: types (list of type maps, by mlmdId)
MATCH (t:/*%type_label*/ArtifactType/*%*/)
WHERE /*%where*/t.mlmdId IS NOT NULL/*%*/
WITH t ORDER BY t.mlmdId
RETURN collect(t {.*}) AS types
