// name: comment_thread
// description: The comments and replies under a post, however deep (up to 50 levels), each with the post it answers, its depth, author, time and text, in time order.
// @param post STRING key of the Post whose thread to show
MATCH (root:Post {key: $post})
MATCH path = (c:Post)-[:REPLIES_TO*1..50]->(root)
WITH c, min(length(path)) AS depth
OPTIONAL MATCH (c)-[:REPLIES_TO]->(parent:Post)
OPTIONAL MATCH (a:Account)-[:AUTHORED]->(c)
WITH c, depth, min(parent.key) AS parent, min(a.key) AS account
RETURN c.key AS key, depth, parent, account, c.created_at AS created_at, c.text AS text
ORDER BY created_at, key;
