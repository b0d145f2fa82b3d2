// links_of_contexts — some contexts with their members and parent links: a page of a
// topology index's build.
// params: $contexts (context ids)
// returns: context, contextType — the contexts found, ids and type names;
//          artifact, artifactType, artifactContext — one entry per attribution (the
//          artifact's id and type name, and the context holding it);
//          execution, executionType, executionContext — likewise per association;
//          child, parent, parentType — one entry per parent link of a page's context
CALL () {
  UNWIND $contexts AS i
  MATCH (c:Context {id: i})
  RETURN collect(i) AS context, collect(c.type) AS contextType
}
CALL () {
  UNWIND $contexts AS i
  MATCH (:Context {id: i})<-[:ATTRIBUTED_TO]-(a:Artifact)
  RETURN collect(a.id) AS artifact, collect(a.type) AS artifactType,
         collect(i) AS artifactContext
}
CALL () {
  UNWIND $contexts AS i
  MATCH (:Context {id: i})<-[:ASSOCIATED_WITH]-(e:Execution)
  RETURN collect(e.id) AS execution, collect(e.type) AS executionType,
         collect(i) AS executionContext
}
CALL () {
  UNWIND $contexts AS i
  MATCH (:Context {id: i})-[:CHILD_OF]->(p:Context)
  RETURN collect(i) AS child, collect(p.id) AS parent, collect(p.type) AS parentType
}
RETURN context, contextType, artifact, artifactType, artifactContext, execution,
       executionType, executionContext, child, parent, parentType
