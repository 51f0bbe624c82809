"""`kith import vcard`: the real vCard samples (2.1, 3.0, 4.0) and hostile files."""

from __future__ import annotations

import html

import base64
import shutil
import tracemalloc
from pathlib import Path

import pytest

from kith import grammar
from kith.importers import vcard
from kith.load import load_network
from kith.validate import check

SAMPLES = Path(__file__).parent / "samples" / "vcf"


def sample(repo, name: str) -> str:
    shutil.copy(SAMPLES / name, repo.root / name)
    return name


def network_of(repo):
    network = load_network(repo.root)
    assert [f.format() for f in check(network) if f.severity == "error"] == []
    return network


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.vcf")), ids=lambda p: p.name)
def test_every_sample_imports_into_valid_files_and_twice_changes_nothing(repo, kith, path):
    name = sample(repo, path.name)
    first = kith(repo, "import", "vcard", name)
    assert "Traceback" not in first.output
    created = int(first.output.splitlines()[-1].split()[1].rstrip(","))
    assert created >= 1
    network_of(repo)
    before = {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()}
    second = kith(repo, "import", "vcard", name)
    assert second.output.splitlines()[-1].startswith("created 0, updated 0,")
    assert {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()} == before


def test_android_21_quoted_printable_truncated_photo_and_a_bad_byte(repo, kith):
    name = sample(repo, "cardme_android_v21_qp_utf8.vcf")
    result = kith(repo, "import", "vcard", name)
    assert result.exit_code == 0, result.output
    # The sixth card's third ORG holds the byte 0x80, which is not UTF-8: that
    # value is reported at its own line; the card itself is imported.
    assert f"{name}:82: warning: ORG: it holds bytes that are not UTF-8; they are shown as � [vcard-encoding]" in result.output
    assert f"{name}:82: warning: ORG `" in result.output
    assert "not imported: kith keeps one company [not-imported]" in result.output
    assert f"{name}:42: warning: TEL `123456` not imported: a fax number" in result.output
    assert result.output.splitlines()[-1] == "created 6, updated 0, unchanged 0, skipped 0 (photos skipped: 1)"
    network = network_of(repo)
    # Cards with only an email are named by it.
    assert network.people["john-doe-company-com"].emails == ["john.doe@company.com"]
    # "My Contacts" is Android's group for everyone: not a tag.
    assert network.people["john-doe-company-com"].tags == []
    bob = next(p for p in network.people.values() if "bob@company.com" in p.emails)
    assert bob.name == "Ñ Ñ Ñ Ñ"
    assert bob.company == "ÑÑÑÑÑÑÑÑÑÑÑÑ"
    assert bob.links == {"web": "https://www.company.com"}
    henry = next(p for p in network.people.values() if "henry@company.com" in p.emails)
    assert henry.company == "Ñ" * 44
    assert henry.phones == ["55556666"]


def test_qp_value_on_an_indented_line_gives_a_clean_name(repo, kith):
    name = sample(repo, "gaia_v21_qp_utf8_folded_value.vcf")
    kith(repo, "import", "vcard", name)
    thomas = network_of(repo).people["thomas-rucker"]
    assert thomas.name == "Thomas Rücker"
    assert thomas.phones == ["+72682252873"]


def test_raw_newlines_are_reported_by_line_and_the_card_still_imports(repo, kith):
    name = sample(repo, "gaia_v30_grouped_raw_newline_label.vcf")
    result = kith(repo, "import", "vcard", name)
    assert result.exit_code == 0
    for line in (14, 15, 18, 19):
        assert f"{name}:{line}: warning: not a vCard property" in result.output
    assert "(photos skipped: 1)" in result.output
    forrest = network_of(repo).people["forrest-gump"]
    assert forrest.emails == ["forrestgump@example.com"]
    assert forrest.company == "Bubba Gump Shrimp Co."
    assert forrest.title == "Shrimp Man"
    # The fax number is not a way to keep in touch.
    assert forrest.phones == ["(111) 555-1212", "(404) 555-1212"]


