// name: community_members
// description: The accounts of one community (from `netmap analyze`), most central first (PageRank), with their stance group.
// @param community INTEGER community number
MATCH (a:Account)
WHERE a.community = $community
RETURN a.key AS key, a.name AS name, a.platform AS platform, a.group AS group,
       a.pagerank AS pagerank
ORDER BY coalesce(pagerank, -1.0) DESC, key;
