"""`kith suggest` and `kith path` as a user runs them."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def network(repo):
    repo.person(
        "ada-lovelace",
        """
        name: Ada Lovelace
        needs: [an illustrator]
        interests: [poetry]
        relationships:
          - {with: charles-babbage, type: colleague}
        """,
    )
    repo.person(
        "charles-babbage",
        "name: Charles Babbage\nrelationships:\n  - {with: mary-somerville, type: mentor}",
    )
    repo.person("mary-somerville", "name: Mary Somerville\noffers: [illustrators]\ninterests: [Poetry]")
    repo.person("percy", "name: Percy Shelley\ninterests: [poetry]")
    repo.person("hermit", "name: Hermit")
    repo.person("secret", "name: Secret Agent\nprivate: true\ninterests: [poetry]", "Knows [[percy]].\n")
    return repo


def test_suggest_text_lists_introductions_best_first_with_reasons(kith, network):
    result = kith(network, "suggest")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        "Ada Lovelace <> Mary Somerville (score 7): Mary Somerville offers illustrators, "
        "which Ada Lovelace needs; both care about poetry"
    )
    assert "Ada Lovelace <> Percy Shelley (score 2): both care about poetry" in lines
    # percy and secret are already connected by a mention
    assert not any("Percy Shelley <> Secret Agent" in line for line in lines)


def test_suggest_json_has_sorted_slugs_score_and_reasons(kith, network):
    result = kith(network, "suggest", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data[0] == {
        "a": "ada-lovelace",
        "b": "mary-somerville",
        "score": 7,
        "reasons": ["Mary Somerville offers illustrators, which Ada Lovelace needs", "both care about poetry"],
    }
    assert all(item["a"] < item["b"] for item in data)
    assert [item["score"] for item in data] == sorted((item["score"] for item in data), reverse=True)


def test_suggest_for_one_person_and_limit(kith, network):
    data = json.loads(kith(network, "suggest", "mary-somerville", "--format", "json").output)
    # the CLI is yours alone, so private people are suggested too (never on the site)
    assert [(d["a"], d["b"]) for d in data] == [
        ("ada-lovelace", "mary-somerville"),
        ("mary-somerville", "percy"),
        ("mary-somerville", "secret"),
    ]
    data = json.loads(kith(network, "suggest", "--limit", "1", "--format", "json").output)
    assert len(data) == 1
    assert kith(network, "suggest", "hermit").output == "no introductions to suggest for Hermit\n"


def test_suggest_unknown_slug_is_a_usage_error_with_did_you_mean(kith, network):
    result = kith(network, "suggest", "mary-somervile")
    assert result.exit_code == 2
    assert "did you mean `mary-somerville`?" in result.output
    assert "Traceback" not in result.output


def test_path_shows_the_chain_with_what_each_is_to_the_one_before(kith, network):
    result = kith(network, "path", "ada-lovelace", "mary-somerville")
    assert result.exit_code == 0
    assert result.output == (
        "Ada Lovelace -> Charles Babbage (colleague) -> Mary Somerville (mentor)\n"
    )
    back = kith(network, "path", "mary-somerville", "ada-lovelace")
    assert back.output == "Mary Somerville -> Charles Babbage (mentee) -> Ada Lovelace (colleague)\n"


def test_path_json(kith, network):
    data = json.loads(kith(network, "path", "ada-lovelace", "mary-somerville", "--format", "json").output)
    assert data["a"] == "ada-lovelace" and data["b"] == "mary-somerville"
    assert [(s["slug"], s["link"]) for s in data["path"]] == [
        ("ada-lovelace", None),
        ("charles-babbage", ["colleague"]),
        ("mary-somerville", ["mentor"]),
    ]


def test_path_none_says_so_and_exits_1(kith, network):
    result = kith(network, "path", "ada-lovelace", "hermit")
    assert result.exit_code == 1
    assert "no chain of people connects Ada Lovelace and Hermit" in result.output
    data = kith(network, "path", "ada-lovelace", "hermit", "--format", "json")
    assert data.exit_code == 1
    assert json.loads(data.output)["path"] is None


def test_path_unknown_slug_suggests_the_full_slug(kith, network):
    result = kith(network, "path", "ada", "mary-somerville")
    assert result.exit_code == 2
    assert "no person with slug `ada`" in result.output
    assert "did you mean `ada-lovelace`?" in result.output


def test_help_texts(kith, network):
    for command in ("suggest", "path"):
        result = kith(network, command, "--help")
        assert result.exit_code == 0
    assert "0 shows them all" in " ".join(kith(network, "suggest", "--help").output.split())
