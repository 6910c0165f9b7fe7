#!/usr/bin/env python3
"""Dump the function/procedure registry of a running Neo4j as a DbSchema fragment for lint.mjs.

    NETMAP_NEO4J_GDS=1 tools/neo4j/start          # prints bolt://127.0.0.1:PORT
    python tools/cypher-lint/gen-signatures.py bolt://127.0.0.1:PORT \
        > tools/cypher-lint/signatures/neo4j-5.26.json

Needs the `neo4j` Python driver. The output maps 'CYPHER 5' to {name: signature-record} as
@neo4j-cypher/language-support expects (DbSchema.functions / DbSchema.procedures).
"""
import json
import sys

from neo4j import GraphDatabase

FUNCTION_KEYS = ["name", "category", "description", "isBuiltIn", "argumentDescription",
                 "returnDescription", "signature", "aggregating", "isDeprecated", "deprecatedBy"]
PROCEDURE_KEYS = ["name", "description", "mode", "worksOnSystem", "argumentDescription",
                  "returnDescription", "signature", "admin", "option", "isDeprecated",
                  "deprecatedBy"]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with GraphDatabase.driver(sys.argv[1], auth=("neo4j", "neo4j")) as driver:
        version = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
        ).records[0]
        functions = driver.execute_query("SHOW FUNCTIONS YIELD *").records
        procedures = driver.execute_query("SHOW PROCEDURES YIELD *").records
        try:
            gds = driver.execute_query("RETURN gds.version() AS v").records[0]["v"]
        except Exception:  # noqa: BLE001 - GDS not installed
            gds = None
    out = {
        "source": f"neo4j {version['v']} {version['e']}" + (f" + gds {gds}" if gds else ""),
        "functions": {"CYPHER 5": {r["name"]: {k: r.get(k) for k in FUNCTION_KEYS}
                                   for r in sorted(functions, key=lambda r: r["name"])}},
        "procedures": {"CYPHER 5": {r["name"]: {k: r.get(k) for k in PROCEDURE_KEYS}
                                    for r in sorted(procedures, key=lambda r: r["name"])}},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)
    sys.stdout.write("\n")
    print(f"{len(functions)} functions, {len(procedures)} procedures ({out['source']})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
