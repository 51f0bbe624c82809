"""`kith init DIR`: a new, empty network of one's own."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import KithError
from ..git import GitError, _run
from ..write import atomic_write
from . import main
from .style import paint

MKDOCS_YML = """\
# Your network's site: `mkdocs serve` shows it at http://127.0.0.1:8000.
site_name: {name}
docs_dir: docs

theme:
  name: material
  font: false          # no web fonts: the site loads nothing from the network

plugins:
  - search
  - kith:
      people_dir: people
"""

GITIGNORE = """\
# Built by `mkdocs build`, and kith's cache of parsed files: both made again at will.
site/
.kith-cache/
"""

KEEP = "This folder is kept in git while it is empty.\n"


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The site's title. Default: the folder's name.")
@click.option("--no-git", is_flag=True, help="Do not make the folder a git repository.")
def init(folder: Path, name: str | None, no_git: bool) -> None:
    """Start an empty network of your own in FOLDER.

    Creates FOLDER with an empty people/ folder, a mkdocs.yml that serves
    it with kith, and a .gitignore, and makes it a git repository (unless
    --no-git). FOLDER must be new or empty. Then `cd FOLDER`, add someone
    with `kith new "Ada Lovelace"` and run `mkdocs serve`.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.UsageError(f"{folder} exists and is not an empty folder: choose a new one")
    title = name or folder.resolve().name.replace("-", " ").replace("_", " ").strip() or "My network"
    try:
        (folder / "people").mkdir(parents=True, exist_ok=True)
        (folder / "docs").mkdir(exist_ok=True)
        # json.dumps of the title is a YAML string too: a name such as `yes` or `1.0` stays text.
        atomic_write(folder / "mkdocs.yml", MKDOCS_YML.format(name=json.dumps(title, ensure_ascii=False)).encode())
        atomic_write(folder / ".gitignore", GITIGNORE.encode())
        atomic_write(folder / "people" / ".keep", KEEP.encode())
        atomic_write(folder / "docs" / ".keep", KEEP.encode())
    except OSError as exc:
        raise KithError(f"cannot create {folder}: {exc.strerror or exc}", code="write-failed") from None
    made = [folder / "mkdocs.yml", folder / ".gitignore", folder / "people", folder / "docs"]
    if not no_git:
        try:
            _run(["init", "-q"], folder)
        except GitError as exc:
            click.echo(f"{paint('warning', 'warning')}: not made a git repository: {exc}", err=True)
    for path in made:
        click.echo(f"created {path}")
    click.echo(
        f"\nYour network is in {folder}. Next:\n"
        f"  cd {folder}\n"
        '  kith new "Ada Lovelace"      # or: kith import vcard contacts.vcf\n'
        "  mkdocs serve                 # http://127.0.0.1:8000"
    )
