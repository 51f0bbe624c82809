"""One hostile file never stops or hangs the rest: each is a located
finding, its page falls back to something safe, every other page builds,
and every command answers. Run as real processes with time limits, since a
hang is one of the failures being tested for."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from sitebuild import build_site, site_text

KITH = [sys.executable, "-m", "kith"]
LIMIT = 120  # seconds: far above what any of these takes, far below a hang


def run(root: Path, *args: str, timeout: float = LIMIT) -> subprocess.CompletedProcess:
    env = {**os.environ, "KITH_TODAY": "2026-11-22", "NO_COLOR": "1"}
    return subprocess.run([*KITH, *args], cwd=root, capture_output=True, text=True, timeout=timeout, env=env)


def findings(root: Path) -> list[dict]:
    result = run(root, "validate", "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def codes_for(data: list[dict], name: str) -> set[str]:
    return {f["code"] for f in data if f["path"] == f"people/{name}"}


XSS_NAME = "x) <img src=x onerror=alert(13)> ("


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    people = root / "people"
    people.mkdir()

    def person(name: str, text: str) -> None:
        (people / name).write_text(text, encoding="utf-8")

    person("good.md", f"---\nname: Good Person\ncadence: 2w\n---\n\nKnows [[{XSS_NAME}]] and [[zip]].\n\n## Log\n\n- 2026-11-01 call: fine\n")
    person("zip.md", "---\nname: Zip\nzip: " + "9" * 5000 + "\ntitle: 0x" + "f" * 20000 + "\n---\n\nNotes.\n")
    person(f"{XSS_NAME}.md", "---\nname: Markup File\n---\n\nHello.\n")
    person("emphasis.md", "---\nname: Emphasis\n---\n\n" + "*a " * 3000 + "x" + " a*" * 3000 + "\n")
    person("brackets.md", "---\nname: Brackets\n---\n\n" + "[[" * 20000 + "\n")
    person("nested.md", "---\nname: Nested\n---\n\n" + "".join("    " * i + "- x\n" for i in range(300)))
    person("mentions.md", "---\nname: Mentions\n---\n\n" + "[[good]] " * 10000 + "\n")
    long = "Long " * 52  # 260 characters: over a file name's 255 bytes
    person("long.md", f"---\nname: Long Names\ncompany: {long}\ntags: [{long}]\nmet: {{event: {long}, where: {long}}}\n---\n")
    os.mkfifo(people / "y.md")
    with open(os.path.join(os.fsencode(people), b"caf\xe9.md"), "wb") as handle:  # a Latin-1 file name
        handle.write(b"---\nname: Cafe\n---\n")
    nfc = unicodedata.normalize("NFC", "jos\u00e9")
    nfd = unicodedata.normalize("NFD", "jos\u00e9")
    person(f"{nfc}.md", "---\nname: José NFC\n---\n")
    (people / "sub").mkdir()
    (people / "sub" / f"{nfd}.md").write_text("---\nname: José NFD\n---\n", encoding="utf-8")
    outside = root.parent / f"{root.name}-outside.md"
    outside.write_text("---\nname: Outsider\n---\n", encoding="utf-8")
    (people / "outsider.md").symlink_to(outside)
    (people / "dangling.md").symlink_to(root / "nowhere.md")
    with open(people / "huge.md", "wb") as handle:
        handle.write(b"---\nname: Huge\n---\n")
        handle.write(b"x" * (9 * 1024 * 1024))
    return root


def test_validate_names_each_hostile_file(hostile):
    data = findings(hostile)
    assert "not-a-file" in codes_for(data, "y.md")
    assert "slug-invalid" in codes_for(data, f"{XSS_NAME}.md")
    assert any(f["code"] == "slug-invalid" and "caf" in f["path"] for f in data)
    assert "number-too-long" in codes_for(data, "zip.md")
    assert "notes-unrenderable" in codes_for(data, "emphasis.md")
    assert "notes-unrenderable" in codes_for(data, "brackets.md")
    assert "notes-unrenderable" in codes_for(data, "nested.md")
    assert "symlink-outside" in codes_for(data, "outsider.md")
    assert "unreadable" in codes_for(data, "dangling.md")
    assert "file-too-large" in codes_for(data, "huge.md")
    nfd = unicodedata.normalize("NFD", "jos\u00e9")
    assert any(f["code"] == "duplicate-slug" and nfd in unicodedata.normalize("NFD", f["path"]) for f in data)
    # A link to a file that exists but is left out is reported in that file.
    assert not any(f["path"] == "people/good.md" and f["severity"] == "error" for f in data)


@pytest.mark.parametrize(
    "args",
    [
        ("due",),
        ("suggest",),
        ("show", "zip"),
        ("find", "zip"),
        ("export", "vcard"),
        ("export", "ics"),
        ("enrich", "--dry-run"),
        ("path", "good", "zip"),
    ],
    ids=lambda a: " ".join(a),
)
def test_every_command_answers_without_a_traceback(hostile, args):
    result = run(hostile, *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)


def test_kith_render_writes_the_rest(hostile, tmp_path):
    result = run(hostile, "render", "--out", str(tmp_path / "out"))
    assert "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "out" / "people" / "good.md").is_file()
    assert "<img src=x" not in "".join(p.read_text(errors="replace") for p in (tmp_path / "out").rglob("*.md"))


@pytest.mark.slow
def test_the_site_builds_and_no_hostile_value_is_live_markup(hostile):
    result, site = build_site(hostile)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    texts = site_text(site)
    for rel, text in texts.items():
        assert "<img src=x" not in text, rel
    good = texts["people/good/index.html"]
    assert "Good Person" in good
    # Pages whose Markdown could not render in time show it as text.
    for slug in ("emphasis", "brackets", "nested"):
        assert 'class="kith-notes-plain"' in texts[f"people/{slug}/index.html"], slug
    assert "people/zip/index.html" in texts
    # A 260-character organisation, tag, event and place each get a page,
    # under a name cut to fit the file system (with a hash of the whole).
    for folder in ("organisations", "tags", "events", "places"):
        long_pages = [rel for rel in texts if rel.startswith(f"{folder}/long-long") and rel.endswith("index.html")]
        assert long_pages and all(len(part.encode()) < 255 for rel in long_pages for part in rel.split("/")), folder


def test_a_line_naming_thousands_keeps_memory_linear(tmp_path):
    root = tmp_path / "repo"
    (root / "people").mkdir(parents=True)
    (root / "people" / "good.md").write_text("---\nname: Good\n---\n", encoding="utf-8")
    (root / "people" / "mentions.md").write_text("---\nname: M\n---\n\n" + "[[good]] " * 10000 + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = run(root, "validate")
    assert "Traceback" not in result.stderr
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert max(peak_kib, before) < 400 * 1024, f"peak {peak_kib // 1024} MiB"
    shards = list((root / ".kith-cache").rglob("*.pickle"))
    assert shards and sum(p.stat().st_size for p in shards) < 2 * 1024 * 1024
