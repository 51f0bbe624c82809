"""The site, built for real: `mkdocs build` in a subprocess on networks written
here, asserting on the HTML produced (GitHub issue 2).

Builds are few: one rich network with the Material theme (shared by most
tests), the same network without its broken file under MkDocs' built-in theme
in strict mode, a small broken network in strict mode, and the shipped example.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from sitebuild import MKDOCS, build_site, site_text

pytestmark = pytest.mark.slow

CANARIES = (
    "CANARY-NAME-3f9e",
    "CANARY-COMPANY-22bd",
    "CANARY-NOTES-c0de",
    "CANARY-SECTION-b71c",
    "CANARY-SUBSECTION-4e2d",
    "CANARY-LOG-91aa",
    "CANARY-TASK-5e5e",
    "CANARY-MENTION-LABEL-77aa",
)

RICH = {
    "people/ada-lovelace.md": """\
        ---
        name: Ada Lovelace
        aka: [Ada King]
        company: Analytical Engines
        title: Mathematician
        location: London
        emails: [ada@example.org]
        tags: [math, poetry]
        circle: close
        cadence: 2m
        met:
          date: 2024-03-14
          where: PyCon US, Pittsburgh
          via: charles-babbage
        interests: [horse racing]
        ---

        Ada cares about [[charles-babbage|her friend Charles]] and [[mary-somerville]].
        She once met [[quiet-one|CANARY-MENTION-LABEL-77aa]].

        ## Private

        CANARY-SECTION-b71c she told me in confidence.

        ### Sub detail

        CANARY-SUBSECTION-4e2d still private.

        ## Log

        - 2026-11-02 coffee: she needs an illustrator; thought of [[mary-somerville]]
        - 2026-10-01 shared: sent the article on difference engines
        - 2026-09-20 call: talked about [[quiet-one]]
        - [ ] 2026-12-01 send the publisher contact
        - [x] 2026-10-05 thank-you note

        ### Private

        - 2026-09-30 call: CANARY-LOG-91aa about her health
        - [ ] 2026-12-24 CANARY-TASK-5e5e buy the present
        """,
    "people/charles-babbage.md": """\
        ---
        name: Charles Babbage
        company: Difference Engines Ltd
        ---

        Met at the Royal Society. Links are written `[[mary-somerville]]`.

        ````text
        ```
        [[ada-lovelace]] inside a longer fence
        ```
        ````
        """,
    "people/family/mary-somerville.md": """\
        ---
        name: Mary Somerville
        ---
        """,
    "people/evil.md": """\
        ---
        name: "Eve <script>alert(1)</script>"
        company: "<b>x</b>"
        title: "\\" onmouseover=\\"alert(2)"
        ---

        Knows [[ada-lovelace]].
        """,
    "people/quiet-one.md": """\
        ---
        name: CANARY-NAME-3f9e Quiet
        private: true
        company: CANARY-COMPANY-22bd
        ---

        CANARY-NOTES-c0de secret notes about [[ada-lovelace]].
        """,
}

BROKEN = {"people/broken.md": "---\nname: Broken\ntags: [a, b\ncircle: close\n---\n"}


def write_people(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """The rich network with one broken file, built once with Material."""
    root = tmp_path_factory.mktemp("rich")
    write_people(root, {**RICH, **BROKEN})
    result, site = build_site(root)
    assert result.returncode == 0, result.stderr
    return result, site, site_text(site)


@pytest.fixture(scope="module")
def plain_theme(tmp_path_factory):
    """The rich network without the broken file, MkDocs' own theme, --strict."""
    root = tmp_path_factory.mktemp("plain")
    write_people(root, RICH)
    result, site = build_site(root, theme=MKDOCS, strict=True)
    return result, site, site_text(site)


def page(site: Path, slug: str) -> str:
    return (site / "people" / slug / "index.html").read_text(encoding="utf-8")


def main_content(html: str) -> str:
    """The article of a Material page (without nav, header and footer)."""
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


# -- person pages ------------------------------------------------------------------


