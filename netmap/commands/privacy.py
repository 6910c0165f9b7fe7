"""Privacy commands: ``netmap forget ACCOUNT``."""

from __future__ import annotations

import click

from ..cliutils import Ctx, emit_object, handle_errors, output_options, pass_ctx, resolve_account

__all__ = ["COMMANDS", "forget"]


@click.command()
@click.argument("account")
@click.option("--posts", is_flag=True, help="Also delete the posts the account authored.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@output_options
@pass_ctx
@handle_errors
def forget(ctx: Ctx, account: str, posts: bool, yes: bool, fmt: str) -> None:
    """Delete ACCOUNT (key or profile URL) and its relationships from the store.

    With --posts, the posts it authored go too. Derived results (groups, metrics) of other
    accounts are not recomputed: run `netmap analyze` again afterwards.
    """
    from ..privacy import forget as run_forget

    key = resolve_account(account)
    what = f"account {key}" + (" and every post it authored" if posts else "")
    if not yes:
        click.confirm(f"Delete {what} from {ctx.store.uri}?", abort=True, err=True)
    emit_object(run_forget(ctx.store, key, posts=posts), fmt)


COMMANDS = [forget]
