"""`kith render --out DIR`: the site's pages as Markdown files, compared with
what a real `mkdocs build` of the same network shows."""

from __future__ import annotations

import html
import json
import re
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_PEOPLE, PROJECT
from kith.cli import main as kith_main
from sitebuild import build_site, site_text

CANARIES = [
    "CANARY-HIDDEN-NAME-a1f0",
    "CANARY-HIDDEN-NOTES-b2e1",
    "CANARY-SECTION-c3d2",
    "CANARY-LOG-d4c3",
    "CANARY-TASK-e5b4",
]

EXTRA_PEOPLE = {
    "hidden-person.md": f"""\
        ---
        name: {CANARIES[0]} Quiet
        private: true
        ---

        {CANARIES[1]} notes about [[zoe-whitfield]].
        """,
    "open-person.md": f"""\
        ---
        name: Olive Open
        tags: [render-test]
        ---

        Olive likes kites and knows [[zoe-whitfield]].

        ## Private

        {CANARIES[2]} told me in confidence.

        ## Log

        - 2026-11-01 coffee: talked about kites
        - [ ] 2026-12-01 send the kite shop address

        ### Private

        - 2026-10-01 call: {CANARIES[3]} about her health
        - [ ] 2026-12-02 {CANARIES[4]} the surprise
        """,
}


def invoke(root: Path, *args: str):
    return CliRunner().invoke(kith_main, ["--root", str(root), *args], catch_exceptions=False)


