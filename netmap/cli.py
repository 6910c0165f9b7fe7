"""The ``netmap`` command line: parse, call the library, print.

Every command here is a thin wrapper over a library call a notebook can make
too. The store is opened once, lazily, in the group callback and closed when
the command ends. Errors from the library (:class:`~netmap.errors.NetmapError`)
become a message on stderr and an exit code (1 failure, 2 usage).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cliutils import Ctx, emit_object, emit_table, handle_errors, output_options
from .errors import NetmapError, UsageError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netmap")
@click.option(
    "--store", "store_uri", metavar="PATH|URI", envvar="NETMAP_STORE", default=None,
    help="SQLite file (default ./netmap.db) or neo4j://, bolt:// URI. Env: NETMAP_STORE.",
)
@click.pass_context
def cli(ctx: click.Context, store_uri: str | None) -> None:
    """Map netizens and cross-posting into a graph; find camps, influencers and bridges."""
    obj = Ctx(store_uri)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


# -- collect ----------------------------------------------------------------


def _format_choices() -> list[str]:
    from .collect import collectors

    try:
        return ["auto", *collectors()]
    except NetmapError:
        return ["auto"]


@cli.command()
@click.argument("source_format", metavar="FORMAT")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--rejects", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="CSV file for rejected records (default: <store>-rejects.csv; '-' for stderr).")
@click.option("--follow-comments", is_flag=True, help="Fetch comment feeds linked from feed items.")
@click.option("--allow-private", is_flag=True, help="Allow fetching private/loopback addresses.")
@click.option("--batch-size", type=click.IntRange(1), default=20000, show_default=True,
              help="Input records per write transaction (larger: faster, more memory; "
                   "an interrupted collect keeps every whole batch).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML column mapping for the `table` format.")
@click.option("--option", "-o", "extra", multiple=True, metavar="KEY=VALUE",
              help="A collector-specific setting (e.g. facebook_owner=NAME); repeatable.")
@click.option("--resolve-short", is_flag=True,
              help="Resolve short links (bit.ly, t.co, vk.cc, ...) over HTTP when the source "
                   "carries no expansion.")
@click.option("--refresh", is_flag=True, help="Refetch URLs even if cached.")
@click.option("--ignore-robots", is_flag=True, help="Do not honour robots.txt (your responsibility).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@output_options
@click.pass_obj
@handle_errors
def collect(obj: Ctx, source_format: str, inputs: tuple[str, ...], rejects: str | None,
            follow_comments: bool, allow_private: bool, batch_size: int,
            mapping: str | None, extra: tuple[str, ...], resolve_short: bool, refresh: bool,
            ignore_robots: bool, quiet: bool, fmt: str) -> None:
    """Read INPUT... (files, directories, '-' for stdin, http(s) URLs) in FORMAT into the store.

    FORMAT is auto (sniff each input) or a collector name; `netmap formats` lists them.
    """
    from .collect import CollectOptions
    from .collect.http import Fetcher
    from .errors import UsageError
    from .pipeline import collect as run_collect
    from .pipeline import default_rejects_path

    out_fmt = fmt
    choices = _format_choices()
    if source_format not in choices:
        raise UsageError(
            f"unknown format {source_format!r}; choose one of: {', '.join(choices)}"
        )
    store = obj.store
    rejects = rejects or default_rejects_path(store.uri)
    fetcher = Fetcher(allow_private=allow_private, refresh=refresh, robots=not ignore_robots)
    settings: dict[str, Any] = {}
    for pair in extra:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option expects KEY=VALUE, got {pair!r}")
        settings[key.strip()] = value
    if mapping:
        settings["mapping"] = mapping
    if resolve_short:
        settings["resolve_short"] = True
    options = CollectOptions(batch_size=batch_size, follow_comments=follow_comments,
                             allow_private=allow_private, fetcher=fetcher, extra=settings)
    progress = None
    if not quiet and out_fmt == "table" and sys.stderr.isatty():
        from rich.progress import Progress

        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("collecting", total=None)

    def on_batch(batch: Any, name: str) -> None:
        if progress is not None:
            progress.update(task, advance=batch.read, description=f"collecting {Path(name).name}")

    try:
        report = run_collect(store, source_format, list(inputs), options=options, rejects=rejects,
                             on_batch=on_batch)
    finally:
        if progress is not None:
            progress.stop()
    for err in report.errors:
        click.echo(f"Error: {err}", err=True)
    for url, reason in getattr(fetcher, "failures", []):
        click.echo(f"not fetched: {url}: {reason}", err=True)
    if out_fmt == "json":
        click.echo(json.dumps(report.as_dict()))
    elif out_fmt == "csv":
        click.echo("read,stored,rejected")
        click.echo(f"{report.read},{report.stored},{report.rejected}")
    else:
        for s in report.sources:
            click.echo(f"{s['source']}  [{s['format']}]  read {s['read']}  stored {s['stored']}"
                       f"  rejected {s['rejected']}", err=quiet)
        click.echo(f"read {report.read}, stored {report.stored}, rejected {report.rejected}")
        if report.rejected:
            click.echo(f"rejected records and reasons: {rejects}")
    if report.errors and report.read == 0:
        sys.exit(1)


@cli.command()
@output_options
@handle_errors
def formats(fmt: str) -> None:
    """List the registered collectors (input formats) and exporters."""
    import pandas as pd

    from .collect import collectors
    from .export import exporters

    rows = [{"kind": "collector", "name": n, "description": c.description}
            for n, c in collectors().items()]
    rows += [{"kind": "exporter", "name": n, "description": c.description}
             for n, c in exporters().items()]
    emit_table(pd.DataFrame(rows), fmt)


# -- stance -----------------------------------------------------------------


@cli.group()
def stance() -> None:
    """Stance groups: seeds, lexicon evidence, propagation."""


def _groups(obj: Ctx, path: str | None) -> Any:
    from .stance import load_groups

    if path:
        groups = load_groups(path)
        obj.store.set_meta("groups_path", str(Path(path).resolve()))
        return groups
    saved = obj.store.meta("groups_path")
    if saved and Path(saved).exists():
        return load_groups(saved)
    return load_groups(None)


@stance.command("init")
@click.argument("path", type=click.Path(dir_okay=False), default="groups.yaml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def stance_init(path: str, force: bool) -> None:
    """Write an editable copy of the default groups to PATH (default groups.yaml)."""
    from .errors import UsageError
    from .stance import write_default

    if Path(path).exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    write_default(path)
    click.echo(f"wrote {path}; edit it, then run `netmap stance assign --groups {path}`")


@stance.command("seed")
@click.argument("csv_path", metavar="CSV", type=click.Path(exists=True, dir_okay=False, allow_dash=False))
@click.option("--groups", "groups_path", type=click.Path(exists=True, dir_okay=False))
@output_options
@click.pass_obj
@handle_errors
def stance_seed(obj: Ctx, csv_path: str, groups_path: str | None, fmt: str) -> None:
    """Store analyst labels from CSV `account,group` (keys or profile URLs)."""
    from .stance import apply_seeds, load_seeds

    groups = _groups(obj, groups_path)
    seeds = load_seeds(csv_path, groups)
    report = apply_seeds(obj.store, seeds)
    report = report if isinstance(report, dict) else vars(report)
    unknown = report.get("unknown") or []
    for key in unknown:
        click.echo(f"warning: {csv_path}: account {key} is not in the store (collect it first)",
                   err=True)
    emit_object(report, fmt)


@stance.command("assign")
@click.option("--groups", "groups_path", type=click.Path(exists=True, dir_okay=False),
              help="groups.yaml to use (default: the built-in groups, or the last one given).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None)
@output_options
@click.pass_obj
@handle_errors
def stance_assign(obj: Ctx, groups_path: str | None, threshold: float | None, fmt: str) -> None:
    """Assign stance groups: seeds > lexicon evidence > propagation over endorsements."""
    from .stance import assign

    groups = _groups(obj, groups_path)
    kwargs = {} if threshold is None else {"threshold": threshold}
    result = assign(obj.store, groups, **kwargs)
    emit_object(result.as_dict() if hasattr(result, "as_dict") else vars(result), fmt)


@stance.command("explain")
@click.argument("account")
@output_options
@click.pass_obj
@handle_errors
def stance_explain(obj: Ctx, account: str, fmt: str) -> None:
    """Why ACCOUNT (key or profile URL) has its group: seeds, matched posts, neighbours."""
    from .keys import account_ref
    from .stance import explain

    try:
        key = account_ref(account)
    except ValueError as exc:
        from .errors import UsageError

        raise UsageError(str(exc)) from exc
    emit_object(explain(obj.store, key), fmt)


@stance.command("evaluate")
@click.argument("truth", type=click.Path(exists=True, dir_okay=False))
@output_options
@click.pass_obj
@handle_errors
def stance_evaluate(obj: Ctx, truth: str, fmt: str) -> None:
    """Score assigned groups against held-out TRUTH.csv (account,group); seeds are excluded."""
    from .stance import evaluate

    emit_object(evaluate(obj.store, truth), fmt)


# -- analysis ---------------------------------------------------------------


@cli.command()
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="Leiden resolution (higher: more, smaller communities).")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--since", default=None, help="Only interactions at or after this ISO date.")
@click.option("--until", default=None, help="Only interactions before this ISO date.")
@click.option("--method", type=click.Choice(["leiden", "louvain"]), default="leiden",
              show_default=True)
@click.option("--objective", type=click.Choice(["modularity", "cpm"]), default="modularity",
              show_default=True, help="Leiden quality function.")
@click.option("--stability", "stability_runs", type=click.IntRange(0), default=0,
              help="Also run N more seeds and report per-account agreement.")
@click.option("--force", is_flag=True, help="Recompute even if nothing changed since the last run.")
@click.option("--by", "by", type=click.Choice(["account", "person"]), default="account",
              show_default=True,
              help="person: merge each person's accounts (netmap identities resolve) into one "
                   "actor and print the per-person results (nothing is stored).")
@click.option("--engine", type=click.Choice(["local", "gds"]), default="local",
              show_default=True,
              help="gds: run Leiden, PageRank, in-degree and betweenness inside Neo4j with the "
                   "Graph Data Science library (Neo4j stores only; no brokerage or "
                   "bridge_score).")
@output_options
@click.pass_obj
@handle_errors
def analyze(obj: Ctx, resolution: float, seed: int, since: str | None, until: str | None,
            method: str, objective: str, stability_runs: int, force: bool, by: str,
            engine: str, fmt: str) -> None:
    """Communities, influence and bridges; results are stored on the accounts.

    Cached: with the same data, groups and parameters the stored results are reused.
    """
    from .analysis import analyze as run

    if engine == "gds":
        unsupported = [name for name, on in (
            ("--by person", by == "person"), ("--since/--until", bool(since or until)),
            ("--method louvain", method != "leiden"), ("--objective cpm", objective != "modularity"),
            ("--stability", stability_runs > 0)) if on]
        if unsupported:
            raise UsageError(f"--engine gds does not support {', '.join(unsupported)}")
        from .analysis.gds import analyze_gds

        emit_object(analyze_gds(obj.store, resolution=resolution, seed=seed), fmt)
        return

    if by == "person":
        from .analysis import run_analysis
        from .analysis.project import actor_graph
        from .resolve.identity import collapse_to_persons, persons_map

        ag = collapse_to_persons(actor_graph(obj.store, since=since, until=until),
                                 persons_map(obj.store))
        result = run_analysis(ag, resolution=resolution, seed=seed, method=method,
                              objective=objective, stability_runs=stability_runs)
        table = result.accounts.reset_index(drop=True)
        sort_col = "indegree" if "indegree" in table.columns else table.columns[-1]
        emit_table(table.sort_values(sort_col, ascending=False), fmt,
                   title="actors (persons and unlinked accounts)")
        return

    result = run(obj.store, resolution=resolution, seed=seed, since=since, until=until,
                 method=method, objective=objective, stability_runs=stability_runs, force=force)
    emit_object(result.summary() if hasattr(result, "summary") else vars(result), fmt)


@cli.command()
@output_options
@click.pass_obj
@handle_errors
def accounts(obj: Ctx, fmt: str) -> None:
    """Every account with its group, community and metrics."""
    from .analysis.tables import accounts_table

    emit_table(accounts_table(obj.store), fmt)


@cli.command()
@click.argument("what", type=click.Choice(["influencers", "bridges", "hubs", "brokers",
                                           "carriers"]))
@click.option("--group", default=None, help="Only accounts of this stance group.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--by", "by", default=None, metavar="METRIC",
              help="Rank by another metric (e.g. pagerank, reach, hub, authority, betweenness).")
@output_options
@click.pass_obj
@handle_errors
def top(obj: Ctx, what: str, group: str | None, limit: int, by: str | None, fmt: str) -> None:
    """Top accounts: influencers (weighted in-degree), bridges (bridge score), hubs (HITS),
    brokers (Gould-Fernandez brokerage) or carriers (who moved content across platforms)."""
    if what == "carriers":
        from .analysis.crossposting import carriers_table

        df = carriers_table(obj.store, limit=limit)
        if group and "group" in df.columns:
            df = df[df["group"] == group]
    else:
        from .analysis.tables import top as top_table

        df = top_table(obj.store, what, group=group, limit=limit, by=by)
    emit_table(df, fmt, title=f"top {what}" + (f" in {group}" if group else ""))


@cli.command()
@output_options
@click.pass_obj
@handle_errors
def communities(obj: Ctx, fmt: str) -> None:
    """Communities: id, size, top members, group mix."""
    from .analysis.tables import communities_table

    emit_table(communities_table(obj.store), fmt)


@cli.command()
@output_options
@click.pass_obj
@handle_errors
def stats(obj: Ctx, fmt: str) -> None:
    """Counts per node label and relationship type."""
    emit_object(obj.store.counts(), fmt)


# -- export -----------------------------------------------------------------


@cli.command()
@click.argument("kind", metavar="KIND")
@click.argument("out", type=click.Path(allow_dash=False))
@click.option("--color-by", type=click.Choice(["stance", "community"]), default="stance",
              show_default=True)
@click.option("--size-by", default="pagerank", show_default=True,
              help="Numeric account column that sizes nodes.")
@click.option("--max-nodes", type=click.IntRange(0), default=2000, show_default=True,
              help="Bigger graphs are reduced to the top nodes by --size-by; 0: no limit.")
@click.option("--reduce", "reduce_", type=click.Choice(["top", "kcore", "communities"]),
              default="top", show_default=True,
              help="How a graph above --max-nodes is reduced: top-N by --size-by, the k-core, "
                   "or communities collapsed into super-nodes with a drill-down.")
@click.option("--title", default=None)
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True,
              help="Replace handles, names and profile URLs with stable salted hashes "
                   "(salt: NETMAP_PSEUDONYM_SALT, else one kept in the store).")
@click.pass_obj
@handle_errors
def export(obj: Ctx, kind: str, out: str, color_by: str, size_by: str, max_nodes: int,
           reduce_: str, title: str | None, pseudonymise: bool) -> None:
    """Write the network as KIND (html, gexf, graphml, csv, json, parquet, report) to OUT.

    `--max-nodes 0` writes every account (file formats); the HTML view reduces big graphs.
    """
    from .export import get_exporter

    exporter = get_exporter(kind)
    groups = _groups(obj, None)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    source = obj.store
    if pseudonymise:
        from .privacy import PseudonymStore

        source = PseudonymStore(obj.store)
    report = exporter.export(source, out, color_by=color_by, size_by=size_by,
                             max_nodes=max_nodes or None, groups=groups, title=title,
                             reduce=reduce_)
    note = f" ({report.note})" if getattr(report, "note", None) else ""
    click.echo(f"wrote {report.path}: {report.nodes} nodes, {report.edges} edges{note}")


# -- synth and demo -----------------------------------------------------------


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--accounts", "n_accounts", type=click.IntRange(10), default=500, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@handle_errors
def synth(out_dir: str, n_accounts: int, seed: int) -> None:
    """Write a planted campaign (feeds, twarc2 JSONL, truth.json, seeds.csv) to OUT_DIR."""
    from .synth import generate

    summary = generate(out_dir, accounts=n_accounts, seed=seed)
    click.echo(f"wrote {out_dir}: {summary}")


def example_dir() -> Path:
    """The bundled example, from a checkout or NETMAP_EXAMPLES."""
    env = os.environ.get("NETMAP_EXAMPLES")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parent.parent / "examples", Path.cwd() / "examples"]
    for base in candidates:
        if (base / "tajikistan-2013").is_dir():
            return base / "tajikistan-2013"
    from .errors import UsageError

    raise UsageError("examples/tajikistan-2013 not found; run from a netmap checkout "
                     "or set NETMAP_EXAMPLES to the examples folder")


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), default="exports/tajikistan-2013.html",
              show_default=True)
@click.option("--keep-store", type=click.Path(dir_okay=False), default=None,
              help="Keep the demo store at this path (default: a temporary file).")
@handle_errors
def demo(out: str, keep_store: str | None) -> None:
    """Run the whole pipeline on examples/tajikistan-2013 and write the HTML view."""
    from .demo import run_demo

    for line in run_demo(example_dir(), out, keep_store=keep_store):
        click.echo(line)


def _register_command_modules() -> None:
    """Commands that live in netmap/commands/ (one module per area)."""
    import importlib

    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"netmap.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"netmap.commands.{name}":
                continue  # an area not present in this build
            raise
        for cmd in getattr(mod, "COMMANDS", []):
            cli.add_command(cmd)


# One module per area; each defines COMMANDS (click commands or groups).
COMMAND_MODULES: list[str] = ["identity", "crosspost", "insight", "neo4j", "privacy", "report"]
_register_command_modules()


def main() -> None:
    cli(prog_name="netmap")


if __name__ == "__main__":  # pragma: no cover
    main()
