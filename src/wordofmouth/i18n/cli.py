"""`wom messages update` merges new messages into the catalogs; `wom messages check` fails
while a message has no translation."""

from __future__ import annotations

import typer
from rich.console import Console

from wordofmouth.i18n import catalogs

app = typer.Typer(help="The translation catalogs (gettext .po files in the repository).",
                  no_args_is_help=True)
console = Console()


@app.command("update")
def update() -> None:
    """Extract the sources' messages and merge them into every language's catalog."""
    for language in catalogs.translated_languages():
        path = catalogs.update(language)
        left = catalogs.missing(language)
        console.print(f"{path}: {len(left)} message(s) to translate")


@app.command("check")
def check() -> None:
    """Exit 1 when a catalog lacks a translation (CI runs this through the tests)."""
    failed = False
    for language in catalogs.translated_languages():
        left = catalogs.missing(language)
        for message in left:
            console.print(f"[red]{language}[/red]: {message!r}")
        failed = failed or bool(left)
        if not left:
            console.print(f"{language}: every message is translated")
    raise typer.Exit(1 if failed else 0)
