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


# -- every field vCard can hold comes back ------------------------------------------

import html
import os
import re
import subprocess
import sys
import textwrap

import pytest

from kith.load import load_network


def tricky(repo):
    repo.person(
        "zoe",
        """
        name: Zoe Ångström-Okafor
        aka: ["Zoë", "Mum, Maggie", Z, Zoe Angstrom-Okafor]
        company: "Okafor & Sons; Builders, Ltd"
        title: "Director, Research"
        location: San Francisco, CA
        emails: [zoe@example.org, z@work.example]
        phones: ["+1 415 555 1234", "555 1234"]
        links: {github: "https://github.com/zoe", "My Shop": "https://example.com/shop?a=1,2", home: "https://zoe.example", web-2: "https://example.net/zoe", mail: "mailto:zoe@example.org"}
        tags: [engineering, "apollo, software"]
        birthday: --02-29
        """,
        "First line of notes, with a comma; and a semicolon.\nSecond line: see [[secret]] and [[ada]].\n\n"
        "- a list item\n\n## Private\n\nNever exported.\n\n## Log\n\n- 2026-01-01 coffee: not exported\n",
    )
    repo.person("ada", "name: Ada Lovelace\nbirthday: 1815-12-10")
    repo.person("secret", "name: Secret Agent\nprivate: true")


FIELDS = ("name", "aka", "company", "title", "location", "emails", "phones", "links", "tags")


def fields(person):
    found = {key: getattr(person, key) for key in FIELDS}
    found["birthday"] = person.birthday.iso() if person.birthday else None
    return found