def test_person_page_has_name_card_and_timeline(rich):
    _, site, _ = rich
    html = main_content(page(site, "ada-lovelace"))
    assert "<h1>Ada Lovelace</h1>" in html
    # the company links to its organisation page
    assert re.search(r"Mathematician at <a href=\"[^\"]*organisations/analytical-engines/\"[^>]*>Analytical Engines</a>", html)
    for fact in (
        "Ada King",
        "London",
        "every 2 months",
        "mailto:ada@example.org",
        "2024-03-14",
        "PyCon US, Pittsburgh",
        "horse racing",
    ):
        assert fact in html, fact
    # open tasks under their own heading, then the log newest first, then done tasks
    tasks = html[html.index("<h2>Open tasks</h2>") : html.index("<h2>Log</h2>")]
    assert "send the publisher contact" in tasks and "she needs an illustrator" not in tasks
    log = html[html.index("<h2>Log</h2>") :]
    assert log.index("she needs an illustrator") < log.index("sent the article")
    assert log.index("sent the article") < log.index("<h3>Done</h3>") < log.index("thank-you note")
    assert 'kith-kind-coffee">coffee<' in log
    # the file to edit (no edit link: this mkdocs.yml has no repo_url)
    assert "<code>people/ada-lovelace.md</code>" in html and "kith-edit" not in html
    # the notes, rendered by MkDocs
    assert "Ada cares about" in html


def test_page_in_a_subfolder_is_at_its_slug(rich):
    _, site, _ = rich
    assert "Mary Somerville" in page(site, "mary-somerville")
    assert not (site / "people" / "family").exists()


def test_mentions_become_links_to_person_pages(rich):
    _, site, _ = rich
    html = main_content(page(site, "ada-lovelace"))
    assert '<a href="../charles-babbage/">her friend Charles</a>' in html  # [[slug|label]] in notes
    assert '<a href="../mary-somerville/">Mary Somerville</a>' in html  # [[slug]] in notes
    assert '<a href="../mary-somerville/" class="kith-mention">Mary Somerville</a>' in html  # in the log
    assert '<a href="../charles-babbage/">Charles Babbage</a>' in html  # met.via
    assert "[[" not in html
    # every link resolves to a built page
    for href in re.findall(r'href="\.\./([a-z-]+)/"', html):
        assert (site / "people" / href / "index.html").is_file(), href


def test_mentions_in_code_stay_code(rich):
    _, site, _ = rich
    html = main_content(page(site, "charles-babbage"))
    assert "<code>[[mary-somerville]]</code>" in html
    assert "[[ada-lovelace]] inside a longer fence" in html
    assert "ada-lovelace.md" not in html


def test_person_pages_are_not_in_the_navigation_but_reached_from_the_people_index(rich):
    _, site, _ = rich
    home = (site / "index.html").read_text(encoding="utf-8")
    start = home.index('class="md-nav md-nav--primary"')
    nav = home[start : home.index("md-sidebar--secondary", start)]
    assert 'href="people/"' in nav
    assert "ada-lovelace" not in nav and "Ada Lovelace" not in nav
    index = (site / "people" / "index.html").read_text(encoding="utf-8")
    for slug, name in (
        ("ada-lovelace", "Ada Lovelace"),
        ("charles-babbage", "Charles Babbage"),
        ("mary-somerville", "Mary Somerville"),
    ):
        assert f'<a href="{slug}/">{name}</a>' in index


def test_home_page_exists(rich):
    _, site, _ = rich
    home = main_content((site / "index.html").read_text(encoding="utf-8"))
    assert "<h1>Today</h1>" in home and '<time datetime="2026-11-22">Sunday 22 November 2026</time>' in home
    assert "she needs an illustrator" in home  # recent contact


# -- escaping --------------------------------------------------------------------------


def test_html_in_names_and_fields_is_escaped_everywhere(rich):
    _, site, texts = rich
    for rel, text in texts.items():
        assert "<script>alert" not in text, rel
        assert "<b>x</b>" not in text, rel
        assert '" onmouseover="alert(2)' not in text, rel
    html = page(site, "evil")
    assert "<title>Eve &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in main_content(html)
    index = (site / "people" / "index.html").read_text(encoding="utf-8")
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in index


