"""`kith import google|outlook|auto`, and hostile CSV files."""

from __future__ import annotations

import shutil
from pathlib import Path

from kith.load import load_network
from kith.validate import check

SAMPLES = Path(__file__).parent / "samples" / "csv"


def sample(repo, name: str) -> str:
    shutil.copy(SAMPLES / name, repo.root / name)
    return name


def network_of(repo):
    network = load_network(repo.root)
    assert [f.format() for f in check(network) if f.severity == "error"] == []
    return network


def test_google_csv_labels_notes_and_an_organisation_row(repo, kith):
    name = sample(repo, "google_contacts_labels_de.csv")
    result = kith(repo, "import", "auto", name)
    assert result.exit_code == 0, result.output
    assert f"{name}:4: warning: this row names nobody (only an organisation: Stadtverwaltung Beispielstadt)" in result.output
    assert result.output.splitlines()[-1] == "created 2, updated 0, unchanged 0, skipped 1 (photos skipped: 0)"
    erika = network_of(repo).people["erika-beispiel"]
    assert erika.emails == ["erika.beispiel@example.org", "erika@home.example"]
    assert erika.phones == ["+49 170 1234567"]
    assert erika.company == "Muster GmbH"
    assert erika.location == "Berlin"
    assert erika.links == {"web": "https://example.org/erika"}
    assert erika.tags == ["Kunden"]  # `* myContacts` is Google's, not a tag
    assert erika.notes.strip() == 'Kennt sich aus, "sehr" hilfsbereit'


def test_google_current_layout_with_several_values_in_one_cell(repo, kith):
    repo.write(
        "google.csv",
        "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value\n"
        "Ada,,Lovelace,Countess,Analytical Engines,Mathematician,--12-10,,* starred ::: Poets,"
        "* Home ::: Work,ada@example.org ::: ADA@work.example,Mobile,+44 20 7946 0000,Profile,"
        "https://www.linkedin.com/in/ada\n",
    )
    result = kith(repo, "import", "google", "google.csv")
    assert result.exit_code == 0, result.output
    ada = network_of(repo).people["ada-lovelace"]
    assert ada.emails == ["ada@example.org", "ADA@work.example"]
    assert ada.aka == ["Countess"]
    assert ada.birthday.iso() == "--12-10"
    assert ada.tags == ["Poets"]
    assert ada.links == {"linkedin": "https://www.linkedin.com/in/ada"}


def test_gmail_legacy_layout(repo, kith):
    kith(repo, "import", "google", sample(repo, "gmail_legacy_export.csv"))
    john = network_of(repo).people["john-doe"]
    assert john.emails == ["john@example.com", "john.doe@example.com"]
    assert john.company == "Example, Corp."


def test_outlook_desktop_92_columns_multiline_notes(repo, kith):
    name = sample(repo, "outlook_desktop_export.csv")
    result = kith(repo, "import", "auto", name)
    assert result.exit_code == 0, result.output
    john = network_of(repo).people["john-smith"]
    assert john.emails == ["john@example.com"]
    assert john.company == "International Inc"
    assert john.birthday is None  # Outlook's 0/0/00
    assert john.notes.strip() == "PHP\nPerl\nPython"
    assert john.tags == ["Programming"]


def test_outlook_in_windows_1252_is_read_with_a_warning(repo, kith):
    repo.write(
        "outlook.csv",
        '"First Name","Last Name","Company","Job Title","E-mail Address","Business Phone","Birthday"\r\n'
        '"Zoë","Müller","Café","Chef","zoe@example.org","+49 30 1234567","3/22/1980"\r\n'.encode("cp1252"),
    )
    result = kith(repo, "import", "outlook", "outlook.csv")
    assert "outlook.csv:2: warning: the file is not UTF-8" in result.output
    zoe = network_of(repo).people["zoe-muller"]
    assert (zoe.name, zoe.company, zoe.birthday.iso()) == ("Zoë Müller", "Café", "1980-03-22")


def test_unknown_csv_with_auto_is_a_usage_error(repo, kith):
    repo.write("other.csv", "Vorname;Nachname;Telefon\nAda;Lovelace;+44 20 7946 0000\n")
    result = kith(repo, "import", "auto", "other.csv")
    assert result.exit_code == 2
    assert "cannot tell what kind of export" in result.output
    assert "thunderbird" in result.output  # the formats it could be are named


def test_fifty_megabyte_csv_is_refused_before_it_is_read(repo, kith):
    path = repo.root / "huge.csv"
    row = b"Ada,Lovelace,https://www.linkedin.com/in/ada,,AE,Engineer,02 Oct 2023\n"
    with path.open("wb") as handle:
        handle.write(b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for _ in range(50 * 1024 * 1024 // len(row) + 1):
            handle.write(row)
    result = kith(repo, "import", "linkedin", "huge.csv")
    assert result.exit_code == 1
    assert "huge.csv:0: error: the file is 50.0 MB; kith imports CSV files up to 25 MB" in result.output
    assert list((repo.root / "people").iterdir()) == []


def test_nul_bytes_skip_their_row_only(repo, kith):
    repo.write(
        "nul.csv",
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ada,Love\x00lace,,,AE,Engineer,02 Oct 2023\n"
        b"Mary,Somerville,,,RS,Scientist,03 Oct 2023\n",
    )
    result = kith(repo, "import", "linkedin", "nul.csv")
    assert "nul.csv:2: error: NUL bytes in this row (is the file binary, or damaged?); row skipped [csv-nul]" in result.output
    assert result.output.splitlines()[-1] == "created 1, updated 0, unchanged 0, skipped 1 (photos skipped: 0)"
    assert sorted(p.name for p in (repo.root / "people").iterdir()) == ["mary-somerville.md"]


def test_formula_in_a_csv_name_is_neutralised(repo, kith):
    repo.write(
        "evil.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "=cmd|' /C calc'!A0,,javascript:alert(1),=x@example.org,+SUM(1),@me,02 Oct 2023\n",
    )
    result = kith(repo, "import", "linkedin", "evil.csv")
    assert result.exit_code == 0, result.output
    assert "evil.csv:2: warning: `=x@example.org` is not an email address; left out" in result.output
    text = repo.read("people/cmd-c-calc-a0.md")
    for line in text.splitlines()[1:]:
        value = line.partition(": ")[2].lstrip("\"'[")
        assert value[:1] not in ("=", "+", "-", "@"), line
    person = network_of(repo).people["cmd-c-calc-a0"]
    assert person.links == {}  # javascript: is not a link
    assert (person.company, person.title) == ("SUM(1)", "me")
