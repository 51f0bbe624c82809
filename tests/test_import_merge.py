"""Merge rules: how an imported card finds its person, and what it may add."""

from __future__ import annotations

from kith.load import load_network

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def vcf(*cards: str) -> str:
    return "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\n{c}END:VCARD\r\n" for c in cards)


def test_match_by_email_ignores_case_and_adds_phone_and_tag(repo, kith):
    repo.person("ada", "name: Ada King\nemails: [Ada@Example.org]\nbirthday: 1815-12-10", "Hand-written.\n")
    before = (repo.root / "people/ada.md").read_bytes()
    repo.write(
        "c.vcf",
        vcf("FN:Ada Lovelace\r\nEMAIL:ada@example.ORG\r\nTEL:+44 20 7946 0000\r\nCATEGORIES:math\r\nBDAY:--12-10\r\n"),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert "updated people/ada.md: +phone +44 20 7946 0000, +tag math" in result.output
    after = (repo.root / "people/ada.md").read_bytes()
    assert after.endswith(b"---\n\nHand-written.\n")
    assert after.startswith(before.split(b"---\n\n")[0])
    ada = load_network(repo.root).people["ada"]
    assert ada.name == "Ada King"  # never renamed
    assert ada.emails == ["Ada@Example.org"]
    assert ada.birthday.iso() == "1815-12-10"  # a yearless birthday agrees with it


def test_same_phone_written_differently_is_not_added_again(repo, kith):
    # 020 7946 0000 is a London number only for someone in GB: default_region says so.
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      default_region: GB\n")
    repo.person("ada", 'name: Ada\nemails: [ada@example.org]\nphones: ["+44 20 7946 0000"]')
    repo.write("c.vcf", vcf("FN:Ada\r\nEMAIL:ada@example.org\r\nTEL:020 7946 0000\r\nTEL:+44 (0)20 7946-0000\r\n"))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert "unchanged 1" in result.output, result.output


def test_distinct_numbers_that_end_alike_are_both_kept(repo, kith):
    repo.person("ada", 'name: Ada\nemails: [ada@example.org]\nphones: ["+1 415 555 1234"]')
    repo.write("c.vcf", vcf("FN:Ada\r\nEMAIL:ada@example.org\r\nTEL:555 1234\r\nTEL:+1 (415) 555-1234\r\n"))
    result = kith(repo, "import", "vcard", "c.vcf")
    # `555 1234` has no area code: it may be another number, so it is added;
    # `+1 (415) 555-1234` is the same number in E.164, so it is not.
    assert "updated people/ada.md: +phone 555 1234\n" in result.output, result.output
    assert load_network(repo.root).people["ada"].phones == ["+1 415 555 1234", "555 1234"]
    # Without a region, a national number is compared digit for digit.
    repo.person("bo", 'name: Bo\nemails: [bo@example.org]\nphones: ["+44 20 7946 0000"]')
    repo.write("d.vcf", vcf("FN:Bo\r\nEMAIL:bo@example.org\r\nTEL:020 7946 0000\r\nTEL:+44 20 7946 0000\r\n"))
    result = kith(repo, "import", "vcard", "d.vcf")
    assert "updated people/bo.md: +phone 020 7946 0000\n" in result.output, result.output


def test_match_by_linkedin_url_however_written(repo, kith):
    repo.person("grace", 'name: G. Hopper\nlinks: {linkedin: "http://linkedin.com/in/grace/"}')
    repo.write("c.csv", HEADER + "Grace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,01 Jan 2024\n")
    result = kith(repo, "import", "linkedin", "c.csv")
    assert "updated people/grace.md: +company Navy, +title Admiral, +met.date 2024-01-01" in result.output
    assert sorted(p.name for p in (repo.root / "people").iterdir()) == ["grace.md"]


def test_match_by_name_needs_the_same_company_accents_and_case_folded(repo, kith):
    repo.person("jose", "name: Jose  GARCIA\ncompany: Acme")
    repo.write(
        "c.csv",
        HEADER + "José,García,,,acme,Engineer,01 Jan 2024\n" + "José,García,,,Globex,CEO,02 Jan 2024\n",
    )
    result = kith(repo, "import", "linkedin", "c.csv")
    assert "updated people/jose.md: +title Engineer" in result.output
    assert "created people/jose-garcia.md (José García)" in result.output


def test_conflicts_are_reported_not_written(repo, kith):
    repo.person("eve", "name: Eve\nemails: [eve@example.org]\ncompany: Stripe\ntitle: CTO\nbirthday: 1990-01-02")
    before = (repo.root / "people/eve.md").read_bytes()
    repo.write("c.vcf", vcf("FN:Eve\r\nEMAIL:eve@example.org\r\nORG:Figma\r\nTITLE:CTO\r\nBDAY:1991-01-02\r\n"))
    result = kith(repo, "import", "vcard", "c.vcf")
    # Each at the line of its own property.
    assert "c.vcf:5: warning: people/eve.md keeps company `Stripe`; this file says `Figma` [conflict]" in result.output
    assert "c.vcf:7: warning: people/eve.md keeps birthday `1990-01-02`; this file says `1991-01-02` [conflict]" in result.output
    assert "unchanged 1" in result.output
    assert (repo.root / "people/eve.md").read_bytes() == before


def test_existing_met_date_is_kept(repo, kith):
    repo.person("ada", "name: Ada\ncompany: AE\nmet:\n  date: 2020-05-01\n  where: London")
    repo.write("c.csv", HEADER + "Ada,,,,AE,,01 Jan 2024\n")
    result = kith(repo, "import", "linkedin", "c.csv")
    assert "unchanged 1" in result.output
    assert load_network(repo.root).people["ada"].met.date.isoformat() == "2020-05-01"


def test_card_matching_two_people_is_skipped(repo, kith):
    repo.person("a", "name: A\nemails: [a@example.org]")
    repo.person("b", "name: B\nemails: [b@example.org]")
    repo.write("c.vcf", vcf("FN:A B\r\nEMAIL:a@example.org\r\nEMAIL:b@example.org\r\n"))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert "c.vcf:1: warning: `A B` matches several people (people/a.md, people/b.md); not imported" in result.output
    assert "skipped 1" in result.output


def test_cards_in_one_file_merge_with_each_other(repo, kith):
    repo.write(
        "c.vcf",
        vcf("FN:Ada\r\nEMAIL:ada@example.org\r\n", "FN:Ada L\r\nEMAIL:ADA@example.org\r\nTEL:+44 1234 567890\r\n"),
    )
    result = kith(repo, "import", "vcard", "c.vcf")
    assert "created 1, updated 0" in result.output
    assert load_network(repo.root).people["ada"].phones == ["+44 1234 567890"]


def test_new_file_keys_follow_the_schema_order(repo, kith):
    repo.write(
        "c.vcf",
        vcf(
            "BDAY:1815-12-10\r\nCATEGORIES:math\r\nURL:https://example.org\r\nTEL:+44 20 7946 0000\r\n"
            "EMAIL:ada@example.org\r\nTITLE:Mathematician\r\nORG:Analytical Engines\r\nNICKNAME:Ada King\r\n"
            "FN:Ada Lovelace\r\nNOTE:Poetical science.\r\n"
        ),
    )
    kith(repo, "import", "vcard", "c.vcf")
    assert repo.read("people/ada-lovelace.md") == (
        "---\n"
        "name: Ada Lovelace\n"
        "aka: [Ada King]\n"
        "company: Analytical Engines\n"
        "title: Mathematician\n"
        "emails: [ada@example.org]\n"
        "phones: [+44 20 7946 0000]\n"
        "links:\n"
        "  web: https://example.org\n"
        "tags: [math]\n"
        "birthday: 1815-12-10\n"
        "---\n"
        "\n"
        "Poetical science.\n"
    )


def test_a_note_for_someone_who_has_a_file_is_reported_not_dropped(repo, kith):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]", "Hand-written notes & more.\n")
    before = (repo.root / "people/ada.md").read_bytes()
    repo.write("c.vcf", vcf("FN:Ada\r\nEMAIL:ada@example.org\r\nNOTE:She moved to Turin\\, in March.\r\n"))
    result = kith(repo, "import", "vcard", "c.vcf")
    assert (
        "c.vcf:5: warning: people/ada.md keeps its notes; these notes are not imported "
        "(kith never changes the body of a file) [not-imported]"
    ) in result.output
    assert (repo.root / "people/ada.md").read_bytes() == before
    # The same words as the file's notes, however escaped, are nothing new.
    repo.write("d.vcf", vcf("FN:Ada\r\nEMAIL:ada@example.org\r\nNOTE:Hand-written notes & more.\r\n"))
    assert "warning" not in kith(repo, "import", "vcard", "d.vcf").output
