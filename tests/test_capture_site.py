"""What capture shows on a real site (and in `kith render`): journal pages,
entries written elsewhere on a person's timeline, and nothing private:
canaries are looked for in every built file, the search index included."""

from __future__ import annotations

import pytest
from sitebuild import build_site, site_text

CANARIES = (
    "CANARY-PRIVATE-SECTION",
    "CANARY-PRIVATE-NOTE",
    "CANARY-WITHHELD-NOTE",
    "Secret Sid",
    "CANARY-PRIVATE-PERSON-LOG",
    "CANARY-FRONT-MATTER",
)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    from conftest import Repo

    repo = Repo(tmp_path_factory.mktemp("capture") / "repo")
    repo.person("ada", "name: Ada Lovelace\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n- 2026-11-02 coffee: with [[mary]]\n")
    repo.person("mary", "name: Mary Somerville\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("grace", "name: Grace Hopper\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("sid", "name: Secret Sid\nprivate: true\ncadence: 1m", "## Log\n\n- 2026-11-10 lunch: CANARY-PRIVATE-PERSON-LOG with [[grace]]\n")
    repo.write(
        "journal/2026-11-20.md",
        "---\ntitle: Dinner at Rosa's\ntags: [CANARY-FRONT-MATTER]\n---\n# Friday\n\n"
        "- dinner: at Rosa's with [[ada]], [[mary]], [[grace]] and [[sid]]\n\n"
        "Talked <script>alert(1)</script> about engines.\n\n## Private\n\nCANARY-PRIVATE-SECTION\n",
    )
    repo.write("journal/2026-11-18.md", "---\nprivate: true\n---\n- call: [[grace]] CANARY-PRIVATE-NOTE\n")
    repo.write("journal/2026-11-17.md", "- lunch: [[grace]]\n\n- x\n  ## Private\n  CANARY-WITHHELD-NOTE\n")
    repo.write('journal/2026-11-16 <b>bold & "q".md', "- call: [[ada]]\n")
    result, site = build_site(repo.root)
    assert result.returncode == 0, result.stderr
    return repo, site, site_text(site)


def page(texts, src):
    return texts[src]


def test_the_journal_has_an_index_and_a_page_per_public_note(network):
    _, site, texts = network
    note = page(texts, "journal/2026-11-20/index.html")
    assert "<h1>Dinner at Rosa&#x27;s</h1>" in note
    assert 'href="../../people/ada/"' in note and "Mary Somerville" in note
    assert "(private)" in note  # Sid, named nowhere
    assert "<script>alert(1)</script>" not in note and "about engines" in note
    assert not (site / "journal/2026-11-18").exists()  # private note
    assert not (site / "journal/2026-11-17").exists()  # withheld note
    index = page(texts, "journal/index.html")
    assert "November 2026" in index and "Dinner at Rosa" in index and "2026-11-18" not in index


def test_timelines_show_entries_written_elsewhere_and_where(network):
    _, _, texts = network
    mary = page(texts, "people/mary/index.html")
    assert "in <a href=\"../ada/\">Ada Lovelace</a>'s log" in mary
    assert 'in the journal, <a href="../../journal/2026-11-20/">Dinner at Rosa&#x27;s</a>' in mary
    assert "In the journal" in mary
    grace = page(texts, "people/grace/index.html")
    assert "Last contact</dt><dd><time>2026-11-20</time>" in grace


def test_follow_ups_on_the_site_reflect_the_new_contacts(network):
    _, _, texts = network
    followups = page(texts, "followups/index.html")
    # Each keeps in touch monthly; the dinner of 2026-11-20 moved them all to December.
    for slug in ("ada", "mary", "grace"):
        assert f'data-slug="{slug}" data-reason="cadence" data-due="2026-12-20"' in followups, slug


def test_nothing_private_reaches_any_file_of_the_site(network):
    _, _, texts = network
    leaks = {(path, canary) for path, text in texts.items() for canary in CANARIES if canary in text}
    assert leaks == set()


def test_nothing_private_reaches_kith_render(network, kith, tmp_path):
    repo, _, _ = network
    out = tmp_path / "out"
    result = kith(repo, "render", "--out", str(out), "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    files = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".json", ".ics")}
    assert "journal/2026-11-20.md" in files and "journal/2026-11-18.md" not in files
    assert {(path, c) for path, text in files.items() for c in CANARIES if c in text} == set()


def test_the_canaries_are_in_the_files(network):
    repo, _, _ = network
    text = "".join(p.read_text() for p in repo.root.rglob("*.md") if "site" not in p.parts and "docs" not in p.parts)
    for canary in CANARIES:
        assert canary in text


def test_a_hostile_note_name_is_text_everywhere(network):
    _, site, texts = network
    page = texts["journal/2026-11-16-b-bold-q/index.html"]
    assert "&lt;b&gt;bold &amp; &quot;q&quot;" in page or "&lt;b&gt;bold &amp; &#34;q&#34;" in page
    assert all("<b>bold" not in text for text in texts.values())
