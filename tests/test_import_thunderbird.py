"""`kith import thunderbird` (and `auto`): Thunderbird's address book CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

from kith.importers.thunderbird import COLUMNS
from kith.load import load_network
from kith.validate import check

SAMPLES = Path(__file__).parent / "samples" / "csv"
ENGLISH = [names[0] for _, names in COLUMNS]
GERMAN = [names[-1] for _, names in COLUMNS]


def network_of(repo):
    network = load_network(repo.root)
    assert [f.format() for f in check(network) if f.severity == "error"] == []
    return network


def row(**values: str) -> list[str]:
    cells = {field: "" for field, _ in COLUMNS}
    cells.update(values)
    return [cells[field] for field, _ in COLUMNS]


def csv_text(header: list[str], *rows: list[str], sep: str = ",") -> str:
    def cell(x: str) -> str:
        return '"' + x.replace('"', '""') + '"' if any(c in x for c in f'{sep}"\n\r') else x

    return "".join(sep.join(cell(x) for x in line) + "\r\n" for line in (header, *rows))


ADA = row(
    first="Ada",
    last="Lovelace",
    display="Ada Lovelace",
    nickname="Countess",
    email1="ada@example.org",
    email2="countess@example.org",
    screen="ada_l",
    work_phone="+44 20 7946 0000",
    mobile="+44 7700 900123",
    fax="+44 20 7946 0001",
    home_address="12 St James's Square",
    home_city="London",
    home_country="United Kingdom",
    title="Mathematician",
    department="Engines",
    organization="Analytical Engines, Ltd",
    web1="https://example.org/ada",
    web2="https://github.com/ada",
    birth_month="12",
    birth_day="10",
    notes="Met at the Royal Society, 1833.\nAsk about the Bernoulli numbers.",
)


def test_the_sample_is_sniffed_and_read_with_its_line_breaks_and_quotes(repo, kith):
    shutil.copy(SAMPLES / "thunderbird_export.csv", repo.root / "tb.csv")
    result = kith(repo, "import", "auto", "tb.csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "created 2, updated 0, unchanged 0, skipped 0 (photos skipped: 0)"
    # The second record spans two physical lines; its custom fields hold a
    # comma, a tab, a lone CR and a line break, and are reported by name.
    assert (
        "tb.csv:3: warning: not imported (kith has no field for them): Custom 1 `custom, 1`, "
        "Custom 2 `custom 2`, Custom 3 `custom 3`, Custom 4 `custom 4` [not-imported]"
    ) in result.output
    two = network_of(repo).people["contact-number-two"]
    assert two.title == '"worker"'
    assert two.notes.strip() == "here's some unicode text…"
    assert two.aka == ["contact two"]  # first and last name, kept as another name


def test_every_column_kith_has_a_field_for_is_read(repo, kith):
    repo.write("tb.csv", csv_text(ENGLISH, ADA))
    result = kith(repo, "import", "thunderbird", "tb.csv")
    assert result.exit_code == 0, result.output
    ada = network_of(repo).people["ada-lovelace"]
    assert ada.aka == ["Countess"]
    assert ada.emails == ["ada@example.org", "countess@example.org"]
    assert ada.phones == ["+44 7700 900123", "+44 20 7946 0000"]
    assert (ada.company, ada.title, ada.location) == ("Analytical Engines, Ltd", "Mathematician", "London")
    assert ada.links == {"web": "https://example.org/ada", "github": "https://github.com/ada"}
    assert ada.birthday.iso() == "--12-10"
    assert ada.notes.strip() == "Met at the Royal Society, 1833.\nAsk about the Bernoulli numbers."
    assert (
        "tb.csv:2: warning: not imported (kith has no field for them): Screen Name `ada_l`, "
        "Fax Number `+44 20 7946 0001`, Home Address `12 St James's Square`, "
        "Home Country `United Kingdom`, Department `Engines` [not-imported]"
    ) in result.output


def test_german_column_names_tabs_and_a_birthday_with_its_year(repo, kith):
    ada = list(ADA)
    ada[[f for f, _ in COLUMNS].index("birth_year")] = "1815"
    repo.write("tb.txt", csv_text(GERMAN, ada, sep="\t"))
    result = kith(repo, "import", "auto", "tb.txt")
    assert result.exit_code == 0, result.output
    person = network_of(repo).people["ada-lovelace"]
    assert person.birthday.iso() == "1815-12-10"
    assert person.company == "Analytical Engines, Ltd"


def test_another_language_is_read_by_thunderbirds_column_order(repo, kith):
    header = [f"Kolumn {i}" for i in range(len(COLUMNS))]
    repo.write("tb.csv", csv_text(header, ADA))
    assert kith(repo, "import", "auto", "tb.csv").exit_code == 2  # not obviously Thunderbird
    result = kith(repo, "import", "thunderbird", "tb.csv")
    assert result.exit_code == 0, result.output
    assert "tb.csv:1: warning: column names not recognised; read in Thunderbird's column order" in result.output
    assert network_of(repo).people["ada-lovelace"].emails == ["ada@example.org", "countess@example.org"]


def test_a_bad_birthday_is_reported_and_the_rest_imported(repo, kith):
    repo.write("tb.csv", csv_text(ENGLISH, row(display="Bo", birth_month="13", birth_day="40", email1="bo@example.org")))
    result = kith(repo, "import", "thunderbird", "tb.csv")
    assert "tb.csv:2: warning: birthday `13-40` (year, month, day) is not a date; left out [date-unread]" in result.output
    assert network_of(repo).people["bo"].emails == ["bo@example.org"]


def test_a_file_that_is_not_thunderbirds_is_refused(repo, kith):
    repo.write("x.csv", "First Name,Last Name,Email\nAda,Lovelace,ada@example.org\n")
    result = kith(repo, "import", "thunderbird", "x.csv")
    assert result.exit_code == 1
    assert "x.csv:1: error: no Thunderbird columns" in result.output
    assert "[not-thunderbird]" in result.output
    assert list((repo.root / "people").iterdir()) == []


def test_birth_year_zero_is_no_year_anyone_was_born(repo, kith):
    repo.write("tb.csv", csv_text(ENGLISH, row(display="Bo", birth_year="0", birth_month="2", birth_day="1", email1="bo@example.org")))
    result = kith(repo, "import", "thunderbird", "tb.csv")
    assert result.exit_code == 0, result.output
    assert "[date-unread]" in result.output
    assert network_of(repo).people["bo"].birthday is None
