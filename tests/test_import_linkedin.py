"""`kith import linkedin`: LinkedIn's Connections.csv, every layout it has had."""

from __future__ import annotations

import shutil
from pathlib import Path

from kith.load import load_network
from kith.validate import check

SAMPLES = Path(__file__).parent / "samples" / "csv"


def sample(repo, name: str) -> str:
    shutil.copy(SAMPLES / name, repo.root / name)
    return name


def assert_valid(repo) -> None:
    network = load_network(repo.root)
    errors = [f.format() for f in check(network) if f.severity == "error"]
    assert errors == []
    return network


def test_current_export_creates_one_file_per_connection(repo, kith):
    name = sample(repo, "linkedin_connections_basic.csv")
    result = kith(repo, "import", "linkedin", name)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "created 10, updated 0, unchanged 0, skipped 0 (photos skipped: 0)"
    )
    assert "created people/ada-lovelace.md (Ada Lovelace)" in result.output
    network = assert_valid(repo)
    ada = network.people["ada-lovelace"]
    assert ada.company == "Analytical Engines Inc"
    assert ada.title == "Engineer"
    assert ada.links == {"linkedin": "https://www.linkedin.com/in/ada"}
    assert ada.met.date.isoformat() == "2024-01-01"
    assert ada.met.where is None
    assert ada.emails == []


def test_bom_crlf_excel_resave_with_quoted_commas_and_accents(repo, kith):
    name = sample(repo, "linkedin_connections_bom_crlf.csv")
    result = kith(repo, "import", "auto", name)
    assert result.exit_code == 0, result.output
    network = assert_valid(repo)
    jose = network.people["jose-garcia"]
    assert jose.name == "José García"
    assert jose.company == "Acme, Inc."
    aesop = network.people["aesop-fontaine"]
    assert aesop.emails == ["aesop@example.com"]
    assert aesop.title == "Director, Operations"
    assert aesop.met.date.isoformat() == "2024-02-03"


def test_old_layouts_without_url_or_preamble_and_excel_dates(repo, kith):
    # 2020 layout: no Notes preamble, no URL column, no final newline;
    # re-saved by Excel, so the dates read 4-Apr-21.
    repo.write(
        "old.csv",
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Mary,Somerville,mary@example.org,Royal Society,Scientist,4-Apr-21\n"
        ',,,,,02 Oct 2023\n'
        'Ann,"Hale, PhD",,Lab,Chemist,15 Nov 2020',
    )
    result = kith(repo, "import", "linkedin", "old.csv")
    assert result.exit_code == 0, result.output
    assert "old.csv:3: warning: a row with no name (a hidden or closed profile); skipped [no-name]" in result.output
    assert result.output.splitlines()[-1] == "created 2, updated 0, unchanged 0, skipped 1 (photos skipped: 0)"
    network = assert_valid(repo)
    mary = network.people["mary-somerville"]
    assert mary.met.date.isoformat() == "2021-04-04"
    assert mary.emails == ["mary@example.org"]
    assert "linkedin" not in mary.links
    assert network.people["ann-hale-phd"].name == "Ann Hale, PhD"


def test_header_found_after_a_longer_preamble(repo, kith):
    repo.write(
        "Connections.csv",
        "Notes:\n\"Some text, with a comma\"\n\nmore text\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,AE,Engineer,02 Oct 2023\n",
    )
    result = kith(repo, "import", "auto", "Connections.csv")
    assert result.exit_code == 0, result.output
    assert "created 1," in result.output


def test_not_a_linkedin_file_is_refused_with_a_clear_line(repo, kith):
    repo.write("contacts.csv", "Name,Phone\nAda,123\n")
    result = kith(repo, "import", "linkedin", "contacts.csv")
    assert result.exit_code == 1
    assert "contacts.csv:1: error: no LinkedIn header" in result.output
    assert list((repo.root / "people").iterdir()) == []


def test_second_import_changes_nothing(repo, kith):
    name = sample(repo, "linkedin_connections_basic.csv")
    kith(repo, "import", "linkedin", name)
    before = {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()}
    result = kith(repo, "import", "linkedin", name)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "created 0, updated 0, unchanged 10, skipped 0 (photos skipped: 0)"
    after = {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()}
    assert after == before


def test_existing_person_gains_only_what_is_missing_and_keeps_their_notes(repo, kith):
    body = "Met at PyCon.  Loves *tea*.\r\n\r\n## Log\r\n\r\n- 2026-10-01 coffee: talked about payments\r\n"
    original = repo.person(
        "eve",
        "name: Eve Kim  # we go back\ncompany: Stripe\nlinks: {linkedin: \"http://linkedin.com/in/eve/\"}",
    )
    raw = original.read_bytes().replace(b"\n", b"\r\n") + body.encode()
    original.write_bytes(raw)
    name = sample(repo, "linkedin_connections_basic.csv")
    result = kith(repo, "import", "linkedin", name)
    assert result.exit_code == 0, result.output
    # `Stripe Inc` is `Stripe` with its legal form: one company, no conflict.
    assert "[conflict]" not in result.output
    assert "updated people/eve.md: +title Staff Engineer, +met.date 2024-08-08" in result.output
    assert not (repo.root / "people" / "eve-kim.md").exists()
    text = (repo.root / "people" / "eve.md").read_bytes()
    assert text.endswith(body.encode())
    assert text.startswith(b"---\r\nname: Eve Kim  # we go back\r\ncompany: Stripe\r\n")
    assert b"title: Staff Engineer\r\n" in text
    assert_valid(repo)


def test_dry_run_shows_the_diff_and_writes_nothing(repo, kith):
    repo.person("eve", "name: Eve Kim\ncompany: Stripe Inc", "Notes.\n")
    before = (repo.root / "people" / "eve.md").read_bytes()
    name = sample(repo, "linkedin_connections_basic.csv")
    result = kith(repo, "import", "linkedin", name, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would create people/ada-lovelace.md (Ada Lovelace)" in result.output
    assert "would update people/eve.md:" in result.output
    assert "+++ b/people/ada-lovelace.md" in result.output
    assert "+title: Staff Engineer" in result.output
    assert result.output.splitlines()[-1].startswith("dry run, nothing written: created 9, updated 1")
    assert sorted(p.name for p in (repo.root / "people").iterdir()) == ["eve.md"]
    assert (repo.root / "people" / "eve.md").read_bytes() == before


def test_two_people_with_one_name_get_two_slugs(repo, kith):
    repo.write(
        "c.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "John,Smith,https://www.linkedin.com/in/js1,,Stripe,Engineer,01 Jan 2024\n"
        "John,Smith,https://www.linkedin.com/in/js2,,Figma,Designer,02 Jan 2024\n",
    )
    result = kith(repo, "import", "linkedin", "c.csv")
    assert result.exit_code == 0, result.output
    network = assert_valid(repo)
    assert network.people["john-smith"].company == "Stripe"
    assert network.people["john-smith-2"].company == "Figma"
    again = kith(repo, "import", "linkedin", "c.csv")
    assert "created 0, updated 0, unchanged 2" in again.output
