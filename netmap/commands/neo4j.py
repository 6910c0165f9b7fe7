"""Neo4j commands: push/pull between stores, the named query library, ad-hoc Cypher."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..cliutils import Ctx, emit_object, emit_table, handle_errors, output_options, pass_ctx
from ..errors import UsageError


def _progress(quiet: bool) -> tuple[Any, Any]:
    """A rich progress bar on a terminal; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    tasks: dict[str, Any] = {}

    def update(table: str, done: int, total: int) -> None:
        if table not in tasks:
            tasks[table] = bar.add_task(f"copying {table}", total=total)
        bar.update(tasks[table], completed=done)

    return bar, update


def _copy(direction: str, ctx: Ctx, uri: str, batch_size: int, quiet: bool, fmt: str,
          workers: int = 1, after_import: str | None = None) -> None:
    from ..store import is_neo4j_uri, open_store
    from ..store.transfer import pull, push

    if not is_neo4j_uri(uri):
        raise UsageError(f"{uri!r} is not a Neo4j URI (neo4j://, bolt://, neo4j+s://...)")
    local = ctx.store
    if is_neo4j_uri(local.uri):
        raise UsageError("--store must be an SQLite file for push/pull")
    remote = open_store(uri)
    bar, update = _progress(quiet)
    try:
        if bar is not None:
            bar.start()
        if after_import is not None:
            from ..store.admin_import import finish_import

            report = finish_import(local, remote, after_import)
        elif direction == "push":
            report = push(local, remote, batch_size=batch_size, workers=workers,
                          progress=update)
        else:
            report = pull(remote, local, batch_size=batch_size, progress=update)
    finally:
        if bar is not None:
            bar.stop()
        remote.close()
    emit_object(report if isinstance(report, dict) else vars(report), fmt)


@click.command()
@click.argument("uri")
@click.option("--batch-size", type=click.IntRange(100), default=10000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Transactions in flight at once (Neo4j runs each on one core).")
@click.option("--after-import", "after_import", metavar="DIR",
              type=click.Path(exists=True, file_okay=False),
              help="Finish a first load made with neo4j-admin from `netmap admin-import-files "
                   "DIR`: schema, runs, the values CSV cannot carry, count checks.")
@click.option("--quiet", "-q", is_flag=True)
@output_options
@pass_ctx
@handle_errors
def push(ctx: Ctx, uri: str, batch_size: int, workers: int, after_import: str | None,
         quiet: bool, fmt: str) -> None:
    """Copy the SQLite store into Neo4j at URI (idempotent, resumable).

    Credentials: NETMAP_NEO4J_USER (default neo4j) and NETMAP_NEO4J_PASSWORD.
    """
    _copy("push", ctx, uri, batch_size, quiet, fmt, workers, after_import)


@click.command("admin-import-files")
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False))
@output_options
@pass_ctx
@handle_errors
def admin_import_files(ctx: Ctx, out_dir: str, fmt: str) -> None:
    """Write the SQLite store as CSV files for neo4j-admin's offline importer.

    For the first load of a big store into a new, stopped database (many times faster than
    push). Then:

    \b
      neo4j-admin database import full @DIR/import.args neo4j
      (start Neo4j)
      netmap push URI --after-import DIR
    """
    from ..store import is_neo4j_uri
    from ..store.admin_import import write_import_files

    if is_neo4j_uri(ctx.store.uri):
        raise UsageError("--store must be an SQLite file for admin-import-files")
    report = write_import_files(ctx.store, out_dir)
    report.pop("files", None)
    emit_object(report, fmt)


@click.command()
@click.argument("uri")
@click.option("--batch-size", type=click.IntRange(100), default=10000, show_default=True)
@click.option("--quiet", "-q", is_flag=True)
@output_options
@pass_ctx
@handle_errors
def pull(ctx: Ctx, uri: str, batch_size: int, quiet: bool, fmt: str) -> None:
    """Copy the graph in Neo4j at URI into the SQLite store."""
    _copy("pull", ctx, uri, batch_size, quiet, fmt)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"-p expects key=value, got {pair!r}")
        params[name.strip()] = value
    return params


@click.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; repeat for several.")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.option("--show", is_flag=True, help="Print the query's Cypher instead of running it.")
@output_options
@pass_ctx
@handle_errors
def query(ctx: Ctx, name: str | None, params: tuple[str, ...], list_: bool, show: bool,
          fmt: str) -> None:
    """Run a named query from cypher/queries (on Neo4j, or its SQL twin on SQLite)."""
    import pandas as pd

    from ..queries import get_query, list_queries, run_query

    if list_ or not name:
        rows = [{"name": q.name, "description": q.description,
                 "params": ", ".join(p.name if hasattr(p, "name") else str(p) for p in q.params)}
                for q in list_queries()]
        emit_table(pd.DataFrame(rows), fmt)
        return
    if show:
        click.echo(get_query(name).text)
        return
    emit_table(run_query(ctx.store, name, _parse_params(params)), fmt)


@click.command()
@click.argument("text")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE")
@click.option("--write", is_flag=True, help="Allow writes (default: read transaction only).")
@output_options
@pass_ctx
@handle_errors
def cypher(ctx: Ctx, text: str, params: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run an ad-hoc Cypher statement on a Neo4j --store (read-only unless --write)."""
    from ..queries import run_cypher

    emit_table(run_cypher(ctx.store, text, _parse_params(params), write=write), fmt)


COMMANDS = [push, pull, admin_import_files, query, cypher]
