"""`kith merge KEEP OTHER` through the real CLI on real files: nothing lost,
every reference rewritten, all files or none, and a dry run that writes
nothing."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from kith.load import load_network

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def snapshot(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "people").rglob("*")) if p.is_file()}


@pytest.fixture
def pair(repo):
    """Bob from a phone, Robert from LinkedIn, and people who refer to Robert."""
    # `020 7946 0001` is Bob's `+44 20 7946 0001` for someone in GB.
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      default_region: GB\n")
    repo.person(
        "bob-smith",
        """
        name: Bob Smith   # from the phone
        emails: [bob@example.org]
        phones: ["+44 20 7946 0001"]
        company: Acme
        circle: friend
        tags: [chess]
        met: {where: the chess club}
        relationships:
          - {with: robert-smith, type: friend}
        """,
        """
        Bob from the phone. Same as [[robert-smith]]?

        ## Log

        - 2026-10-01 coffee: chess talk
        - 2026-08-15 call: about the tournament
        - [ ] 2026-12-01 send the chess book
        """,
    )
    repo.person(
        "robert-smith",
        """
        name: Robert Smith
        emails: [Bob@Example.org, robert@acme.example]
        phones: ["020 7946 0001", "+1 202 555 0143"]
        company: Acme Ltd
        title: CTO
        cadence: 2m
        links: {linkedin: "https://www.linkedin.com/in/rsmith/"}
        met: {date: 2025-05-01, via: ada, event: PyCon US 2025}
        tags: [Chess, go]
        interests: [boards]
        relationships:
          - {with: ada, type: mentor}
          - {with: bob-smith, type: friend}
        """,
        """
        Robert from LinkedIn. Works with [[ada]]; knows [[bob-smith|Bob]].

        ## Log

        - 2026-11-02 call: about the board with [[ada]]
        - 2026-09-01 met: at the club
        - [x] 2026-09-05 thank-you note

        ## Private

        He is looking for a new job.
        """,
    )
    repo.person(
        "ada",
        """
        name: Ada Lovelace
        relationships:
          - {with: robert-smith, type: mentee}
          - {with: bob-smith, type: mentee}
        """,
        "Mentor of [[robert-smith]].\n\n## Log\n\n- 2026-10-10 intro: introduced [[robert-smith|Rob]] to [[grace]]\n",
    )
    repo.person("grace", "name: Grace Hopper\nmet: {via: robert-smith}")
    return repo


def test_merge_keeps_every_value_and_reference(pair, kith) -> None:
    result = kith(pair, "merge", "bob-smith", "robert-smith", "--today", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert not (pair.root / "people/robert-smith.md").exists()
    assert result.stderr == (
        "people/bob-smith.md:5: warning: company: kept `Acme`, `Acme Ltd` from people/robert-smith.md "
        "went into the notes [merge-conflict]\n"
    )
    network = load_network(pair.root)
    bob = network.people["bob-smith"]
    assert bob.name == "Bob Smith" and bob.aka == ["Robert Smith"]
    assert bob.emails == ["bob@example.org", "robert@acme.example"]
    assert bob.phones == ["+44 20 7946 0001", "+1 202 555 0143"]
    assert bob.tags == ["chess", "go"]
    assert (bob.company, bob.title, bob.circle, bob.cadence.text) == ("Acme", "CTO", "friend", "2m")
    assert bob.links == {"linkedin": "https://www.linkedin.com/in/rsmith/"}
    assert (bob.met.date.isoformat(), bob.met.where, bob.met.event, bob.met.via) == (
        "2025-05-01", "the chess club", "PyCon US 2025", "ada"
    )
    assert bob.interests == ["boards"]
    assert [(r.other, r.type) for r in bob.relationships] == [("ada", "mentor")]
    # The log in date order, newest first as Bob's was; tasks after.
    assert [(e.date.isoformat(), e.kind) for e in bob.log] == [
        ("2026-11-02", "call"), ("2026-10-01", "coffee"), ("2026-09-01", "met"), ("2026-08-15", "call")
    ]
    assert [(t.text, t.done) for t in bob.tasks] == [("send the chess book", False), ("thank-you note", True)]
    # Notes: both, and the value that lost; the private section stays private.
    assert "Bob from the phone. Same as Bob Smith?" in bob.notes
    assert "Robert from LinkedIn. Works with [[ada]]; knows Bob." in bob.notes
    assert "values kept from there: company: Acme Ltd." in bob.notes
    assert "new job" not in bob.notes
    text = pair.read("people/bob-smith.md")
    assert text.endswith("## Private\n\nHe is looking for a new job.\n")
    assert "name: Bob Smith   # from the phone\n" in text
    # Everyone who named Robert now names Bob, once.
    ada = network.people["ada"]
    assert [(r.other, r.type) for r in ada.relationships] == [("bob-smith", "mentee")]
    assert "Mentor of [[bob-smith]]." in ada.notes
    assert ada.log[0].text == "introduced [[bob-smith|Rob]] to [[grace]]"
    assert network.people["grace"].met.via == "bob-smith"
    check = kith(pair, "validate", "--format", "json")
    assert json.loads(check.stdout) == []
    assert result.stdout.splitlines()[1:] == [
        "people/ada.md: references: robert-smith -> bob-smith (3); dropped 1 relationship(s) now given twice",
        "people/grace.md: references: robert-smith -> bob-smith (1)",
        "people/robert-smith.md: removed: merged into people/bob-smith.md",
    ]


def test_prefer_other_takes_the_other_values_and_name(pair, kith) -> None:
    result = kith(pair, "merge", "bob-smith", "robert-smith", "--prefer", "other", "--today", "2026-12-03")
    assert result.exit_code == 0, result.output
    bob = load_network(pair.root).people["bob-smith"]
    assert bob.name == "Robert Smith" and bob.aka == ["Bob Smith"]
    assert bob.company == "Acme Ltd"
    assert "values kept from there: company: Acme." in bob.notes
    assert "kept `Acme Ltd`, `Acme` from people/robert-smith.md went into the notes" in result.stderr


def test_dry_run_prints_the_whole_diff_and_writes_nothing(pair, kith) -> None:
    before = snapshot(pair.root)
    result = kith(pair, "merge", "bob-smith", "robert-smith", "--dry-run", "--today", "2026-12-03")
    assert result.exit_code == 0
    assert snapshot(pair.root) == before
    out = result.stdout
    assert "+++ b/people/bob-smith.md" in out and "+++ b/people/ada.md" in out and "+++ b/people/grace.md" in out
    assert "--- a/people/robert-smith.md\n+++ /dev/null\n" in out
    assert "-He is looking for a new job.\n" in out and "+He is looking for a new job.\n" in out


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_failure_half_way_leaves_every_file_as_it_was(pair, kith, full_disk, failing_call) -> None:
    before = snapshot(pair.root)
    full_disk(lambda n: n == failing_call)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 1
    assert "not merged, every file left as it was: No space left on device [write-failed]" in result.stderr
    assert snapshot(pair.root) == before


def test_a_failed_removal_puts_every_written_file_back(pair, kith, monkeypatch) -> None:
    from kith import git

    before = snapshot(pair.root)

    def cannot_remove(path, cwd):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(git, "remove_file", cannot_remove)
    monkeypatch.setattr("kith.cli.tidy.remove_file", cannot_remove)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 1
    assert "Permission denied" in result.stderr
    assert snapshot(pair.root) == before


def test_a_tracked_file_is_removed_with_git_rm(pair, kith) -> None:
    subprocess.run(["git", "init", "-q"], cwd=pair.root, check=True, env=GIT_ENV)
    subprocess.run(["git", "add", "-A"], cwd=pair.root, check=True, env=GIT_ENV)
    subprocess.run(["git", "commit", "-qm", "people"], cwd=pair.root, check=True, env=GIT_ENV)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 0, result.output
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=pair.root, capture_output=True, text=True, env=GIT_ENV, check=True
    ).stdout.splitlines()
    assert "D  people/robert-smith.md" in status
    assert " M people/bob-smith.md" in status


def test_an_ascending_log_stays_ascending(repo, kith) -> None:
    repo.person("a", "name: Ann Wu", "## Log\n\n- 2026-01-01 call: one\n- 2026-03-01 call: three\n")
    repo.person("b", "name: Anne Wu", "## Log\n\n- 2026-04-01 call: four\n- 2026-02-01 call: two\n")
    assert kith(repo, "merge", "a", "b").exit_code == 0
    assert repo.read("people/a.md") == (
        "---\nname: Ann Wu\naka: [Anne Wu]\n---\n\n## Log\n\n"
        "- 2026-01-01 call: one\n- 2026-02-01 call: two\n- 2026-03-01 call: three\n- 2026-04-01 call: four\n"
    )


def test_other_log_and_private_sections_arrive_where_keep_has_none(repo, kith) -> None:
    repo.person("a", "name: Ann Wu\nprivate: false", "Just notes.")
    repo.person(
        "b",
        "name: Ann Wu\nprivate: true",
        "Hers.\n\n## Log\n\n- 2026-02-01 call: two\n\n### Private\n\n- 2026-03-01 call: secret\n\n## Private\n\nAll hers.\n",
    )
    result = kith(repo, "merge", "a", "b")
    assert result.exit_code == 0, result.output
    text = repo.read("people/a.md")
    assert text == (
        "---\nname: Ann Wu\nprivate: true\n---\n\nJust notes.\n\nHers.\n\n## Log\n\n- 2026-02-01 call: two\n\n"
        "### Private\n\n- 2026-03-01 call: secret\n\n## Private\n\nAll hers.\n"
    )
    person = load_network(repo.root).people["a"]
    assert person.private
    assert [(e.text, e.private) for e in person.log] == [("two", False), ("secret", True)]


def test_merge_refuses_what_it_cannot_do_safely(repo, kith) -> None:
    repo.person("a", "name: Ann")
    repo.person("b", "name: Anne", "```\nunclosed code\n\n## Private\n\nsecret\n")
    before = snapshot(repo.root)
    same = kith(repo, "merge", "a", "a")
    assert same.exit_code == 1 and "give two people [merge-refused]" in same.stderr
    missing = kith(repo, "merge", "a", "nobody")
    assert missing.exit_code == 1 and "no person `nobody`" in missing.stderr
    fence = kith(repo, "merge", "a", "b")
    assert fence.exit_code == 1
    assert "unclosed ``` code block; close it first [merge-refused]" in fence.stderr
    assert snapshot(repo.root) == before


def test_merge_waits_for_an_unreadable_file_that_mentions_other(pair, kith) -> None:
    pair.write("people/broken.md", "---\nname: [unclosed\n---\nKnows [[robert-smith]].\n")
    before = snapshot(pair.root)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 1
    assert "people/broken.md:0: error: not merged: people/broken.md cannot be read as a contact and mentions `robert-smith`" in result.stderr
    assert snapshot(pair.root) == before
