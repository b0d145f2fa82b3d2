// count_nodes — how many nodes of one kind match a filter.
// params: filter parameters ($f0, …)
// returns: total
MATCH (n:/*%label*/Artifact/*%*/)
WHERE /*%where*/true/*%*/
RETURN count(n) AS total
