"""Shared pieces of the command line: the context object, output and error handling.

Command modules (``netmap/commands/*.py``) import these; ``netmap/cli.py``
registers the commands. Nothing here does analysis work.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import NetmapError

__all__ = ["Ctx", "FORMATS", "handle_errors", "output_options", "emit_table", "emit_object",
           "pass_ctx", "resolve_account"]

FORMATS = ("table", "json", "csv")


class Ctx:
    """What commands share: the store URI, and the store once something asks for it."""

    def __init__(self, store_uri: str | None) -> None:
        self.store_uri = store_uri
        self._store: Any = None

    @property
    def store(self) -> Any:
        if self._store is None:
            from .store import open_store

            self._store = open_store(self.store_uri)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _fail(exc: NetmapError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(exc.exit_code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NetmapError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


def output_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The shared --format option of every listing command."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="table for people, json or csv for programs.",
    )(fn)


def _jsonable(value: Any) -> Any:
    import math

    import numpy as np

    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, bool, float)):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def emit_table(df: Any, fmt: str, *, title: str | None = None) -> None:
    """Print a DataFrame as a rich table, a JSON list of objects, or CSV."""
    if fmt == "json":
        records = [_jsonable(r) for r in df.to_dict(orient="records")]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(df.to_csv(index=False), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, show_lines=False)
        for col in df.columns:
            table.add_column(str(col), overflow="fold")
        for row in df.itertuples(index=False):
            cells = []
            for v in row:
                v = _jsonable(v)
                if isinstance(v, float):
                    cells.append(Text(f"{v:.4g}"))
                else:
                    text = "" if v is None else str(v)
                    if len(text) > 80:  # long texts belong in json/csv output
                        text = text[:79] + "…"
                    cells.append(Text(text))  # Text: no markup from data
            table.add_row(*cells)
        # On a terminal fit its width; in a pipe or file never squeeze columns to 80.
        width = None if sys.stdout.isatty() else 400
        Console(soft_wrap=False, width=width).print(table)
        if df.empty:
            click.echo("(no rows)", err=True)


def emit_object(obj: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(_jsonable(obj), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(["name", "value"])
        for k, v in obj.items():
            w.writerow([k, json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, (dict, list)) else v])
    else:
        for k, v in obj.items():
            if isinstance(v, dict):
                click.echo(f"{k}:")
                for k2, v2 in v.items():
                    click.echo(f"  {k2:<16} {v2}")
            else:
                click.echo(f"{k:<18} {v}")


pass_ctx = click.make_pass_decorator(Ctx)


def resolve_account(ref: str) -> str:
    """An account key from what the user typed (key or profile URL), as a usage error if neither."""
    from .errors import UsageError
    from .keys import account_ref

    try:
        return account_ref(ref)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
