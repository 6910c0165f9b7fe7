"""Commands that look into the analysis: mixing, brokerage, timeline, period comparison, hubs.

Each command is a thin wrapper over a library call in :mod:`netmap.analysis`
(the call is named in its help), so a notebook can do the same.
"""

from __future__ import annotations

from typing import Any

import click

from ..cliutils import emit_object, emit_table, handle_errors, output_options, pass_ctx

__all__ = ["COMMANDS"]


def _window(fn: Any) -> Any:
    fn = click.option("--until", default=None,
                      help="Only interactions before this ISO date.")(fn)
    fn = click.option("--since", default=None,
                      help="Only interactions at or after this ISO date.")(fn)
    return fn


@click.command()
@_window
@click.option("--ei", "show_ei", is_flag=True,
              help="Show the E-I index and assortativity per group instead of the matrix.")
@click.option("--normalize", type=click.Choice(["none", "row"]), default="none",
              show_default=True, help="row: each row as shares of the group's outgoing weight.")
@output_options
@pass_ctx
@handle_errors
def mixing(ctx: Any, since: str | None, until: str | None, show_ei: bool, normalize: str,
           fmt: str) -> None:
    """Tie weight from each stance group (rows) to each group (columns).

    Library: netmap.analysis.bridges.mixing_matrix / ei_index / assortativity.
    """
    import pandas as pd

    from ..analysis.bridges import assortativity, ei_index, mixing_matrix
    from ..analysis.project import actor_graph
    from ..errors import UsageError

    ag = actor_graph(ctx.store, since=since, until=until, edge_attributes=False)
    groups = pd.Series(ag.accounts["group"].to_numpy(dtype=object),
                       index=ag.accounts["key"].astype(str).to_numpy())
    if show_ei:
        ei = ei_index(ag, groups)
        if ei.empty:
            raise UsageError("no account has a stance group: run `netmap stance assign` first")
        ei["assortativity"] = assortativity(ag, groups)
        emit_table(ei, fmt, title="E-I index per group")
        return
    mat = mixing_matrix(ag, groups)
    if mat.empty:
        raise UsageError("no account has a stance group: run `netmap stance assign` first")
    if normalize == "row":
        mat = mat.div(mat.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    emit_table(mat.reset_index().rename(columns={"from": "from \\ to"}), fmt,
               title="group mixing (tie weight)")


@click.command()
@_window
@click.option("--group", default=None, help="Only brokers of this stance group.")
@click.option("--role", type=click.Choice(["brokerage", "coordinator", "itinerant",
                                           "representative", "gatekeeper", "liaison"]),
              default="brokerage", show_default=True, help="Rank by this role's count.")
@click.option("--direction", type=click.Choice(["flow", "ties"]), default="flow",
              show_default=True,
              help="flow: along the content (author -> sharer); ties: as the ties point.")
@click.option("--basis", type=click.Choice(["group", "community"]), default="group",
              show_default=True, help="Roles over stance groups or stored communities.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@output_options
@pass_ctx
@handle_errors
def brokerage(ctx: Any, since: str | None, until: str | None, group: str | None, role: str,
              direction: str, basis: str, limit: int, fmt: str) -> None:
    """Gould–Fernandez brokerage roles per account (open two-paths a -> b -> c by group).

    Library: netmap.analysis.brokerage.brokerage.
    """
    import pandas as pd

    from ..analysis.brokerage import brokerage as run
    from ..analysis.project import actor_graph
    from ..errors import UsageError

    ag = actor_graph(ctx.store, since=since, until=until, edge_attributes=False)
    keys = ag.accounts["key"].astype(str).to_numpy()
    if basis == "group":
        labels = pd.Series(ag.accounts["group"].to_numpy(dtype=object), index=keys)
    else:
        stored = ctx.store.nodes("Account", columns=["community"])
        labels = pd.Series(stored["community"].to_numpy(dtype=object),
                           index=stored["key"].astype(str).to_numpy())
        labels = labels[~labels.index.duplicated()].reindex(keys)
    if labels.dropna().empty:
        hint = ("run `netmap stance assign` first" if basis == "group"
                else "run `netmap analyze` first")
        raise UsageError(f"no account has a {basis}: {hint}")
    res = run(ag, labels, direction=direction)
    res.insert(1, "group", ag.accounts["group"].to_numpy(dtype=object))
    if group is not None:
        present = sorted({str(g) for g in res["group"].dropna() if str(g)})
        if group not in present:
            raise UsageError(f"no account is in group {group!r}; groups present: "
                             f"{', '.join(present) or 'none'}")
        res = res[res["group"] == group]
    res = res[res[role] > 0].sort_values([role, "key"], ascending=[False, True], kind="stable")
    title = f"brokerage ({direction}, by {basis})"
    if res.attrs.get("cap"):
        title += f" — sampled {res.attrs['cap']} pairs per account"
    emit_table(res.head(limit).reset_index(drop=True), fmt, title=title)


@click.command()
@_window
@click.option("--by", "by", type=click.Choice(["group", "platform"]), default="group",
              show_default=True)
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="day",
              show_default=True)
@click.option("--count", type=click.Choice(["posts", "accounts"]), default="posts",
              show_default=True, help="Posts, or distinct active accounts, per bucket.")
@output_options
@pass_ctx
@handle_errors
def timeline(ctx: Any, since: str | None, until: str | None, by: str, freq: str, count: str,
             fmt: str) -> None:
    """Activity per day (week, month) per stance group or platform.

    Library: netmap.analysis.timeline.activity.
    """
    from ..analysis.timeline import activity

    table = activity(ctx.store, by=by, since=since, until=until, freq=freq, count=count)
    undated = table.attrs.get("undated", 0)
    emit_table(table, fmt, title=f"{count} per {freq} by {by}")
    if undated and fmt == "table":
        click.echo(f"({undated} posts without a date left out)", err=True)


@click.command()
@click.option("--period1", required=True, metavar="A..B",
              help="First period, e.g. 2013-10-15..2013-11-01 (end exclusive).")
@click.option("--period2", required=True, metavar="C..D", help="Second period.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--show", type=click.Choice(["accounts", "summary", "communities"]),
              default="accounts", show_default=True,
              help="accounts: those that moved, changed side or (stopped) bridging; "
                   "communities: the matching between periods.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@output_options
@pass_ctx
@handle_errors
def compare(ctx: Any, period1: str, period2: str, resolution: float, seed: int, show: str,
            limit: int, fmt: str) -> None:
    """Communities and bridges in two periods: who changed side, moved, became a bridge.

    Library: netmap.analysis.timeline.compare_periods.
    """
    from ..analysis.timeline import compare_periods

    cmp = compare_periods(ctx.store, period1, period2, resolution=resolution, seed=seed)
    if show == "summary":
        emit_object(cmp.summary(), fmt)
        return
    if show == "communities":
        emit_table(cmp.community_map.head(limit), fmt, title="period-2 communities matched")
        return
    acc = cmp.accounts
    changed = acc[acc["moved"] | acc["changed_side"] | acc["became_bridge"]
                  | acc["stopped_bridging"]].copy()
    changed["_d"] = (changed["bridge_score2"].fillna(0) - changed["bridge_score1"].fillna(0)).abs()
    changed = changed.sort_values(["changed_side", "became_bridge", "_d", "key"],
                                  ascending=[False, False, False, True], kind="stable")
    cols = ["key", "group", "leaning1", "leaning2", "changed_side", "community1",
            "community2_as1", "moved", "bridge_score1", "bridge_score2", "became_bridge",
            "stopped_bridging"]
    emit_table(changed[cols].head(limit).reset_index(drop=True), fmt,
               title="accounts that changed between the periods")


@click.command()
@click.option("--group", default=None, help="Only accounts of this stance group.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--by", "by", default=None, metavar="METRIC",
              help="Rank by another stored metric (default: HITS hub score).")
@output_options
@pass_ctx
@handle_errors
def hubs(ctx: Any, group: str | None, limit: int, by: str | None, fmt: str) -> None:
    """Top hubs: accounts that carry the content of the most-carried accounts (HITS hub).

    Library: netmap.analysis.tables.top(store, "hubs").
    """
    from ..analysis.tables import top

    emit_table(top(ctx.store, "hubs", group=group, limit=limit, by=by), fmt,
               title="top hubs" + (f" in {group}" if group else ""))


@click.command("bridging-content")
@_window
@click.option("--min-groups", type=click.IntRange(2), default=2, show_default=True,
              help="Fewest stance groups among the engaging accounts.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@output_options
@pass_ctx
@handle_errors
def bridging_content(ctx: Any, since: str | None, until: str | None, min_groups: int,
                     limit: int, fmt: str) -> None:
    """Posts and URLs engaged with by several stance groups, most evenly mixed first.

    Library: netmap.analysis.content.bridging_content.
    """
    from ..analysis.content import bridging_content as run

    emit_table(run(ctx.store, since=since, until=until, min_groups=min_groups, limit=limit),
               fmt, title="bridging content")


COMMANDS = [mixing, brokerage, timeline, compare, hubs, bridging_content]
