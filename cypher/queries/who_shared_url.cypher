// name: who_shared_url
// description: Every post that shares, quotes or links a page (a known Post or an external Url), with its author, in time order. `netmap query` turns a full URL into its canonical key.
// @param url STRING canonical key of the page (netmap.keys.url_key), e.g. nigoh.wordpress.com/2013/10/12/post
CALL () {
  MATCH (t:Post {key: $url})
  RETURN t
  UNION
  MATCH (t:Url {key: $url})
  RETURN t
}
MATCH (p:Post)-[r:SHARES|QUOTES|LINKS_TO]->(t)
OPTIONAL MATCH (a:Account)-[:AUTHORED]->(p)
WITH p, type(r) AS via, min(a.key) AS account
RETURN account, p.key AS post, p.platform AS platform, p.created_at AS created_at, via
ORDER BY created_at, post, via;
