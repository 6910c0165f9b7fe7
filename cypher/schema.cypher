// netmap graph schema for Neo4j 5: one uniqueness constraint per node label on `key`
// (it also gives MERGE its index), the bookkeeping nodes' ids, and the indexes the
// named queries filter on. Every statement is IF NOT EXISTS: the store applies this
// file each time it opens a database, so running it again changes nothing.

// Graph nodes: the model's labels (netmap.model.NODE_LABELS).
CREATE CONSTRAINT netmap_account_key IF NOT EXISTS FOR (n:Account) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT netmap_person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT netmap_post_key IF NOT EXISTS FOR (n:Post) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT netmap_site_key IF NOT EXISTS FOR (n:Site) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT netmap_url_key IF NOT EXISTS FOR (n:Url) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT netmap_hashtag_key IF NOT EXISTS FOR (n:Hashtag) REQUIRE n.key IS UNIQUE;

// Bookkeeping: collection runs and store metadata (not part of the graph).
CREATE CONSTRAINT netmap_run_id IF NOT EXISTS FOR (n:NetmapRun) REQUIRE n.run IS UNIQUE;
CREATE CONSTRAINT netmap_meta_name IF NOT EXISTS FOR (n:NetmapMeta) REQUIRE n.name IS UNIQUE;

// Filters used by the query library and by Bloom styling rules.
CREATE INDEX netmap_account_platform IF NOT EXISTS FOR (n:Account) ON (n.platform);
CREATE INDEX netmap_account_group IF NOT EXISTS FOR (n:Account) ON (n.group);
CREATE INDEX netmap_account_community IF NOT EXISTS FOR (n:Account) ON (n.community);
CREATE INDEX netmap_post_created_at IF NOT EXISTS FOR (n:Post) ON (n.created_at);
CREATE INDEX netmap_post_platform IF NOT EXISTS FOR (n:Post) ON (n.platform);
