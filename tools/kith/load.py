"""The one loader: find the repository, read every contact file into a Person.

A broken file never stops the others: it becomes findings, and (when its
front matter could not be read at all) no Person.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import codes
from .body import parse_body
from .fields import read_front_matter
from .model import Finding, Network, Person
from .parse import Problem, decode, load_yaml, split

PEOPLE_DIR = "people"


class RepositoryNotFound(Exception):
    """No `people/` folder in this directory or any above it."""


def find_root(start: Path | None = None, people_dir: str = PEOPLE_DIR) -> Path:
    """The nearest directory, from `start` upwards, that holds `people/`."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / people_dir).is_dir():
            return candidate
    raise RepositoryNotFound(
        f"no `{people_dir}/` folder in {here} or any folder above it; "
        "run kith inside a kith repository or pass --root DIR"
    )


def relpath(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def contact_files(people: Path) -> list[Path]:
    """Every `*.md` below `people/`, skipping names that start with `.` or `_`."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(people):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in filenames:
            if name.endswith(".md") and not name.startswith((".", "_")):
                found.append(Path(dirpath) / name)
    found.sort()
    return found


@dataclass
class LoadedFile:
    relpath: str
    person: Person | None
    findings: list[Finding] = field(default_factory=list)


def _findings(rel: str, problems: list[Problem]) -> list[Finding]:
    return [Finding(rel, line, codes.severity(code), code, msg) for line, code, msg in problems]


def parse_person(raw: bytes, path: Path, rel: str) -> LoadedFile:
    """Bytes of one contact file -> Person and findings. Pure: no I/O."""
    text, problem = decode(raw)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    parts, problem = split(text)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    fm, problem = load_yaml(parts.yaml_text, parts.yaml_first_line)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    if fm.data is None:
        # `---` then `---`: no keys yet, so the one finding is the missing name.
        fm.data = {}
    if not isinstance(fm.data, dict):
        what = f"a {type(fm.data).__name__}"
        return LoadedFile(
            rel,
            None,
            _findings(
                rel,
                [
                    (
                        parts.yaml_first_line,
                        "frontmatter-not-mapping",
                        f"front matter is {what}; it should be `key: value` lines "
                        "starting with `name: ...`",
                    )
                ],
            ),
        )
    person = Person(slug=path.stem, path=path, relpath=rel, name="")
    problems = read_front_matter(person, fm)
    body = parse_body(parts.body, parts.body_first_line)
    person.log = body.log
    person.tasks = body.tasks
    person.mentions = body.mentions
    person.notes = body.notes
    person.body_line = parts.body_first_line
    problems.extend(body.problems)
    if not person.name:
        # Still a person (others may link here), named by the slug for display.
        person.name = person.slug
    return LoadedFile(rel, person, _findings(rel, problems))


def load_file(path: Path, root: Path) -> LoadedFile:
    rel = relpath(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return LoadedFile(rel, None, [Finding(rel, 0, "error", "encoding", f"cannot read: {exc.strerror}")])
    return parse_person(raw, path, rel)


class FileCache:
    """Parsed files kept between loads (the `mkdocs serve` rebuilds), reused
    while a file's mtime and size are unchanged."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], LoadedFile]] = {}

    def load(self, path: Path, root: Path) -> LoadedFile:
        try:
            stat = path.stat()
        except OSError:
            return load_file(path, root)
        key = (stat.st_mtime_ns, stat.st_size)
        hit = self._entries.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        loaded = load_file(path, root)
        self._entries[path] = (key, loaded)
        return loaded

    def forget_missing(self, present: set[Path]) -> None:
        for path in list(self._entries):
            if path not in present:
                del self._entries[path]


def assemble(root: Path, loaded: list[LoadedFile]) -> Network:
    """Loaded files -> a Network; two files with one slug: the first wins."""
    network = Network(root=root)
    first_path: dict[str, str] = {}
    for item in loaded:
        network.files.append(item.relpath)
        network.findings.extend(item.findings)
        person = item.person
        if person is None:
            continue
        if person.slug in network.people:
            network.findings.append(
                Finding(
                    item.relpath,
                    1,
                    "error",
                    "duplicate-slug",
                    f"slug `{person.slug}` is already taken by {first_path[person.slug]}; "
                    "slugs are file names and must be unique across people/",
                )
            )
            continue
        first_path[person.slug] = item.relpath
        network.people[person.slug] = person
    return network


def load_network(
    root: Path, people_dir: str = PEOPLE_DIR, cache: FileCache | None = None
) -> Network:
    """Every contact file under `root/people_dir`, with the loader's findings
    (not yet the cross-file checks: see `validate.check`)."""
    people = root / people_dir
    files = contact_files(people) if people.is_dir() else []
    if cache is None:
        return assemble(root, [load_file(path, root) for path in files])
    cache.forget_missing(set(files))
    return assemble(root, [cache.load(path, root) for path in files])