# -- privacy -----------------------------------------------------------------------------


def test_private_people_and_sections_reach_nothing_under_site(rich):
    _, site, texts = rich
    assert texts, "the site is empty"
    for rel, text in texts.items():
        for canary in CANARIES:
            assert canary not in text, f"{canary} leaked into site/{rel}"
    for path in site.rglob("*"):  # binary files and file names too
        assert "quiet-one" not in path.name
        if path.is_file():
            data = path.read_bytes()
            assert not any(c.encode() in data for c in CANARIES), path
    assert not (site / "people" / "quiet-one").exists()


def test_a_mention_of_a_private_person_shows_no_link_and_no_label(rich):
    _, site, _ = rich
    html = main_content(page(site, "ada-lovelace"))
    assert "quiet-one" not in html
    assert "kith-private" in html
    assert "talked about" in html  # the public log entry itself stays


def test_private_log_entries_and_tasks_are_not_shown(rich):
    _, site, _ = rich
    html = main_content(page(site, "ada-lovelace"))
    assert "about her health" not in html and "buy the present" not in html
    assert "told me in confidence" not in html


# -- broken files ------------------------------------------------------------------------------


def test_a_broken_file_warns_with_file_and_line_and_the_rest_builds(rich):
    result, site, _ = rich
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1
    assert "people/broken.md:4: error: " in warnings[0] and "[yaml-syntax]" in warnings[0]
    assert "Traceback" not in result.stderr + result.stdout
    for slug in ("ada-lovelace", "charles-babbage", "mary-somerville", "evil"):
        assert (site / "people" / slug / "index.html").is_file(), slug


def test_a_broken_file_has_a_page_with_its_error_and_stays_listed_marked(rich):
    _, site, _ = rich
    html = main_content(page(site, "broken"))
    assert "<h1>Broken</h1>" in html  # the name, read from the lines before the error
    assert "This file has an error" in html
    assert "<code>people/broken.md</code>, line 4" in html and "[yaml-syntax]" in html
    assert "a quote, bracket, comma or colon" in html  # how to fix it
    index = main_content((site / "people" / "index.html").read_text(encoding="utf-8"))
    assert re.search(r'<a href="broken/">Broken</a> <span class="kith-badge kith-error"', index)
    home = main_content((site / "index.html").read_text(encoding="utf-8"))
    assert "1 file with errors" in home and 'href="people/broken/"' in home


