"""The storyline command line: a thin layer over the library."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import storyline.bench as bench_pkg

app = typer.Typer(help="Raw news in; a sourced, dated record of who did what to whom out.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
bench_app = typer.Typer(help="Score each stage on ../shared/data, with its peer tool in the same run.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def _register_benches() -> None:
    for info in pkgutil.iter_modules(bench_pkg.__path__):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"storyline.bench.{info.name}")
        command = getattr(module, "command", None)
        if command is not None:
            bench_app.command(info.name, help=(module.__doc__ or "").strip().splitlines()[0]
                              if module.__doc__ else None)(command)


_register_benches()


def main() -> None:
    from storyline.errors import StorylineError

    try:
        app()
    except StorylineError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
