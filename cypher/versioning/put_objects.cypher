// put_objects — write blobs, trees and commits: content-addressed and immutable, so each
// is MERGEd by sha and given its properties ON CREATE only (a blob with its kind's label:
// the sha fixes the kind); then the edges that make
// them a graph (CONTAINS {path}, TREE, PARENT {index}), merged, so a re-sent object adds
// nothing. Trees come before commits, blobs before trees.
// params: $blobs: list of {sha, kind, content (canonical JSON), gitCommit, datasetUri};
//         $trees: list of {sha, paths, blobs, kinds} (parallel lists, sorted by path);
//         $commits: list of {sha, repo, message, author, createdAt, generation, treeSha,
//         parents, metadata (JSON text)}
// returns: blobs, trees, commits (how many of each the statement wrote or found)
CALL () {
  UNWIND [r IN $blobs WHERE r.kind = 'config'] AS row
  MERGE (b:Blob:ConfigBlob {sha: row.sha})
    ON CREATE SET b.kind = row.kind, b.content = row.content
  RETURN count(b) AS configs
}
CALL () {
  UNWIND [r IN $blobs WHERE r.kind = 'dataset'] AS row
  MERGE (b:Blob:DatasetBlob {sha: row.sha})
    ON CREATE SET b.kind = row.kind, b.content = row.content,
                  b.datasetUri = row.datasetUri
  RETURN count(b) AS datasets
}
CALL () {
  UNWIND [r IN $blobs WHERE r.kind = 'environment'] AS row
  MERGE (b:Blob:EnvironmentBlob {sha: row.sha})
    ON CREATE SET b.kind = row.kind, b.content = row.content
  RETURN count(b) AS environments
}
CALL () {
  UNWIND [r IN $blobs WHERE r.kind = 'code'] AS row
  MERGE (b:Blob:CodeBlob {sha: row.sha})
    ON CREATE SET b.kind = row.kind, b.content = row.content,
                  b.gitCommit = row.gitCommit
  RETURN count(b) AS codes
}
CALL () {
  UNWIND [r IN $blobs WHERE r.kind = 'repo-ref'] AS row
  MERGE (b:Blob:RepoRefBlob {sha: row.sha})
    ON CREATE SET b.kind = row.kind, b.content = row.content
  RETURN count(b) AS refs
}
CALL () {
  UNWIND $trees AS row
  MERGE (t:Tree {sha: row.sha})
    ON CREATE SET t.paths = row.paths, t.blobs = row.blobs, t.kinds = row.kinds
  WITH t, row
  UNWIND range(0, size(row.paths) - 1) AS i
  MATCH (b:Blob {sha: row.blobs[i]})
  MERGE (t)-[:CONTAINS {path: row.paths[i]}]->(b)
  RETURN count(DISTINCT t) AS trees
}
CALL () {
  UNWIND $commits AS row
  MERGE (c:Commit {sha: row.sha})
    ON CREATE SET c.repo = row.repo, c.message = row.message, c.author = row.author,
                  c.createdAt = row.createdAt, c.generation = row.generation,
                  c.treeSha = row.treeSha, c.parents = row.parents, c.metadata = row.metadata
  WITH c, row
  MATCH (t:Tree {sha: row.treeSha})
  MERGE (c)-[:TREE]->(t)
  WITH c, row
  UNWIND range(0, size(row.parents) - 1) AS i
  MATCH (p:Commit {sha: row.parents[i]})
  MERGE (c)-[:PARENT {index: i}]->(p)
  RETURN count(DISTINCT c) AS parented
}
RETURN configs + datasets + environments + codes + refs AS blobs, trees, size($commits) AS commits