def test_strict_build_fails_on_a_broken_file_and_hostile_yaml_never_runs(tmp_path):
    canary = tmp_path / "pwned"
    root = tmp_path / "repo"
    write_people(
        root,
        {
            "people/ada.md": "---\nname: Ada\n---\n",
            "people/evil.md": f'---\nname: !!python/object/apply:os.system ["touch {canary}"]\n---\n',
            **BROKEN,
        },
    )
    result, site = build_site(root, strict=True)
    assert result.returncode != 0
    assert "people/broken.md:4: error: " in result.stderr
    assert "people/evil.md:2: error: " in result.stderr and "[yaml-tag]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not canary.exists()
    # The page says what is wrong, and nothing the file says: not the command.
    evil = (site / "people" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "[yaml-tag]" in evil and "touch" not in evil and "os.system" not in evil


# -- search and offline -------------------------------------------------------------------------


def test_search_index_finds_people_by_name(rich):
    _, site, _ = rich
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    assert {"Ada Lovelace", "Charles Babbage", "Mary Somerville"} <= titles
    ada = [doc for doc in index["docs"] if doc["location"] == "people/ada-lovelace/"]
    assert ada and "Analytical Engines" in ada[0]["text"]


TAG = re.compile(r"<(?:link|script)\b[^>]*>", re.I)
URL = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _external_assets(texts: dict[str, str]) -> list[str]:
    found = []
    for rel, text in texts.items():
        if rel.endswith(".html"):
            found += [f"{rel}: {tag}" for tag in TAG.findall(text) if URL.search(tag)]
    return found


def test_no_cdn_or_font_service_in_any_page(rich):
    _, _, texts = rich
    assert _external_assets(texts) == []
    assert not any("fonts.googleapis" in text for rel, text in texts.items() if rel.endswith(".html"))


# -- MkDocs' built-in theme ------------------------------------------------------------------------


def test_builds_with_the_builtin_mkdocs_theme(plain_theme):
    result, site, texts = plain_theme
    assert result.returncode == 0, result.stderr
    html = page(site, "ada-lovelace")
    assert "<h1>Ada Lovelace</h1>" in html
    assert 'href="../mary-somerville/"' in html
    assert "she needs an illustrator" in html
    assert (site / "people" / "index.html").is_file() and (site / "index.html").is_file()
    for rel, text in texts.items():
        for canary in CANARIES:
            assert canary not in text, f"{canary} leaked into site/{rel}"
        if rel.endswith(".html"):
            assert "<script>alert" not in text, rel
    # MkDocs' own search index holds plain text (entities decoded), and its
    # search script escapes that text before showing it; Material's index holds
    # HTML, which stays escaped (see test_html_in_names_and_fields_is_escaped_everywhere).
    assert "escapeHtml(summary)" in texts["search/main.js"]
    assert _external_assets(texts) == []
    nav = (site / "index.html").read_text(encoding="utf-8")
    nav = nav[nav.index('<ul class="nav navbar-nav') : nav.index("</ul>", nav.index('<ul class="nav navbar-nav'))]
    assert "ada-lovelace" not in nav


# -- the shipped example -------------------------------------------------------------------------


def test_example_network_validates_and_builds_strict(example_repo, kith):
    result = kith(example_repo, "validate", "--format", "json")
    assert "Traceback" not in result.output
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert result.exit_code == 0
    people = sorted(p.stem for p in (example_repo.root / "people").rglob("*.md") if not p.name.startswith(("_", ".")))
    assert people, "the example network has no people"

    build, site = build_site(example_repo.root, strict=True, keep_config=True)
    assert build.returncode == 0, build.stderr
    assert (site / "index.html").is_file() and (site / "people" / "index.html").is_file()
    built = {p.parent.name for p in (site / "people").glob("*/index.html")}
    private = {
        p.stem
        for p in (example_repo.root / "people").rglob("*.md")
        if re.search(r"^private:\s*true\s*$", p.read_text(encoding="utf-8"), re.M)
    }
    assert built == set(people) - private


def _nav_titles(html: str) -> list[str]:
    import re

    nav = html[html.index('md-nav--primary'):html.index('md-content')]
    return [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)]


def test_without_a_nav_the_generated_pages_lead_a_flat_navigation(repo):
    repo.person("ada", "name: Ada Lovelace\ncompany: Analytical Engines\ntags: [poetry]\nmet: {event: PyCon}")
    repo.write("docs/about.md", "# About\n\nMy notes on this site.\n")
    repo.write("docs/guide/tips.md", "# Tips\n")
    result, site = build_site(repo.root, strict=True)
    assert result.returncode == 0, result.stderr
    titles = _nav_titles((site / "people" / "ada" / "index.html").read_text(encoding="utf-8"))
    ours = ["Today", "Follow-ups", "People", "Network", "Introductions", "Organisations", "Events", "Places met", "Tags"]
    assert titles[: len(ours)] == ours  # no section per folder holding one page
    assert "About" in titles[len(ours):] and "Tips" in titles[len(ours):]
    assert "Ada Lovelace" not in titles


def test_a_nav_written_in_mkdocs_yml_is_left_as_written(repo):
    repo.person("ada", "name: Ada Lovelace")
    repo.write("docs/about.md", "# About\n")
    result, site = build_site(repo.root, extra="nav:\n  - About: about.md\n  - Everyone: people/index.md\n")
    assert result.returncode == 0, result.stderr
    titles = _nav_titles((site / "about" / "index.html").read_text(encoding="utf-8"))
    assert titles == ["About", "Everyone"]
