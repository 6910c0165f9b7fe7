// Known-good input for selftest.sh: Neo4j 5 / Cypher 5 schema + upsert statements.
// @param rows LIST rows of {key: STRING, props: MAP}
// @param batch INTEGER rows per inner transaction
CREATE CONSTRAINT account_key IF NOT EXISTS FOR (n:Account) REQUIRE n.key IS UNIQUE;
CREATE INDEX account_name IF NOT EXISTS FOR (n:Account) ON (n.name);

/* upsert accounts */
UNWIND $rows AS r
MERGE (a:Account {key: r.key})
ON CREATE SET a += r.props;

MATCH (a:Account) WHERE a.followers IS NULL
CALL (a) { SET a.followers = 0 } IN TRANSACTIONS OF $batch ROWS;
// end of file
