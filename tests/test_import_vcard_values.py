"""`kith import vcard` reads every value whole, in every vCard version, and
reports by name and line whatever it does not import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kith.load import load_network
from kith.slug import MAX_SLUG
from kith.validate import check

SAMPLES = Path(__file__).parent / "samples" / "vcf"


def card(version: str, *lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:" + version + "\r\n" + "".join(f"{x}\r\n" for x in lines) + "END:VCARD\r\n"


def network_of(repo):
    network = load_network(repo.root)
    assert [f.format() for f in check(network) if f.severity == "error"] == []
    return network


def qp(text: str) -> str:
    """Quoted-printable as phones write it: line breaks as =0D=0A, soft
    breaks (`=` at the end of a line) every 60 characters or so."""
    encoded = "".join(
        chr(b) if 33 <= b <= 126 and b != ord("=") or b == 32 else f"={b:02X}"
        for b in text.replace("\n", "\r\n").encode("utf-8")
    )
    lines, start = [], 0
    while start < len(encoded):
        end = min(start + 60, len(encoded))
        while 0 < end - start and "=" in encoded[max(start, end - 2) : end]:
            end -= 1  # never split an =XX
        lines.append(encoded[start:end])
        start = end
    return "=\r\n".join(lines)


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_commas_never_cut_a_text_value(repo, kith, version):
    # vCard 2.1 never escaped commas; 3.0 and 4.0 do, and writers often forget.
    escaped = version != "2.1"
    comma = "\\," if escaped else ","
    repo.write(
        "c.vcf",
        card(
            version,
            f"FN:Doe{comma} John",
            "N:Doe;John;;;",
            f"TITLE:Director{comma} Research",
            "ORG:Analytical Engines, Ltd;Research, Development",
            "NOTE:Met at PyCon, Berlin, 2024.",
            "EMAIL:john@example.org",
        ),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    john = network_of(repo).people["doe-john"]
    assert john.name == "Doe, John"
    assert john.title == "Director, Research"
    assert john.company == "Analytical Engines, Ltd"
    assert john.notes.strip() == "Met at PyCon, Berlin, 2024."
    assert "c.vcf:6: warning: ORG `Analytical Engines, Ltd; Research, Development` not imported: only" in result.output


def test_quoted_printable_21_values_are_whole_and_keep_their_line_breaks(repo, kith):
    note = "Met at PyCon, Berlin, 2024.\nShe builds looms, engines, and poems; ask about Babbage."
    repo.write(
        "c.vcf",
        card(
            "2.1",
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("Zoë, Countess of Lovelace"),
            "TITLE;QUOTED-PRINTABLE:" + qp("Directrice, Recherche"),
            "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("\n".join([note] * 3)),
        ),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    zoe = network_of(repo).people["zoe-countess-of-lovelace"]
    assert zoe.name == "Zoë, Countess of Lovelace"
    assert zoe.title == "Directrice, Recherche"
    assert zoe.notes.strip() == "\n".join([note] * 3)


def test_outlooks_long_note_is_read_to_its_end(repo, kith):
    shutil.copy(SAMPLES / "cardme_ms_outlook_v21.vcf", repo.root / "o.vcf")
    kith(repo, "import", "vcard", "o.vcf")
    (john,) = network_of(repo).people.values()
    assert john.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS'' AND ANY EXPRESS OR IMPL")
    assert john.notes.rstrip().endswith("EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.")
    assert "IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES" in john.notes
    assert len(john.notes.strip()) > 700


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_nicknames_are_a_list_and_an_escaped_comma_is_part_of_one(repo, kith, version):
    repo.write(
        "c.vcf",
        card(version, "FN:Margaret Hamilton", "NICKNAME:Mum,Maggie", "NICKNAME:Hamilton\\, M.", "CATEGORIES:nasa,apollo\\, software"),
    )
    kith(repo, "import", "vcard", "c.vcf")
    maggie = network_of(repo).people["margaret-hamilton"]
    assert maggie.aka == ["Mum", "Maggie", "Hamilton, M."]
    assert maggie.tags == ["nasa", "apollo, software"]


def test_a_line_break_escaped_or_quoted_printable_stays_a_line_break(repo, kith):
    repo.write(
        "c.vcf",
        card("3.0", "FN:Ada", "NOTE:first line\\nsecond\\, with a comma\\n\\nafter a blank line")
        + card("2.1", "FN:Bo", "NOTE;ENCODING=QUOTED-PRINTABLE:one=0D=0Atwo=0D=0A=0D=0Athree")
        + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cy\r\nNOTE:old Mac\rline ends\r\nEND:VCARD\r\n",
    )
    kith(repo, "import", "vcard", "c.vcf")
    people = network_of(repo).people
    assert people["ada"].notes.strip() == "first line\nsecond, with a comma\n\nafter a blank line"
    assert people["bo"].notes.strip() == "one\ntwo\n\nthree"
    assert people["cy"].notes.strip() == "old Mac\nline ends"


@pytest.mark.parametrize(
    "bday, expected",
    [
        ("BDAY:16040101", "--01-01"),  # CardBook: 1604 means no year, without Apple's parameter
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-07", "--03-07"),
        ("BDAY:1604-02-29", "--02-29"),
        ("BDAY:--0203", "--02-03"),
        ("BDAY:--02-03", "--02-03"),
        ("BDAY:19800322", "1980-03-22"),
        ("BDAY;VALUE=date:1980-05-21", "1980-05-21"),
        ("BDAY:1953-10-15T23:10:00Z", "1953-10-15"),
        ("BDAY:0000-07-04", "--07-04"),  # some phones' "no year"
    ],
)
def test_birthdays_with_and_without_a_year(repo, kith, bday, expected):
    repo.write("c.vcf", card("3.0", "FN:Ada Lovelace", bday))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    assert network_of(repo).people["ada-lovelace"].birthday.iso() == expected


@pytest.mark.parametrize(
    "lines, what",
    [
        (("KIND:org", "FN:ACME Inc."), "is an organisation (KIND:org), not a person"),
        (("FN:ACME Inc.", "ORG:ACME Inc.", "X-ABShowAs:COMPANY"), "is an organisation (X-ABShowAs:COMPANY), not a person"),
        (("KIND:group", "FN:Book club", "MEMBER:urn:uuid:1"), "is a group (KIND:group), not a person"),
        (("FN:Friends", "X-ADDRESSBOOKSERVER-KIND:group"), "is a group (X-ADDRESSBOOKSERVER-KIND:group), not a person"),
    ],
)
def test_organisation_and_group_cards_are_not_people(repo, kith, lines, what):
    version = "4.0" if lines[0].startswith("KIND") else "3.0"
    repo.write("c.vcf", card(version, *lines) + card("3.0", "FN:Ada Lovelace"))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    # Reported at the line that says what the card is.
    marker = next(i for i, x in enumerate(lines) if x.upper().startswith(("KIND", "X-AB", "X-ADDRESSBOOKSERVER")))
    assert f"c.vcf:{marker + 3}: warning: `" in result.output
    assert what in result.output
    assert "; skipped [not-a-person]" in result.output
    assert result.output.splitlines()[-1] == "created 1, updated 0, unchanged 0, skipped 1 (photos skipped: 0)"
    assert sorted(network_of(repo).people) == ["ada-lovelace"]


def test_a_person_at_an_organisation_is_still_a_person(repo, kith):
    repo.write("c.vcf", card("4.0", "KIND:individual", "FN:Ada Lovelace", "ORG:ACME Inc.") + card("3.0", "FN:Bo", "X-ABShowAs:PERSON"))
    kith(repo, "import", "vcard", "c.vcf")
    assert sorted(network_of(repo).people) == ["ada-lovelace", "bo"]


def test_every_problem_is_reported_at_its_propertys_own_line(repo, kith):
    repo.write(
        "c.vcf",
        card(
            "3.0",
            "FN:Ada Lovelace",  # 3
            "EMAIL:not an address",  # 4
            "TEL:call me maybe",  # 5
            "BDAY:sometime in spring",  # 6
            "TEL;TYPE=FAX:+44 20 7946 0001",  # 7
            "ANNIVERSARY:19960415",  # 8
            "item1.X-ABDATE:1930-03-20",  # 9
            "item1.X-ABLabel:_$!<Anniversary>!$_",  # 10
            "URL:ftp://example.org/files",  # 11
            "PRODID:-//Apple Inc.//Address Book 6.1//EN",  # 12: bookkeeping, not reported
        ),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("c.vcf:")]
    assert lines == [
        "c.vcf:4: warning: `not an address` is not an email address; left out [email-unread]",
        "c.vcf:5: warning: `call me maybe` is not a phone number; left out [phone-unread]",
        "c.vcf:6: warning: BDAY `sometime in spring` is not a date; left out [date-unread]",
        "c.vcf:7: warning: TEL `+44 20 7946 0001` not imported: a fax number is not a way to keep in touch [not-imported]",
        "c.vcf:8: warning: ANNIVERSARY `19960415` not imported: kith has no field for it [not-imported]",
        "c.vcf:9: warning: X-ABDATE (Anniversary) `1930-03-20` not imported: kith has no field for it [not-imported]",
        "c.vcf:11: warning: URL `ftp://example.org/files` not imported: only http(s) and mailto links are imported [not-imported]",
    ]


def test_a_300_character_name_imports_with_a_bounded_file_name(repo, kith):
    long_a = "Maria " + "Magdalena " * 29 + "Alpha"
    long_b = "Maria " + "Magdalena " * 29 + "Beta"
    assert len(long_a) > 290
    repo.write("c.vcf", card("3.0", f"FN:{long_a}") + card("3.0", f"FN:{long_b}") + card("3.0", "FN:Ada Lovelace"))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "created 3, updated 0, unchanged 0, skipped 0 (photos skipped: 0)"
    files = sorted(p.name for p in (repo.root / "people").iterdir())
    assert len(files) == 3 and "ada-lovelace.md" in files
    assert all(len(f) <= MAX_SLUG + 3 for f in files)
    people = network_of(repo).people
    assert sorted(p.name for p in people.values()) == sorted([long_a, long_b, "Ada Lovelace"])
    again = kith(repo, "import", "vcard", "c.vcf")
    assert again.output.splitlines()[-1] == "created 0, updated 0, unchanged 3, skipped 0 (photos skipped: 0)"


def test_links_keep_the_key_their_type_or_label_names(repo, kith):
    repo.write(
        "c.vcf",
        card(
            "3.0",
            "FN:Ada",
            "URL;TYPE=github:https://github.com/ada",
            "URL;TYPE=blog:https://ada.example.org",
            "URL;TYPE=WORK:https://www.linkedin.com/in/ada",
            "item1.URL:https\\://example.com/shop",
            "item1.X-ABLabel:My Shop",
            "item2.URL:https://example.net",
            "item2.X-ABLabel:_$!<HomePage>!$_",
            "X-SOCIALPROFILE;TYPE=twitter;x-user=ada:https://twitter.com/ada",
            "X-SOCIALPROFILE;TYPE=mastodon:x-apple:ada",
        ),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert "c.vcf:12: warning: X-SOCIALPROFILE `x-apple:ada` not imported" in result.output
    assert network_of(repo).people["ada"].links == {
        "github": "https://github.com/ada",
        "blog": "https://ada.example.org",
        "linkedin": "https://www.linkedin.com/in/ada",
        "My Shop": "https://example.com/shop",
        "web": "https://example.net",
        "twitter": "https://twitter.com/ada",
    }


def test_a_utf16_file_is_read_and_sniffed(repo, kith):
    text = card("3.0", "FN:Zoë Ångström", "NOTE:Grüße, und bis bald.")
    repo.write("u.vcf", text.encode("utf-16"))
    result = kith(repo, "import", "auto", "u.vcf")
    assert result.exit_code == 0, result.output
    zoe = network_of(repo).people["zoe-angstrom"]
    assert zoe.notes.strip() == "Grüße, und bis bald."


def test_a_card_named_only_by_n_keeps_an_escaped_comma_and_joins_a_list(repo, kith):
    repo.write(
        "c.vcf",
        card("3.0", "N:Doe;John;Richter\\, James;Mr.;Sr.") + card("4.0", "N:Stevenson;John;Philip,Paul;Dr.;Jr.,M.D."),
    )
    kith(repo, "import", "vcard", "c.vcf")
    names = sorted(p.name for p in network_of(repo).people.values())
    assert names == ["Dr. John Philip Paul Stevenson Jr. M.D.", "Mr. John Richter, James Doe Sr."]
