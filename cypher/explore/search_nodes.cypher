// search_nodes — artifacts, executions and contexts whose id or external id is the text,
// or whose name, uri or type name contains it, ignoring case; best matches first: an id
// or external id, then an equal name, a name starting with the text, a name containing
// it, and last a uri or type name containing it.
// params: $exact (the text as given), $text (lower-cased), $kinds (labels to search:
//         'Artifact', 'Execution', 'Context'), $limit
// returns: hits (list of {id, kind, type, name, uri, externalId})
CALL () {
  MATCH (n:Artifact)
  WHERE 'Artifact' IN $kinds
    AND (n.id = $exact OR n.externalId = $exact OR toLower(n.name) CONTAINS $text
         OR toLower(n.uri) CONTAINS $text OR toLower(n.type) CONTAINS $text)
  RETURN n, 'Artifact' AS kind
  UNION ALL
  MATCH (n:Execution)
  WHERE 'Execution' IN $kinds
    AND (n.id = $exact OR n.externalId = $exact OR toLower(n.name) CONTAINS $text
         OR toLower(n.type) CONTAINS $text)
  RETURN n, 'Execution' AS kind
  UNION ALL
  MATCH (n:Context)
  WHERE 'Context' IN $kinds
    AND (n.id = $exact OR n.externalId = $exact OR toLower(n.name) CONTAINS $text
         OR toLower(n.type) CONTAINS $text)
  RETURN n, 'Context' AS kind
}
WITH n, kind, toLower(n.name) AS name
WITH n, kind,
     CASE
       WHEN n.id = $exact OR n.externalId = $exact THEN 0
       WHEN name = $text THEN 1
       WHEN name STARTS WITH $text THEN 2
       WHEN name CONTAINS $text THEN 3
       ELSE 4
     END AS rank
ORDER BY rank, n.name, n.id
LIMIT $limit
RETURN collect({id: n.id, kind: kind, type: n.type, name: n.name, uri: n.uri,
                externalId: n.externalId}) AS hits
