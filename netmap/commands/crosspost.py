"""``netmap crossposts`` and ``netmap cascade``: content across platforms."""

from __future__ import annotations

import json
from typing import Any

import click

from ..cliutils import Ctx, emit_table, handle_errors, output_options, pass_ctx


@click.command("crossposts")
@click.option("--min-platforms", type=click.IntRange(1), default=2, show_default=True,
              help="Only content seen on at least this many platforms.")
@click.option("--window", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="DAYS", help="Cross-post time window in days (default 7); implies "
                                   "--recompute.")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Minimum text similarity (Jaccard, default 0.5); implies --recompute.")
@click.option("--recompute", is_flag=True,
              help="Detect near-duplicate cross-posts again (replaces CROSSPOST_OF).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@output_options
@pass_ctx
@handle_errors
def crossposts(ctx: Ctx, min_platforms: int, window: float | None, threshold: float | None,
               recompute: bool, limit: int, fmt: str) -> None:
    """Content seen on several platforms: shared, quoted, linked or copied across them.

    Near-duplicate texts across platforms are detected the first time (or with
    --recompute) and stored as CROSSPOST_OF relationships.
    """
    from ..analysis.crossposting import cross_platform_content
    from ..resolve.crosspost import detect_crossposts

    store = ctx.store
    if recompute or window is not None or threshold is not None or \
            store.meta("crossposts_params") is None:
        kwargs: dict[str, Any] = {}
        if window is not None:
            kwargs["window_days"] = window
        if threshold is not None:
            kwargs["threshold"] = threshold
        res = detect_crossposts(store, **kwargs)
        click.echo(f"cross-posts: {len(res.pairs)} found among {res.posts_compared} posts "
                   f"in {res.seconds:.1f}s", err=True)
    df = cross_platform_content(store, min_platforms=min_platforms, limit=limit)
    emit_table(df, fmt, title=f"content on {min_platforms}+ platforms")


@click.command("cascade")
@click.argument("ref", metavar="POST_KEY_OR_URL")
@click.option("--no-replies", is_flag=True, help="Leave replies and comments out.")
@click.option("--max-depth", type=click.IntRange(1), default=50, show_default=True)
@output_options
@pass_ctx
@handle_errors
def cascade(ctx: Ctx, ref: str, no_replies: bool, max_depth: int, fmt: str) -> None:
    """How one post spread across platforms: a tree of shares, quotes, copies and replies.

    POST_KEY_OR_URL is a post key (`netmap crossposts` lists them) or the
    post's URL in any form people paste (http/https, utm parameters ...).
    """
    from ..analysis.crossposting import cascade as run_cascade
    from ..analysis.crossposting import cascade_lines
    from ..cliutils import _jsonable

    c = run_cascade(ctx.store, ref, replies=not no_replies, max_depth=max_depth)
    if fmt == "json":
        click.echo(json.dumps(_jsonable(c.as_dict()), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit_table(c.nodes, fmt)
        return
    for line in cascade_lines(c):
        click.echo(line)
    click.echo("")
    emit_table(c.platforms, fmt, title="reach per platform")
    if len(c.carriers):
        emit_table(c.carriers, fmt, title="carriers to other platforms")


COMMANDS = [crossposts, cascade]
