"""What imported contacts look like, on a real site and in `kith show`:
one page per organisation however it is spelled, long names within
file-system limits, phones in international format, a yearless birthday
as "3 December", and line breaks kept where notes are not wrapped prose."""

from __future__ import annotations

import re
import textwrap

import pytest

from click.testing import CliRunner

from kith.cli import main as kith_main
from kith.render.linebreaks import keep_line_breaks, wrapped
from kith.slug import MAX_SLUG
from sitebuild import build_site

pytestmark = pytest.mark.slow

LONG_A = "The International Society of " + "Very Long Names " * 18 + "Alpha"
LONG_B = "The International Society of " + "Very Long Names " * 18 + "Beta"

PEOPLE = {
    "ada": """\
        name: Ada Lovelace
        company: Stripe
        phones: ["+442079460000", "020 7946 0001"]
        birthday: --12-03
        """,
    "bo": "name: Bo Chen\ncompany: Stripe, Inc.\n",
    "cy": "name: Cy Diaz\ncompany: STRIPE INC\n",
    "di": "name: Di Evans\ncompany: Stripe\n",
    "ed": "name: Ed Ford\ncompany: \"Company, The\"\n",
    "flo": "name: Flo Grant\ncompany: The Company\n",
    "gus": f"""\
        name: Gus Hale
        company: "{LONG_A}"
        tags: ["{LONG_A}"]
        met: {{date: 2026-11-01, event: "{LONG_A}", where: "{LONG_B}"}}
        """,
    "hal": f"name: Hal Ito\ncompany: \"{LONG_B}\"\ntags: [\"{LONG_B}\"]\n",
    "jo": "name: Jo Kay\n",
}
NOTES = {
    # Shaped like MkDocs' own page meta-data (YAML), which must not swallow it.
    "jo": "---\nmood: CANARY-SHOWN-1\n---\n\nRest: CANARY-SHOWN-2\n",
    "ada": "PHP\nPerl\nPython\n\n"
    "Met her in the coffee queue on day two of Web Summit. She grew up in Dakar,\n"
    "studied engineering in Lyon and is building solar micro-grids for villages in\n"
    "Senegal that the national grid will not reach for twenty years.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("display")
    (root / "people").mkdir()
    for slug, front in PEOPLE.items():
        body = NOTES.get(slug, "")
        (root / "people" / f"{slug}.md").write_text(
            f"---\n{textwrap.dedent(front).strip()}\n---\n\n{body}", encoding="utf-8"
        )
    # One person comes in the way users bring them: a phone's vCard with a multi-line note.
    (root / "phone.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivy Jones\r\n"
        "NOTE:Kids: Tom\\, Anna\\nCall after 6pm\\n- allergic to nuts\\n## not a heading\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imported = CliRunner().invoke(kith_main, ["--root", str(root), "import", "vcard", str(root / "phone.vcf")])
    assert imported.exit_code == 0, imported.output
    result, site = build_site(root, kith_options={"default_region": "GB"})
    assert result.returncode == 0, result.stderr
    return root, site


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_one_organisation_page_for_every_spelling_under_the_most_common(built):
    _, site = built
    page = read(site, "organisations/stripe/index.html")
    assert "<h1>Stripe</h1>" in page
    for name in ("Ada Lovelace", "Bo Chen", "Cy Diaz", "Di Evans"):
        assert name in page
    assert not (site / "organisations" / "stripe-inc").exists()
    index = read(site, "organisations/index.html")
    assert index.count('href="stripe/"') == 1
    company = [p for p in (site / "organisations").iterdir() if p.is_dir() and "company" in p.name]
    assert len(company) == 1
    text = read(site, f"organisations/{company[0].name}/index.html")
    assert "Ed Ford" in text and "Flo Grant" in text
    # Bo's own page links to the one page, and shows Bo's own spelling.
    bo = read(site, "people/bo/index.html")
    assert re.search(r'<a href="../../organisations/stripe/"[^>]*>Stripe, Inc.</a>', bo)


def test_long_names_make_bounded_distinct_pages(built):
    _, site = built
    for folder in ("organisations", "tags", "events", "places"):
        names = [p.name for p in (site / folder).iterdir() if p.is_dir() and p.name.startswith("the-international")]
        assert names, folder
        assert all(len(n) <= MAX_SLUG for n in names), names
        assert all(re.search(r"-[0-9a-f]{8}$", n) for n in names), names
    orgs = [p for p in (site / "organisations").iterdir() if p.name.startswith("the-international")]
    assert len(orgs) == 2  # Alpha and Beta: two names, two pages
    pages = {p.name: read(site, f"organisations/{p.name}/index.html") for p in orgs}
    assert sorted("Gus Hale" in text for text in pages.values()) == [False, True]


def test_phones_in_international_format_and_a_yearless_birthday_in_words(built):
    _, site = built
    ada = read(site, "people/ada/index.html")
    assert '<a href="tel:+442079460000">+44 20 7946 0000</a>' in ada
    assert '<a href="tel:+442079460001">+44 20 7946 0001</a>' in ada  # read in GB
    assert '<time datetime="12-03">3 December</time>' in ada
    assert "--12-03" not in ada
    followups = read(site, "followups/index.html")
    row = next(r for r in re.findall(r"<tr [^>]*>.*?</tr>", followups, re.S) if 'data-slug="ada"' in r)
    assert '<td data-label="Detail">3 December</td>' in row


def test_line_breaks_are_kept_where_the_notes_are_lines_not_wrapped_prose(built):
    _, site = built
    ada = read(site, "people/ada/index.html")
    assert re.search(r"PHP<br\s*/?>\s*Perl<br\s*/?>\s*Python", ada)
    assert re.search(r"She grew up in Dakar,\s+studied engineering", ada)  # one paragraph


def test_an_imported_multi_line_note_keeps_its_lines_and_stays_text(built):
    _, site = built
    ivy = read(site, "people/ivy-jones/index.html")
    assert re.search(r"Kids: Tom, Anna<br\s*/?>\s*Call after 6pm<br\s*/?>\s*- allergic to nuts<br\s*/?>\s*## not a heading", ivy)
    assert "<li>allergic" not in ivy and "<h2>not a heading" not in ivy
    jo = read(site, "people/jo/index.html")
    assert "CANARY-SHOWN-1" in jo and "CANARY-SHOWN-2" in jo


def test_kith_show_prints_phones_and_birthday_as_a_person_reads_them(built, kith):
    root, _ = built
    result = kith(root, "show", "ada", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "+44 20 7946 0000, +44 20 7946 0001" in result.output
    assert re.search(r"Birthday\s+3 December", result.output)
    assert re.search(r"Next\s+birthday on 3 December \(in 11 days\)", result.output)
    data = kith(root, "show", "ada", "--format", "json").output
    assert '"Birthday": "--12-03"' in data  # scripts get what the file says


@pytest.mark.parametrize(
    "text, expected",
    [
        ("one\ntwo", "one  \ntwo"),
        ("- item\n  more", "- item  \n  more"),
        ("a\n\nb", "a\n\nb"),
        ("```\na\nb\n```", "```\na\nb\n```"),
        ("Title\n=====", "Title\n====="),
        ("# Head\ntext", "# Head\ntext"),
        ("a | b\n--|--\n1 | 2", "a | b\n--|--\n1 | 2"),
        ("line with a break  \nnext", "line with a break  \nnext"),
    ],
)
def test_keep_line_breaks(text, expected):
    assert keep_line_breaks(text) == expected


def test_wrapped_prose_is_told_from_lines():
    prose = [
        "Met her in the coffee queue on day two of Web Summit. She grew up in Dakar,",
        "studied engineering in Lyon and is building solar micro-grids for villages in",
        "Senegal that the national grid will not reach for twenty years.",
    ]
    assert wrapped(prose)
    assert not wrapped(["Phone: call after 6pm", "Kids: Tom, Anna", "Met at PyCon Berlin 2024 during the sprints, mentoring"])
    assert not wrapped(["PHP", "Perl", "Python"])
