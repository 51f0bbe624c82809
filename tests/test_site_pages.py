"""The site's pages as a user meets them (GitHub issue 15), each from a real
`mkdocs build`: a theme's override of kith's templates, names in Unicode
order, the file to edit, and files with errors, which get a page saying
what is wrong and, failing closed, nothing that could be private."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from conftest import Repo
from sitebuild import build_site, site_text, write_config

pytestmark = pytest.mark.slow


def main_content(html: str) -> str:
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


def read(site, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# -- a theme overrides kith's templates --------------------------------------------


PERSON_OVERRIDE = """\
{#- A theme's own person page: a different card, the log first, one section. -#}
<div class="my-person"><h1>{{ person.name }}</h1><p class="my-role">{{ person.title }}</p></div>
{{ timeline }}
{{ notes }}
{{ more }}
{% if sections_by_name.relationships.body %}<aside class="my-relations">{{ sections_by_name.relationships.body }}</aside>{% endif %}
"""


def test_a_theme_override_of_the_person_template_changes_person_pages(repo: Repo):
    repo.person("ada", "name: Ada <Lovelace>\ntitle: Mathematician\nrelationships:\n  - {with: bob, type: friend}", "Notes of Ada.\n\n## Log\n\n- 2026-11-01 call: about engines\n")
    repo.person("bob", "name: Bob", "")
    repo.write("overrides/kith/person.html", PERSON_OVERRIDE)
    result, site = build_site(repo.root, strict=True, extra="", env=None, theme="material")
    assert result.returncode == 0, result.stderr
    # Without custom_dir, kith's own card.
    assert 'class="kith-card"' in read(site, "people/ada/index.html")
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    (repo.root / "mkdocs.yml").write_text(
        config.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"), encoding="utf-8"
    )
    result, site = build_site(repo.root, strict=True, keep_config=True)
    assert result.returncode == 0, result.stderr
    html = main_content(read(site, "people/ada/index.html"))
    assert '<div class="my-person"><h1>Ada &lt;Lovelace&gt;</h1><p class="my-role">Mathematician</p></div>' in html
    assert 'class="kith-card"' not in html and "Mentioned by" not in html
    # The log first, then the notes (MkDocs' HTML where the template put them), then the one section.
    assert html.index("about engines") < html.index("Notes of Ada.") < html.index('class="my-relations"')
    assert '<a href="../bob/">Bob</a>' in html[html.index('class="my-relations"') :]
    # Other pages keep kith's templates.
    assert "<h1>Today</h1>" in read(site, "index.html")


def test_a_template_error_in_an_override_fails_the_build_with_its_name(repo: Repo):
    repo.person("ada", "name: Ada")
    repo.write("overrides/kith/home.html", "<h1>Today</h1>\n{% if %}\n")
    write_config(repo.root, extra="")
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    (repo.root / "mkdocs.yml").write_text(config.replace("name: material\n", "name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    result, _ = build_site(repo.root, keep_config=True)
    assert result.returncode != 0
    assert "kith: template" in result.stderr and "home.html:2" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_override_is_never_given_what_is_private(repo: Repo):
    """A theme's card that loops over the person's log would publish the
    entries marked private if it were given the Person: it is given only
    what the card shows, so such an override fails the build and says what it asked for."""
    repo.person(
        "ada",
        "name: Ada",
        "## Log\n\n- 2026-11-01 call: public words\n\n## Private\n\n- 2026-11-02 call: CANARY-PRIVATE-LOG\n",
    )
    repo.write("overrides/kith/card.html", "<h1>{{ person.name }}</h1>{% for entry in person.log %}{{ entry }}{% endfor %}")
    write_config(repo.root, extra="")
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    (repo.root / "mkdocs.yml").write_text(config.replace("name: material\n", "name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    result, site = build_site(repo.root, keep_config=True)
    assert result.returncode != 0
    assert "kith: template" in result.stderr and "no attribute 'log'" in result.stderr and "Traceback" not in result.stderr
    assert not site.exists() or "CANARY-PRIVATE-LOG" not in site_text(site)


def test_a_name_holding_kiths_page_markers_stays_in_its_place(repo: Repo):
    repo.person("ada", 'name: "Ada \\0kith-notes\\0 <!--kith:notes--> <!--kith:more-->"', "Notes of Ada.\n")
    result, site = build_site(repo.root, strict=True)
    assert result.returncode == 0, result.stderr
    html = main_content(read(site, "people/ada/index.html"))
    assert "&lt;!--kith:notes--&gt; &lt;!--kith:more--&gt;</h1>" in html
    assert html.index("</h1>") < html.index("Notes of Ada.")


# -- names in Unicode order ------------------------------------------------------------


def test_people_are_sorted_by_the_unicode_collation_algorithm(repo: Repo):
    for slug, name in {
        "zoe": "Zoë Whitfield",
        "lukasz": "Łukasz Nowak",
        "emile": "Émile Zola",
        "ada": "Ada Lovelace",
        "eve": "eve adams",
        "lena": "Lena Hoffmann",
        "ming": "李小龍",
    }.items():
        repo.person(slug, f"name: {name}\ncompany: {'Ørsted' if slug in ('ada', 'zoe') else 'Acme'}")
    result, site = build_site(repo.root, strict=True)
    assert result.returncode == 0, result.stderr
    index = main_content(read(site, "people/index.html"))
    letters = re.findall(r'<h2 id="letter-([^"]+)"', index)
    assert letters == ["A", "E", "L", "Z", "#"]  # Łukasz under L, Émile under E, others last
    names = re.findall(r'<li><a href="[^"]+/">([^<]+)</a>', index)
    assert names == ["Ada Lovelace", "Émile Zola", "eve adams", "Lena Hoffmann", "Łukasz Nowak", "Zoë Whitfield", "李小龍"]
    # Organisations too: Acme before Ørsted (not after Z as byte order has it).
    orgs = re.findall(r'<li><a href="[^"]+/">([^<]+)</a>', main_content(read(site, "organisations/index.html")))
    assert orgs == ["Acme", "Ørsted"]


# -- the file to edit ------------------------------------------------------------------


def test_person_pages_name_their_file_and_link_to_edit_it(repo: Repo):
    repo.person("ada", "name: Ada Lovelace", folder="family")
    repo.person("bob", "name: Bob", folder="old friends #2")
    result, site = build_site(
        repo.root,
        strict=True,
        extra="repo_url: https://git.example.org/me/network\nedit_uri: edit/main/docs/\n",
    )
    assert result.returncode == 0, result.stderr
    html = main_content(read(site, "people/ada/index.html"))
    assert "<code>people/family/ada.md</code>" in html
    assert '<a href="https://git.example.org/me/network/edit/main/people/family/ada.md" class="kith-edit"' in html
    # A folder's space and `#` are quoted in the link, not taken for its end or its anchor.
    bob = main_content(read(site, "people/bob/index.html"))
    assert 'href="https://git.example.org/me/network/edit/main/people/old%20friends%20%232/bob.md"' in bob


# -- files with errors --------------------------------------------------------------------


CANARIES = {
    "fm-after-error": "CANARY-FM-AFTER-3b1d",
    "notes": "CANARY-NOTES-77e0",
    "log": "CANARY-LOG-1c9a",
    "private-section": "CANARY-PRIVATE-SECTION-5d2f",
    "private-name": "CANARY-PRIVATE-NAME-a4e8",
    "private-notes": "CANARY-PRIVATE-NOTES-0f3c",
    "doubtful-name": "CANARY-DOUBTFUL-NAME-9e21",
    "lookalike-name": "CANARY-LOOKALIKE-NAME-6b7e",
    "escaped-name": "CANARY-ESCAPED-NAME-2a5f",
    "tag": "CANARY-TAG-8d4c",
    "unclosed": "CANARY-UNCLOSED-4f0b",
}

BROKEN = {
    # Public for certain (no privacy flag anywhere): a page with the name
    # from the lines before the error, and nothing else from the file.
    "people/typo.md": f"""\
        ---
        name: Tess Typo
        tags: [a, b
        title: {CANARIES['fm-after-error']}
        ---

        {CANARIES['notes']} in the notes.

        ## Private

        {CANARIES['private-section']} told in confidence.

        ## Log

        - 2026-11-01 call: {CANARIES['log']}
        """,
    # Private, with a typo: no page at all, in no list.
    "people/hidden.md": f"""\
        ---
        name: {CANARIES['private-name']}
        private: true
        tags: [a, b
        ---

        {CANARIES['private-notes']}
        """,
    # A doubtful flag (another spelling), a lookalike key, an escape that
    # could spell `private`: each could be private, so no page either.
    "people/doubtful.md": f"---\nname: {CANARIES['doubtful-name']}\nPrivate: yes\ntags: [a\n---\n",
    "people/lookalike.md": f"---\nname: {CANARIES['lookalike-name']}\nprivte: true\ntags: [a\n---\n",
    "people/escaped.md": f'---\nname: {CANARIES["escaped-name"]}\n"\\x70rivate": true\ntags: [a\n---\n',
    # A YAML tag that names a canary: the message must not quote it.
    "people/tagged.md": f"---\nname: !{CANARIES['tag']} x\n---\n",
    # Front matter never closed: no page can tell what is front matter.
    "people/unclosed.md": f"---\nname: {CANARIES['unclosed']}\nprivate: true\n",
}


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    repo = Repo(tmp_path_factory.mktemp("broken") / "repo")
    repo.person("ada", "name: Ada Lovelace\ncircle: close\ncadence: 1m", "## Log\n\n- 2026-09-01 call: hello\n")
    for rel, text in BROKEN.items():
        repo.write(rel, textwrap.dedent(text))
    result, site = build_site(repo.root)
    assert result.returncode == 0, result.stderr
    strict, _ = build_site(repo.root, strict=True)
    return repo, result, site, strict


def test_a_broken_file_has_a_page_with_the_error_and_the_name_only(broken_site):
    _, _, site, _ = broken_site
    html = main_content(read(site, "people/typo/index.html"))
    assert "<h1>Tess Typo</h1>" in html
    assert "<code>people/typo.md</code>, line 4" in html and "[yaml-syntax]" in html
    assert "Open the file at that line" in html
    assert 'tags: [a' not in html  # nothing of the front matter but the name
    tagged = main_content(read(site, "people/tagged/index.html"))
    assert "[yaml-tag]" in tagged and "<h1>people/tagged.md</h1>" in tagged


def test_a_file_that_may_be_private_gets_no_page_and_is_only_counted(broken_site):
    _, _, site, _ = broken_site
    for slug in ("hidden", "doubtful", "lookalike", "escaped", "unclosed"):
        assert not (site / "people" / slug).exists(), slug
    home = main_content(read(site, "index.html"))
    assert "5 more files that may be private, so not named here" in home
    assert 'href="people/typo/"' in home and 'href="people/tagged/"' in home


def test_broken_files_leak_nothing_that_may_be_private(broken_site):
    _, _, site, _ = broken_site
    texts = site_text(site)
    for rel, text in texts.items():
        for what, canary in CANARIES.items():
            assert canary not in text, f"{what} ({canary}) leaked into site/{rel}"
    for path in site.rglob("*"):
        assert not any(slug in path.name for slug in ("hidden", "doubtful", "lookalike", "escaped", "unclosed"))
    index = json.loads(read(site, "search/search_index.json"))
    assert not [d for d in index["docs"] if "typo" in d["location"]]  # the error page is not searchable


def test_a_broken_file_still_fails_a_strict_build(broken_site):
    _, result, _, strict = broken_site
    assert strict.returncode != 0
    assert "people/typo.md:4: error:" in result.stderr and "Traceback" not in result.stderr


def test_kith_render_writes_the_same_broken_page_and_leaks_nothing(broken_site, kith, tmp_path):
    repo, _, _, _ = broken_site
    out = tmp_path / "out"
    result = kith(repo, "render", "--out", str(out), "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Tess Typo" in (out / "people" / "typo.md").read_text(encoding="utf-8")
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_text(encoding="utf-8", errors="replace")
            for what, canary in CANARIES.items():
                assert canary not in data, f"{what} leaked into {path}"


# -- files with errors between the rebuilds of mkdocs serve ---------------------------------


def test_an_edited_broken_file_renders_again_and_a_fixed_one_becomes_the_person(repo: Repo):
    import datetime as dt

    from kith.config import Settings
    from kith.load import FileCache, load_network
    from kith.render.incremental import IncrementalSite

    repo.person("ada", "name: Ada Lovelace")
    path = repo.write("people/tess.md", "---\nname: Tess\ntags: [a\n---\n")
    cache, site = FileCache(), IncrementalSite()

    def rebuild() -> str:
        site.update(load_network(repo.root, cache=cache), Settings(), dt.date(2026, 11, 22))
        return site.page_html("people/tess.md")

    def line_of(html: str) -> int:
        return int(re.search(r"</code>, line (\d+)", html).group(1))

    first = line_of(rebuild())
    path.write_text("---\nname: Tess\ncircle: close\ntags: [a\n---\n", encoding="utf-8")
    assert line_of(rebuild()) == first + 1 and site.last.full
    path.write_text("---\nname: Tess\ncircle: close\ntags: [a]\n---\n", encoding="utf-8")
    fixed = rebuild()
    assert 'class="kith-card" data-slug="tess"' in fixed and "kith-problems" not in fixed
