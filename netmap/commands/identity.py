"""``netmap identities``: link one person's accounts across platforms."""

from __future__ import annotations

import click

from ..cliutils import Ctx, emit_object, emit_table, handle_errors, output_options, pass_ctx


@click.group("identities")
def identities() -> None:
    """Accounts of one person across platforms (BELONGS_TO a Person).

    `resolve` links accounts from explicit evidence (profile links, bio
    handles, comment URLs, an alias file); `candidates` proposes look-alike
    accounts, which are only merged when you `accept` them.
    """


@identities.command("resolve")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False), default=None,
              help="CSV account,person (accounts as keys or profile URLs); remembered in the "
                   "store for later runs.")
@click.option("--forget-aliases", is_flag=True, help="Drop the alias file remembered earlier.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Ignore evidence weaker than this.")
@click.option("--max-claimants", type=click.IntRange(1), default=2, show_default=True,
              help="A profile or blog linked by more accounts of one platform is an "
                   "affiliation, not an identity.")
@click.option("--dry-run", is_flag=True, help="Show what would be linked; write nothing.")
@output_options
@pass_ctx
@handle_errors
def identities_resolve(ctx: Ctx, aliases: str | None, forget_aliases: bool,
                       min_confidence: float, max_claimants: int, dry_run: bool,
                       fmt: str) -> None:
    """Link accounts of one person from explicit evidence (replaces earlier links)."""
    from ..resolve.identity import resolve

    arg: str | list[tuple[str, str]] | None = aliases
    if forget_aliases and aliases is None:
        arg = []
    res = resolve(ctx.store, arg, min_confidence=min_confidence, max_claimants=max_claimants,
                  write=not dry_run)
    if dry_run and fmt == "table":
        emit_table(res.memberships, fmt, title="would link")
        return
    out = res.summary()
    if res.missing_aliases:
        out["aliases_not_in_store"] = res.missing_aliases[:20]
    emit_object(out, fmt)


@identities.command("candidates")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.85, show_default=True,
              help="Only pairs that look at least this alike.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@output_options
@pass_ctx
@handle_errors
def identities_candidates(ctx: Ctx, min_score: float, limit: int, fmt: str) -> None:
    """Look-alike accounts on different platforms (same handle, similar names across scripts).

    Nothing is merged: `netmap identities accept A B` or `reject A B` decides.
    """
    from ..resolve.identity import candidates

    emit_table(candidates(ctx.store, min_score=min_score, limit=limit), fmt,
               title="identity candidates")


def _decide(ctx: Ctx, a: str, b: str, decision: str, person: str | None, note: str | None,
            fmt: str) -> None:
    from ..resolve.identity import decide, resolve

    rec = decide(ctx.store, a, b, decision, person=person, note=note)
    res = resolve(ctx.store)
    emit_object({"decision": rec, **res.summary()}, fmt)


@identities.command("accept")
@click.argument("a")
@click.argument("b")
@click.option("--person", default=None, help="Name the person (default: derived key).")
@click.option("--note", default=None, help="Why (kept with the decision).")
@output_options
@pass_ctx
@handle_errors
def identities_accept(ctx: Ctx, a: str, b: str, person: str | None, note: str | None,
                      fmt: str) -> None:
    """Accounts A and B are one person (keys or profile URLs); re-resolves."""
    _decide(ctx, a, b, "accept", person, note, fmt)


@identities.command("reject")
@click.argument("a")
@click.argument("b")
@click.option("--note", default=None, help="Why (kept with the decision).")
@output_options
@pass_ctx
@handle_errors
def identities_reject(ctx: Ctx, a: str, b: str, note: str | None, fmt: str) -> None:
    """Accounts A and B are not one person: never propose or merge them; re-resolves."""
    _decide(ctx, a, b, "reject", None, note, fmt)


@identities.command("list")
@click.option("--person", default=None, help="Only this person.")
@output_options
@pass_ctx
@handle_errors
def identities_list(ctx: Ctx, person: str | None, fmt: str) -> None:
    """Persons and their accounts, with the evidence of each link."""
    from ..resolve.identity import persons_table

    df = persons_table(ctx.store)
    if person:
        df = df[df["person"] == person]
    emit_table(df, fmt, title="persons")


@identities.command("decisions")
@output_options
@pass_ctx
@handle_errors
def identities_decisions(ctx: Ctx, fmt: str) -> None:
    """The analyst's accept/reject decisions, oldest first."""
    import pandas as pd

    from ..resolve.identity import decisions

    df = pd.DataFrame(decisions(ctx.store), columns=["a", "b", "decision", "person", "note", "at"])
    emit_table(df, fmt, title="identity decisions")


COMMANDS = [identities]