def loose(text: str) -> str:
    """Notes compared as words: the import may escape what it writes."""
    return " ".join(html.unescape(text).replace("\\", "").split())


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_field_vcard_holds_comes_back_in_a_new_repository(repo, kith, tmp_path, version):
    tricky(repo)
    out = tmp_path / "all.vcf"
    assert kith(repo, "export", "vcard", "--version", version, "--notes", "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Never exported" not in text and "not exported" not in text and "Secret Agent" not in text
    assert "[[secret]]" not in text and "(private)" in text
    fresh = tmp_path / "fresh"
    (fresh / "people").mkdir(parents=True)
    result = kith(fresh, "import", "vcard", str(out))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    before, after = load_network(repo.root).people, load_network(fresh).people
    assert fields(after["zoe-angstrom-okafor"]) == fields(before["zoe"])
    assert fields(after["ada-lovelace"]) == fields(before["ada"])
    notes = after["zoe-angstrom-okafor"].notes
    assert loose(notes) == loose(
        "First line of notes, with a comma; and a semicolon.\nSecond line: see (private) and [[ada]].\n\n- a list item"
    )
    assert "\nSecond line" in notes  # line breaks kept


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize("notes", [False, True])
def test_example_network_export_then_import_is_unchanged(example_repo, kith, tmp_path, version, notes):
    people = example_repo.root / "people"
    before = {p: p.read_bytes() for p in people.rglob("*.md")}
    out = tmp_path / "all.vcf"
    args = ["export", "vcard", "--version", version, "--out", str(out)] + (["--notes"] if notes else [])
    assert kith(example_repo, *args).exit_code == 0
    result = kith(example_repo, "import", "vcard", str(out))
    assert result.exit_code == 0, result.output
    public = [p for p in load_network(example_repo.root).people.values() if not p.private]
    assert result.output.splitlines() == [
        f"created 0, updated 0, unchanged {len(public)}, skipped 0 (photos skipped: 0)"
    ]
    assert {p: p.read_bytes() for p in people.rglob("*.md")} == before


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_example_network_export_reads_whole_into_a_new_repository(example_repo, kith, tmp_path, version):
    out = tmp_path / "all.vcf"
    kith(example_repo, "export", "vcard", "--version", version, "--notes", "--out", str(out))
    fresh = tmp_path / "fresh"
    (fresh / "people").mkdir(parents=True)
    result = kith(fresh, "import", "vcard", str(out))
    assert result.exit_code == 0, result.output
    before = {p.name: p for p in load_network(example_repo.root).people.values() if not p.private}
    after = {p.name: p for p in load_network(fresh).people.values()}
    assert sorted(after) == sorted(before)
    for name, person in before.items():
        assert fields(after[name]) == fields(person), name
        assert loose(after[name].notes) == loose(person.notes), name


def exported(repo, kith, tmp_path, version: str) -> str:
    out = tmp_path / f"export-{version}.vcf"
    assert kith(repo, "export", "vcard", "--version", version, "--notes", "--out", str(out)).exit_code == 0
    return out.read_bytes().decode("utf-8")


def test_vobject_reads_each_nickname_and_every_text_whole(repo, kith, tmp_path):
    tricky(repo)
    for version in ("3.0", "4.0"):
        text = exported(repo, kith, tmp_path, version)
        zoe = next(c for c in vobject.readComponents(text) if c.fn.value.startswith("Zoe"))
        assert [n.value for n in zoe.contents["nickname"]] == ["Zoë", "Mum, Maggie", "Z", "Zoe Angstrom-Okafor"]
        assert zoe.title.value == "Director, Research"
        assert zoe.org.value == ["Okafor & Sons; Builders, Ltd"]
        assert zoe.adr.value.city == "San Francisco, CA"
        assert zoe.note.value.startswith("First line of notes, with a comma; and a semicolon.\nSecond line")
        assert "NICKNAME:Mum\\, Maggie\r\n" in text


def khard_config(tmp_path, book):
    config = tmp_path / "khard.conf"
    config.write_text(
        textwrap.dedent(
            f"""
            [addressbooks]
            [[kith]]
            path = {book}
            [general]
            default_action = list
            editor = /bin/true
            merge_editor = /bin/true
            [contact table]
            display = formatted_name
            [vcard]
            skip_unparsable = no
            """
        )
    )
    return config


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_reads_the_export(repo, example_repo, kith, tmp_path, version):
    from khard.address_book import VdirAddressBook

    tricky(repo)
    book = tmp_path / f"book-{version}"
    book.mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    texts = [exported(r, kith, tmp_path / name, version) for r, name in ((repo, "a"), (example_repo, "b"))]
    cards = [c for text in texts for c in re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", text, re.S)]
    for index, card in enumerate(cards):
        (book / f"{index}.vcf").write_text(card, encoding="utf-8", newline="")
    # khard's own command line lists every card (and fails on one it cannot parse).
    khard = os.path.join(os.path.dirname(sys.executable), "khard")
    listed = subprocess.run(
        [khard, "-c", str(khard_config(tmp_path, book)), "list", "--parsable"],
        capture_output=True, text=True, timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == len(cards)
    loaded = VdirAddressBook("kith", str(book))
    loaded.load()
    zoe = next(c for c in loaded.contacts.values() if c.formatted_name.startswith("Zoe"))
    assert sorted(zoe.nicknames) == sorted(["Zoë", "Mum, Maggie", "Z", "Zoe Angstrom-Okafor"])
    assert zoe.titles == ["Director, Research"]
    assert zoe.organisations == [["Okafor & Sons; Builders, Ltd"]]
    assert zoe.post_addresses and next(iter(zoe.post_addresses.values()))[0]["city"] == "San Francisco, CA"
    assert zoe.notes[0].startswith("First line of notes, with a comma; and a semicolon.\nSecond line")
    ada = next(c for c in loaded.contacts.values() if c.formatted_name == "Ada Lovelace")
    assert (ada.birthday.year, ada.birthday.month, ada.birthday.day) == (1815, 12, 10)
    if version == "3.0":
        # Apple's form: the year 1604, a leap year, stands for none.
        assert (zoe.birthday.month, zoe.birthday.day) == (2, 29)
    # (khard reads 4.0's `--0229` in its default year 1900, which has no 29 February.)
    # khard shows Apple's labels: {"My Shop": URL}.
    assert {w if isinstance(w, str) else next(iter(w.values())) for w in zoe.webpages} == {
        "https://github.com/zoe",
        "https://example.com/shop?a=1,2",
        "https://zoe.example",
        "https://example.net/zoe",
        "mailto:zoe@example.org",
    }


def test_notes_with_a_private_heading_in_any_form_never_leave(repo, kith, tmp_path):
    repo.person("ada", "name: Ada Lovelace", "Public words.\n\n##Private\n\nCANARY-7f3 told in confidence.\n")
    repo.person("bo", "name: Bo", "Also public.\n\nPrivate\n-------\n\nCANARY-8e1 a secret.\n")
    repo.person("di", "name: Di", "- note\n\n  ## Private\n\n  CANARY-9d2 in a list.\n")
    repo.person("cy", "name: Cy", "Fine notes about private equity.\n")
    out = tmp_path / "all.vcf"
    result = kith(repo, "export", "vcard", "--notes", "--out", str(out))
    assert result.exit_code == 0
    text = out.read_bytes().decode("utf-8")
    assert "CANARY" not in text
    assert "NOTE:Fine notes about private equity." in text
    assert "people/cy.md" not in result.stderr
    # Each of the others is exported without its Private section, or not at all, said on stderr.
    for slug, public in (("ada", "Public words."), ("bo", "Also public."), ("di", "note")):
        assert public in text or f"people/{slug}.md:0: warning: notes not exported" in result.stderr, slug


def test_an_imported_note_goes_back_to_a_phone_as_the_card_said_it(repo, kith, tmp_path):
    """A note is stored quoted (`\\## Log`, `&lt;b&gt;`), so that it can never
    become structure; exported, it reads as it did on the card, and a
    fenced block the user wrote keeps its backslashes."""
    import vobject

    note = "## Log\\n- 2026-01-01 coffee: not an entry\\n<b>bold?</b> & [[x]] *y* a_b"
    card = tmp_path / "in.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Card\r\nNOTE:{note}\r\nEND:VCARD\r\n", encoding="utf-8")
    assert kith(repo, "import", "vcard", str(card)).exit_code == 0
    path = repo.root / "people" / "cy-card.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n```\nC:\\\\path\\_x\n```\n", encoding="utf-8")
    out = tmp_path / "out.vcf"
    assert kith(repo, "export", "vcard", "--notes", "--out", str(out)).exit_code == 0
    exported = vobject.readOne(out.read_text(encoding="utf-8")).note.value
    assert exported.startswith("## Log\n- 2026-01-01 coffee: not an entry\n<b>bold?</b> & [[x]] *y* a_b")
    assert "C:\\\\path\\_x" in exported