def test_v40_yearless_birthday_org_note_and_categories(repo, kith):
    kith(repo, "import", "vcard", sample(repo, "icaljs_rfc6350_v40_all_properties.vcf"))
    doe = network_of(repo).people["j-doe"]
    assert doe.birthday.iso() == "--02-03"
    assert doe.company == "ABC, Inc."
    assert doe.notes.strip() == "This fax number is operational 0800 to 1715 EST, Mon-Fri"
    kith(repo, "import", "vcard", sample(repo, "icaljs_rfc2426_v30_examples.vcf"))
    public = network_of(repo).people["mr-john-q-public-esq"]
    assert public.tags == ["TRAVEL AGENT", "INTERNET", "IETF", "INDUSTRY", "INFORMATION TECHNOLOGY"]
    assert public.title == "Director, Research and Development"


def test_outlook_21_comma_in_org_and_qp_note_split_inside_crlf(repo, kith):
    kith(repo, "import", "vcard", sample(repo, "ezvcard_outlook2003_v21.vcf"))
    john = network_of(repo).people["john-doe-iii"]
    assert john.company == "Company, The"
    assert john.birthday.iso() == "1980-03-21"
    assert john.notes.strip() == "This is the note field!!\nSecond line\n\nThird line is empty"


def test_apple_birthday_without_a_year(repo, kith):
    repo.write(
        "apple.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n"
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-10\r\nEND:VCARD\r\n",
    )
    kith(repo, "import", "vcard", "apple.vcf")
    text = repo.read("people/ada-lovelace.md")
    assert "birthday: --12-10\n" in text
    assert network_of(repo).people["ada-lovelace"].birthday.year is None


def test_several_emails_phones_urls_and_folded_lines(repo, kith):
    kith(repo, "import", "vcard", sample(repo, "ezvcard_google_contacts_v30_labels.vcf"))
    person = network_of(repo).people["vcard-test"]
    assert len(person.emails) == 5
    assert len(person.phones) == 9
    assert person.links["web"] == "http://www.example1.com"
    assert len(person.links) == 6
    assert person.notes.strip() == "note line 1\nnote line 2\nCustomField: field value"
    kith(repo, "import", "vcard", sample(repo, "cardme_evolution_v30_folded.vcf"))
    evolution = network_of(repo).people["mr-john-richter-james-doe-sr"]
    assert evolution.emails == ["john.doe@ibm.com"]
    assert evolution.tags == ["VIP"]


def test_unclosed_card_and_text_that_is_not_a_vcard(repo, kith):
    repo.write(
        "cut.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\n",
    )
    result = kith(repo, "import", "vcard", "cut.vcf")
    assert "cut.vcf:5: error: this card has no END:VCARD; skipped [vcard-unclosed]" in result.output
    assert "created 1," in result.output
    repo.write("notes.vcf", "hello\n")
    result = kith(repo, "import", "vcard", "notes.vcf")
    assert result.exit_code == 1
    assert "notes.vcf:1: error: this is not a vCard file" in result.output


