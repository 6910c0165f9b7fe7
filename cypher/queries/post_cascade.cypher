// name: post_cascade
// description: How one post spread: the post (depth 0) and every post that shares, quotes, links or cross-posts it, directly or through others (up to 6 hops), with the fewest hops, platform, author and time.
// @param post STRING key of the root Post
MATCH (root:Post {key: $post})
CALL (root) {
  RETURN root AS c, 0 AS depth
  UNION
  MATCH path = (c:Post)-[:SHARES|QUOTES|LINKS_TO|CROSSPOST_OF*1..6]->(root)
  RETURN c, min(length(path)) AS depth
}
WITH c, min(depth) AS depth
OPTIONAL MATCH (a:Account)-[:AUTHORED]->(c)
WITH c, depth, min(a.key) AS account
RETURN c.key AS key, depth, c.platform AS platform, c.kind AS kind, c.created_at AS created_at,
       account
ORDER BY depth, created_at, key;
