"""`kith dupes` on networks whose duplicates are known."""

from __future__ import annotations

import json

from kith.dupes import find_pairs, first_and_last, name_family
from kith.load import load_network


def pairs_of(kith, repo, *args) -> list[tuple[str, str, list[str]]]:
    result = kith(repo, "dupes", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [(p["a"], p["b"], [r["code"] for r in p["reasons"]]) for p in json.loads(result.stdout)]


def test_each_reason_finds_its_pair_and_nothing_else(repo, kith) -> None:
    repo.person("bob-smith", "name: Bob Smith\nemails: [bob@example.org]\ncompany: Acme")
    repo.person("robert-smith", "name: Robert Smith\nemails: [BOB@example.org]")
    repo.person("ann-lee", 'name: Ann Lee\nphones: ["+44 20 7946 0000"]')
    repo.person("a-lee", 'name: Annie Leigh\nphones: ["020 7946 0000"]')
    repo.person("zoe", 'name: Zoë Ångström\nlinks: {linkedin: "https://www.linkedin.com/in/zoe/"}')
    repo.person("zoe-2", 'name: Zoe Angstrom\nlinks: {linkedin: "http://linkedin.com/in/zoe"}')
    repo.person("jon-doe", "name: Jon Doe\ncompany: Initech")
    repo.person("john-doe", "name: John Doe\ncompany: INITECH")
    repo.person("jim-doe", "name: Jim Doe\ncompany: Other")  # a different Doe elsewhere
    repo.person("bill-gates", "name: William Gates")
    repo.person("bill", "name: Bill Gates")
    repo.person("liz", "name: Elizabeth Taylor\naka: [Liz Taylor]")
    repo.person("liz-2", "name: Liz Taylor")
    repo.person("mary", "name: Mary Jones")
    repo.person("maria", "name: Maria Jones")  # not a nickname in the list: no pair
    found = pairs_of(kith, repo, "--region", "GB")
    assert found == [
        ("zoe", "zoe-2", ["linkedin", "name"]),
        ("bob-smith", "robert-smith", ["email", "nickname"]),
        ("liz", "liz-2", ["name", "nickname"]),
        ("a-lee", "ann-lee", ["phone"]),
        ("john-doe", "jon-doe", ["nickname", "similar-name"]),
        ("bill", "bill-gates", ["nickname"]),
    ]


def test_text_output_explains_and_suggests_the_merge(repo, kith) -> None:
    repo.person("bob-smith", "name: Bob Smith\nemails: [bob@example.org]", "## Log\n\n- 2026-01-01 coffee: hi\n")
    repo.person("robert-smith", "name: Robert Smith\nemails: [bob@example.org]")
    result = kith(repo, "dupes")
    assert result.exit_code == 0
    assert result.stdout == (
        "people/bob-smith.md ~ people/robert-smith.md (score 145)\n"
        "  Bob Smith / Robert Smith\n"
        "  same email: bob@example.org\n"
        "  nickname of the same name: Bob ~ Robert Smith\n"
        "  kith merge bob-smith robert-smith\n"
        "1 possible duplicate\n"
    )
    # validate keeps the error, and points at what explains it
    check = kith(repo, "validate")
    assert check.exit_code == 1
    assert "email bob@example.org is also in people/bob-smith.md; if they are one person, `kith merge bob-smith robert-smith` joins them" in check.stdout


def test_people_related_to_each_other_are_two_unless_they_share_an_address(repo, kith) -> None:
    repo.person("john-smith", "name: John Smith\nrelationships:\n  - {with: john-smith-jr, type: child}")
    repo.person("john-smith-jr", "name: John Smith")
    repo.person("ann", "name: Ann Wu\nemails: [family@example.org]\nrelationships: [{with: ann-2, type: sibling}]")
    repo.person("ann-2", "name: Anne Wu\nemails: [family@example.org]")
    assert pairs_of(kith, repo) == [("ann", "ann-2", ["email", "nickname"])]


def test_no_duplicates(repo, kith) -> None:
    repo.person("ada", "name: Ada Lovelace")
    repo.person("grace", "name: Grace Hopper")
    result = kith(repo, "dupes")
    assert result.stdout == "no possible duplicates\n"
    assert kith(repo, "dupes", "--format", "json").stdout == "[]\n"


def test_the_example_network_has_no_duplicates(example_repo, kith) -> None:
    assert pairs_of(kith, example_repo) == []


def test_names_and_nicknames() -> None:
    assert first_and_last("Smith, Robert") == ("robert", "smith")
    assert first_and_last("Cher") is None
    assert "robert" in name_family("bob")
    assert "bob" in name_family("robert") and "bobby" in name_family("robert")
    assert "bill" not in name_family("bob")  # both short for Robert: not one name
    assert "maria" not in name_family("mary") and "mary" not in name_family("maria")


def test_a_big_organisation_is_compared_in_blocks(repo) -> None:
    """Hundreds of people at one employer: still found, without every pair."""
    for n in range(400):
        repo.person(f"p{n}", f"name: Person{n:03d} Surname{n:03d}\ncompany: Bigco")
    repo.person("j-smith", "name: J. Smith\ncompany: Bigco")
    repo.person("john-smith", "name: John Smith\ncompany: Bigco")
    pairs = find_pairs(load_network(repo.root))
    found = [(p.a.slug, p.b.slug, [r.code for r in p.reasons]) for p in pairs]
    assert ("j-smith", "john-smith", ["similar-name"]) in found


def test_hostile_names_cannot_drive_the_terminal(repo, kith) -> None:
    repo.person("evil", 'name: "Eve\\e]0;owned\\a\\e[2J Smith"\nemails: [eve@example.org]')
    repo.person("eve-smith", "name: Eve Smith\nemails: [eve@example.org]")
    result = kith(repo, "dupes")
    assert "\x1b" not in result.stdout and "\a" not in result.stdout
    assert "Eve?]0;owned??[2J Smith" in result.stdout
    plan = kith(repo, "triage", "--plan")
    assert "\x1b" not in plan.stdout
    assert all(line.startswith(("kith set ", "#")) for line in plan.stdout.splitlines())