def make_repo(root: Path) -> Path:
    shutil.copytree(EXAMPLE_PEOPLE, root / "people")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    for name, text in EXTRA_PEOPLE.items():
        (root / "people" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example network plus canaries, built by MkDocs and by `kith render`."""
    root = make_repo(tmp_path_factory.mktemp("render") / "repo")
    result, site = build_site(root, keep_config=True)
    assert result.returncode == 0, result.stderr
    out = root.parent / "out"
    rendered = invoke(root, "render", "--out", str(out), "--today", "2026-11-22")
    assert rendered.exit_code == 0, rendered.output
    return root, site, out, rendered.output


class _Text(HTMLParser):
    """The text of every element carrying a class, by class name (first one)."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.depth = 0  # > 0 while inside the wanted element
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        if self.depth:
            self.depth += 1
        elif not self.found and self.wanted in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.parts.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(markup: str, cls: str) -> str | None:
    parser = _Text(cls)
    parser.feed(markup)
    if not parser.found:
        return None
    return " ".join("".join(parser.parts).split())


def front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def public_slugs(root: Path) -> set[str]:
    slugs = set()
    for path in (root / "people").rglob("*.md"):
        head, _ = front_matter(path.read_text(encoding="utf-8"))
        if not head.get("private"):
            slugs.add(path.stem)
    return slugs


def test_the_same_person_pages_exist_in_the_folder_and_the_site(built):
    root, site, out, output = built
    in_site = {p.parent.name for p in (site / "people").glob("*/index.html")}
    in_out = {p.stem for p in (out / "people").glob("*.md")} - {"index"}
    assert in_out == in_site == public_slugs(root)
    assert "hidden-person" not in in_out
    assert re.search(r"^\d+ pages and \d+ other files in .*: \d+ written, 0 unchanged$", output.strip())


def test_each_card_and_timeline_says_the_same_in_both(built):
    root, site, out, _ = built
    for slug in sorted(public_slugs(root)):
        page_html = (site / "people" / slug / "index.html").read_text(encoding="utf-8")
        page_md = (out / "people" / f"{slug}.md").read_text(encoding="utf-8")
        for cls in ("kith-card", "kith-log"):
            in_site = text_of(page_html, cls)
            assert in_site == text_of(page_md, cls), f"{cls} of {slug} differs"
        assert text_of(page_md, "kith-card").startswith(text_of(page_html, "kith-card")[:20])


def test_the_person_file_has_front_matter_card_notes_and_timeline(built):
    _, _, out, _ = built
    head, body = front_matter((out / "people" / "open-person.md").read_text(encoding="utf-8"))
    assert head == {"title": "Olive Open", "kind": "person", "slug": "open-person", "tags": ["render-test"]}
    card = body.index('<div class="kith-card"')
    # The notes as the site shows them: rendered and sanitized HTML, so the
    # next generator has none of the user's Markdown (or raw HTML) to run.
    notes = body.index('<p>Olive likes kites and knows <a href="zoe-whitfield.md">Zoë Whitfield</a>.</p>')
    timeline = body.index('<section class="kith-section kith-open-tasks">')
    assert card < notes < timeline
    assert "talked about kites" in body[timeline:]
    assert "send the kite shop address" in body[timeline:]
    # Blank lines around the HTML, so Markdown renderers keep it as a block.
    assert "</div>\n\n<p>Olive likes kites" in body


def test_private_canaries_are_in_neither(built):
    root, site, out, _ = built
    assert any(CANARIES[2] in p.read_text(encoding="utf-8") for p in (root / "people").glob("*.md"))
    for rel, text in site_text(site).items():
        for canary in CANARIES:
            assert canary not in text, f"{canary} in site/{rel}"
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for canary in CANARIES:
                assert canary not in text, f"{canary} in {path.relative_to(out)}"


def test_links_between_pages_point_at_md_files_that_exist(built):
    _, _, out, _ = built
    checked = 0
    for path in out.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        targets = re.findall(r'href="([^"#:]+\.md)(?:#[^"]*)?"', text)
        targets += re.findall(r"\]\(([^)#:\s]+\.md)\)", text)
        for target in targets:
            resolved = (path.parent / html.unescape(target)).resolve()
            assert resolved.is_file(), f"{path.relative_to(out)} links to missing {target}"
            checked += 1
    assert checked > 100
    home = (out / "index.md").read_text(encoding="utf-8")
    assert 'href="people/index.md"' in home


def test_every_site_file_kith_generates_is_in_the_folder(built):
    _, site, out, _ = built
    assert (out / "assets" / "kith" / "kith.css").read_bytes() == (site / "assets" / "kith" / "kith.css").read_bytes()
    for page in ("index.md", "people/index.md", "followups.md"):
        assert (out / page).is_file(), page
    # Front matter as a reader expects it (python-frontmatter reads it back): one key a line.
    import frontmatter

    text = (out / "people" / "index.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: People\nkind: index\n---\n\n<h1>People</h1>")
    post = frontmatter.loads(text)
    assert post.metadata == {"title": "People", "kind": "index"} and post.content.startswith("<h1>People</h1>")
    assert (out / "followups.ics").read_bytes() == (site / "followups.ics").read_bytes()
    marker = json.loads((out / ".kith-render").read_text(encoding="utf-8"))
    listed = set(marker["files"])
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {".kith-render"}
    assert listed == on_disk


def test_directory_links_match_the_site_html_exactly(built, tmp_path):
    root, site, _, _ = built
    out = tmp_path / "dirs"
    result = invoke(root, "render", "--out", str(out), "--links", "directory", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    md = (out / "people" / "zoe-whitfield.md").read_text(encoding="utf-8")
    card = re.search(r'<div class="kith-card".*?</dl>', md, re.S).group(0)
    assert 'href="../callum-reid/"' in md or "../callum-reid/" in md
    assert card in (site / "people" / "zoe-whitfield" / "index.html").read_text(encoding="utf-8")


def test_json_format_holds_the_same_parts(built, tmp_path):
    root, _, out_md, _ = built
    out = tmp_path / "json"
    result = invoke(root, "render", "--out", str(out), "--format", "json", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    page = json.loads((out / "people" / "open-person.json").read_text(encoding="utf-8"))
    assert page["title"] == "Olive Open"
    assert page["kind"] == "person"
    assert page["src"] == "people/open-person.md"
    assert "talked about kites" in page["after_html"]
    assert page["notes_html"].startswith("<p>Olive likes kites")
    assert not list(out.rglob("people/*.md"))


def test_dry_run_lists_the_files_and_writes_nothing(built, tmp_path):
    root, _, _, _ = built
    out = tmp_path / "dry"
    result = invoke(root, "render", "--out", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would write {out.as_posix()}/people/open-person.md" in result.output
    assert f"would write {out.as_posix()}/followups.ics" in result.output
    assert "hidden-person" not in result.output
    assert result.output.strip().endswith("(dry run: nothing written)")
    assert not out.exists()


def test_refuses_a_folder_it_did_not_write_unless_forced(built, tmp_path):
    root, _, _, _ = built
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = invoke(root, "render", "--out", str(out))
    assert refused.exit_code == 2
    assert "is not empty and was not written by kith render" in refused.output
    assert "--force" in refused.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    forced = invoke(root, "render", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / "people" / "open-person.md").is_file()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_refuses_folders_inside_people_and_the_repository_itself(built):
    root, _, _, _ = built
    inside = invoke(root, "render", "--out", str(root / "people" / "site"))
    assert inside.exit_code == 2
    assert "is inside" in inside.output
    assert not (root / "people" / "site").exists()
    itself = invoke(root, "render", "--out", str(root), "--force")
    assert itself.exit_code == 2
    assert "is the repository" in itself.output


def test_a_second_run_updates_and_removes_pages_no_longer_generated(tmp_path):
    root = make_repo(tmp_path / "repo")
    out = tmp_path / "out"
    first = invoke(root, "render", "--out", str(out), "--today", "2026-11-22")
    assert first.exit_code == 0, first.output
    (out / "my-own-notes.txt").write_text("mine", encoding="utf-8")
    again = invoke(root, "render", "--out", str(out), "--today", "2026-11-22")
    assert again.exit_code == 0, again.output
    assert " 0 written, " in again.output
    # Olive becomes private: her page goes away at the next run, nothing else does.
    person = root / "people" / "open-person.md"
    person.write_text(person.read_text(encoding="utf-8").replace("name: Olive Open", "name: Olive Open\nprivate: true"), encoding="utf-8")
    dry = invoke(root, "render", "--out", str(out), "--dry-run", "--today", "2026-11-22")
    assert f"would remove {out.as_posix()}/people/open-person.md" in dry.output
    assert (out / "people" / "open-person.md").is_file()
    third = invoke(root, "render", "--out", str(out), "--today", "2026-11-22")
    assert third.exit_code == 0, third.output
    assert "old files removed" in third.output
    assert not (out / "people" / "open-person.md").exists()
    assert not (out / "tags" / "render-test.md").exists()
    assert (out / "my-own-notes.txt").read_text(encoding="utf-8") == "mine"
    assert "Olive Open" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))


def test_render_help_explains_every_option():
    result = CliRunner().invoke(kith_main, ["render", "--help"])
    assert result.exit_code == 0
    for option in ("--out DIR", "--format", "--links", "--force", "--dry-run", "--today", "--root"):
        assert option in result.output


def test_a_broken_file_is_reported_and_the_rest_is_written(tmp_path):
    root = make_repo(tmp_path / "repo")
    (root / "people" / "broken.md").write_text("---\nname: [Broken\n---\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(kith_main, ["--root", str(root), "render", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: left out people/broken.md: could not be read as a contact (run `kith validate`)" in result.stderr
    # Its page, as on the site: the error, and nothing from the file.
    broken = (out / "people" / "broken.md").read_text(encoding="utf-8")
    assert "kind: broken" in broken and "[yaml-syntax]" in broken and "Broken" not in broken.replace("kith-broken", "")
    assert (out / "people" / "open-person.md").is_file()


def test_front_matter_keeps_awkward_names_as_text(tmp_path):
    root = tmp_path / "repo"
    (root / "people").mkdir(parents=True)
    (root / "people" / "yes.md").write_text(
        '---\nname: "yes"\ntags: ["1.0", "null", "a: b"]\n---\n\nNotes.\n', encoding="utf-8"
    )
    (root / "people" / "quote.md").write_text(
        "---\nname: 'Dan \"the\" O''Connor \\ <b>'\n---\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert invoke(root, "render", "--out", str(out)).exit_code == 0
    head, _ = front_matter((out / "people" / "yes.md").read_text(encoding="utf-8"))
    assert head == {"title": "yes", "kind": "person", "slug": "yes", "tags": ["1.0", "null", "a: b"]}
    head, _ = front_matter((out / "people" / "quote.md").read_text(encoding="utf-8"))
    assert head["title"] == 'Dan "the" O\'Connor \\ <b>'
