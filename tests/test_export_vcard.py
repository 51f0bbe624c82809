"""`kith export vcard`: readable by vobject, stable UIDs, and a lossless round trip."""

from __future__ import annotations

import vobject

from kith.importers.merge import person_uid


def network(repo):
    repo.person(
        "ada-lovelace",
        """
        name: Ada Lovelace
        aka: [Ada King]
        company: Analytical Engines
        title: Mathematician
        emails: [ada@example.org, countess@example.org]
        phones: ["+44 20 7946 0000"]
        links: {linkedin: "https://www.linkedin.com/in/example", web: "https://example.org"}
        tags: [math, poetry]
        birthday: --12-10
        """,
        "Private notes stay home.\n",
    )
    repo.person("charles", "name: Charles Babbage\nbirthday: 1791-12-26\ncompany: \"=1+1\"")
    repo.person("secret", "name: Secret Agent\nprivate: true\nemails: [s@example.org]")


def test_export_40_reads_back_with_every_field(repo, kith):
    network(repo)
    result = kith(repo, "export", "vcard")
    assert result.exit_code == 0, result.output
    cards = list(vobject.readComponents(result.output))
    assert [c.fn.value for c in cards] == ["Ada Lovelace", "Charles Babbage"]
    ada = cards[0]
    assert ada.version.value == "4.0"
    assert ada.uid.value == person_uid("ada-lovelace")
    assert [e.value for e in ada.contents["email"]] == ["ada@example.org", "countess@example.org"]
    assert ada.tel.value == "+44 20 7946 0000"
    assert ada.org.value == ["Analytical Engines"]
    assert ada.title.value == "Mathematician"
    assert ada.bday.value == "--1210"
    assert ada.n.value.family == "Lovelace"
    assert sorted(u.value for u in ada.contents["url"]) == [
        "https://example.org",
        "https://www.linkedin.com/in/example",
    ]
    assert ada.categories.value == ["math", "poetry"]
    assert cards[1].bday.value == "17911226"
    assert "Secret" not in result.output
    assert "Private notes" not in result.output


def test_export_30_writes_apple_yearless_birthday(repo, kith, tmp_path):
    network(repo)
    out = tmp_path / "contacts.vcf"
    result = kith(repo, "export", "vcard", "--version", "3.0", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-10\r\n" in text
    cards = list(vobject.readComponents(text))
    assert cards[0].version.value == "3.0"
    assert cards[0].email.params["TYPE"] == ["INTERNET"]
    assert cards[1].bday.value == "1791-12-26"


def test_no_exported_value_starts_like_a_formula(repo, kith):
    network(repo)
    text = kith(repo, "export", "vcard").output
    values = [line.partition(":")[2] for line in text.splitlines() if ":" in line]
    assert all(v[:1] not in ("=", "+", "@") or v.startswith("+44") for v in values)
    assert "ORG:1+1" in text.splitlines()


def test_export_then_import_changes_nothing(repo, kith, tmp_path):
    network(repo)
    before = {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()}
    for version in ("4.0", "3.0"):
        out = tmp_path / f"all-{version}.vcf"
        kith(repo, "export", "vcard", "--version", version, "--out", str(out))
        result = kith(repo, "import", "vcard", str(out))
        assert result.exit_code == 0, result.output
        # Charles's company is `=1+1` in his file; the export defused it to
        # `1+1`, which the import reports and does not write back.
        assert result.output.splitlines()[-1] == "created 0, updated 0, unchanged 2, skipped 0 (photos skipped: 0)"
        assert {p.name: p.read_bytes() for p in (repo.root / "people").iterdir()} == before


def test_uid_finds_a_renamed_person(repo, kith, tmp_path):
    repo.person("ada", "name: Ada Lovelace\nemails: [ada@example.org]")
    out = tmp_path / "a.vcf"
    kith(repo, "export", "vcard", "--out", str(out))
    text = out.read_bytes().decode().replace("ada@example.org", "ada@new.example").replace("FN:Ada Lovelace", "FN:Ada L.")
    out.write_text(text, newline="")
    result = kith(repo, "import", "vcard", str(out))
    assert "updated people/ada.md: +email ada@new.example" in result.output