def test_ten_megabyte_photo_is_skipped_in_bounded_memory(repo, kith, tmp_path):
    photo = base64.b64encode(b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024)).decode()
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    unfolded_card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + photo + "\r\nEND:VCARD\r\n"
    folded_card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Folded Photo\r\nPHOTO;ENCODING=b:" + folded + "\r\nEMAIL:f@example.org\r\nEND:VCARD\r\n"
    path = tmp_path / "big.vcf"
    path.write_text(unfolded_card + folded_card, newline="")
    del photo, folded, unfolded_card, folded_card
    tracemalloc.start()
    try:
        parsed = vcard.parse(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024
    assert [c.name for c in parsed.cards] == ["Big Photo", "Folded Photo"]
    assert parsed.photos_skipped == 2
    result = kith(repo, "import", "vcard", str(path))
    assert result.output.splitlines()[-1] == "created 2, updated 0, unchanged 0, skipped 0 (photos skipped: 2)"


def test_formula_in_a_name_is_never_written(repo, kith):
    repo.write(
        "evil.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nFN:=cmd|' /C calc'!A0\nORG:@SUM(1+1)\nTITLE:+1+2\n"
        "NOTE:=HYPERLINK(\"http://x\")\\n- a list item stays\nEND:VCARD\n",
    )
    result = kith(repo, "import", "vcard", "evil.vcf")
    assert result.exit_code == 0, result.output
    person = network_of(repo).people["cmd-c-calc-a0"]
    assert person.name == "cmd|' /C calc'!A0"
    assert person.company == "SUM(1+1)"
    assert person.title == "1+2"
    # Notes are kept whole (a contact file is not a spreadsheet) and quoted:
    # they read as written but are never structure; an export defuses them.
    assert person.notes.strip() == "&#61;HYPERLINK(\"http://x\")\n\\- a list item stays"
    assert [grammar.shown_text(line) for line in person.notes.strip().splitlines()] == [
        '=HYPERLINK("http://x")',
        "- a list item stays",
    ]


def test_imported_text_never_becomes_structure(repo, kith, tmp_path):
    """A NOTE shaped like kith's own structure (a Log with an entry and a
    task, a Private section, a mention, a fence, a setext heading, a link)
    stays text: read back, the person has no log, no task, no mention, and
    the whole note is public text that says what the card said."""
    note = (
        "Met at PyCon\\n## Log\\n- 2026-01-01 coffee: injected\\n- [ ] 2026-01-02 injected task"
        "\\n## Private\\nshown\\n[[someone]] and [x](javascript:alert(1))\\n```\\nPrivate\\n===\\n"
        "    indented\\n1. one\\n> quote\\n{: onclick=alert(2) }"
    )
    card = tmp_path / "structure.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Struct\r\nNOTE:{note}\r\nEND:VCARD\r\n", encoding="utf-8")
    result = kith(repo, "import", "vcard", str(card))
    assert result.exit_code == 0, result.output
    person = network_of(repo).people["sam-struct"]
    assert person.log == [] and person.tasks == [] and person.mentions == []
    assert not person.withheld
    assert "injected" in person.notes and "shown" in person.notes
    validate = kith(repo, "validate")
    assert "sam-struct" not in validate.output
    import markdown

    shown = markdown.markdown(person.notes)
    for line in ("## Log", "- 2026-01-01 coffee: injected", "## Private", "[[someone]]", "Private"):
        assert html.escape(line, quote=False) in shown or line in shown, line
    assert "<h" not in shown and "<a" not in shown and "<li" not in shown and "<code" not in shown


def test_html_in_an_imported_note_shows_as_text_not_markup(repo, kith, tmp_path):
    card = tmp_path / "evil.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mallory Evil\r\nN:Evil;Mallory;;;\r\n"
        "NOTE:hello <script>alert(1)</script> & bye\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = kith(repo, "import", "vcard", str(card))
    assert result.exit_code == 0, result.output
    body = repo.read("people/mallory-evil.md")
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; bye" in body


def test_gmail_escaped_quotes_and_an_address_without_a_city(repo, kith):
    name = sample(repo, "cardme_gmail_v30_quote_escapes.vcf")
    result = kith(repo, "import", "vcard", name)
    assert f"{name}:10: warning: ADR `Crescent moon drive 555-asd Nice Area, Albaney" in result.output
    assert "not imported: it names no city or country [not-imported]" in result.output
    john = network_of(repo).people["mr-john-richter-james-doe-sr"]
    assert 'CONTRIBUTORS "AS IS" AND' in john.notes
    assert john.notes.rstrip().endswith("SUCH DAMAGE.\nFavotire Color: Blue")
    assert john.links == {"web": "http://www.ibm.com"}


def test_fullcontact_alternative_birthdays_many_values_and_encoded_names(repo, kith):
    name = sample(repo, "ezvcard_fullcontact_v40_many_values.vcf")
    result = kith(repo, "import", "vcard", name)
    assert "BDAY" not in result.output  # two ALTID forms of one day are one birthday
    assert f"{name}:37: warning: X-FC-RelatedNames:Mother `Mother` not imported" in result.output
    assert f"{name}:28: warning: TITLE `Title2` not imported: kith keeps one title" in result.output
    assert "(photos skipped: 3)" in result.output
    person = network_of(repo).people["prefix-firstname-middlename-lastname-suffix"]
    assert person.birthday.iso() == "2016-08-01"
    assert len(person.emails) == 5 and len(person.phones) == 7 and len(person.links) == 4
    assert person.notes.strip() == "Notes line 1\nNotes line 2"


def test_rfc6350_tel_uri_with_an_extension(repo, kith):
    name = sample(repo, "ezvcard_rfc6350_v40_tel_uri.vcf")
    result = kith(repo, "import", "vcard", name)
    assert "phone-unread" not in result.output
    simon = network_of(repo).people["simon-perreault"]
    assert simon.phones == ["+1-418-656-9254 ext 102", "+1-418-262-6501"]
    assert (simon.birthday.iso(), simon.location, simon.company) == ("--02-03", "Quebec", "Viagenie")
