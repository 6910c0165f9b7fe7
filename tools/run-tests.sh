#!/usr/bin/env bash
# Run the whole test suite against real components: a Neo4j started here on
# 127.0.0.1 (stopped on exit, whatever happens), headless Chromium, the Cypher linter.
set -uo pipefail
cd "$(dirname "$0")/.."

export NETMAP_NEO4J_HOME="${NETMAP_NEO4J_HOME:-$PWD/.neo4j}"
started=0
cleanup() { if [ "$started" = 1 ]; then tools/neo4j/stop || true; fi; }
trap cleanup EXIT INT TERM

# The GDS tests start their own server with the Graph Data Science plugin. Build its classpath
# first (on a fresh machine a download from Maven Central), outside any test's timeout and
# before any server runs from target/.
if ! NETMAP_NEO4J_HOME="$NETMAP_NEO4J_HOME/gds-build" NETMAP_NEO4J_GDS=1 tools/neo4j/start --build; then
  echo "could not build the Neo4j GDS classpath" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi

if uri="$(tools/neo4j/start)"; then
  started=1
  export NETMAP_TEST_NEO4J_URI="$uri"
  echo "Neo4j for tests: $uri"
else
  echo "Neo4j did not start (see $NETMAP_NEO4J_HOME/neo4j.log)" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi

# Every .cypher file and embedded query must pass Neo4j's own linter.
make --no-print-directory lint-cypher || exit 1

.venv/bin/pytest -q -p no:cacheprovider "$@"
