"""`kith enrich`, run through the real CLI on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kith import write
from kith.load import load_network

GOLDEN = Path(__file__).resolve().parent / "golden"


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under people/: bytes and mtime."""
    out = {}
    for path in sorted((root / "people").rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


@pytest.fixture
def golden_repo(repo):
    for path in sorted((GOLDEN / "in").glob("*.md")):
        repo.write(f"people/{path.name}", path.read_bytes())
    return repo


def test_golden_files_after_enrich_byte_for_byte(golden_repo, kith) -> None:
    result = kith(golden_repo, "enrich", "--region", "GB")
    assert result.exit_code == 0, result.output
    for expected in sorted((GOLDEN / "out").glob("*.md")):
        got = (golden_repo.root / "people" / expected.name).read_bytes()
        assert got == expected.read_bytes(), expected.name
    assert "people/grace-hopper.md: tags: made a list; phones: 020 7946 0000 -> +442079460000" in result.stdout
    assert "people/ada-lovelace.md" not in result.stdout  # nothing to change there
    assert (
        "people/grace-hopper.md:12: warning: phone `not a number` left as written: "
        "it is not a phone number [phone-unread]" in result.stderr
    )


def test_second_run_changes_nothing(golden_repo, kith) -> None:
    kith(golden_repo, "enrich", "--region", "GB")
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "enrich", "--region", "GB")
    assert result.exit_code == 0
    assert result.stdout == "nothing to change\n"
    assert snapshot(golden_repo.root) == before


def test_dry_run_prints_a_diff_and_leaves_bytes_and_mtimes(golden_repo, kith) -> None:
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "enrich", "--region", "GB", "--dry-run")
    assert result.exit_code == 0
    assert snapshot(golden_repo.root) == before
    assert "--- a/people/katherine-johnson.md\n+++ b/people/katherine-johnson.md\n" in result.stdout
    assert "\n-emails: [KJ@NASA.Gov]\n" in result.stdout
    assert "\n+emails: [KJ@nasa.gov]\n" in result.stdout
    assert "+  - {with: grace-hopper, type: mentor}\n" in result.stdout
    assert [name for name in os.listdir(golden_repo.root / "people") if name.startswith(".")] == []


def test_inverse_relationship_is_not_duplicated(repo, kith) -> None:
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: mary, type: mentor}")
    repo.person("mary", "name: Mary\nrelationships: [{with: ada, type: Mentee}]")
    result = kith(repo, "enrich")
    assert result.stdout == "nothing to change\n"


def test_inverse_goes_on_the_other_side_even_when_private(repo, kith) -> None:
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: mary, type: manager}")
    repo.person("mary", "name: Mary\nprivate: true")
    result = kith(repo, "enrich")
    assert result.exit_code == 0
    assert repo.read("people/mary.md") == (
        "---\nname: Mary\nprivate: true\nrelationships:\n  - {with: ada, type: report}\n---\n\n"
    )
    assert result.stdout == "people/mary.md: relationships: added {with: ada, type: report}\n"


def test_a_file_with_errors_is_refused_and_the_others_enriched(repo, kith) -> None:
    bad = repo.person("bad", "name: Bad\ncircle: bestie\nemails: [B@X.ORG]")
    before = bad.read_bytes()
    repo.person("good", "name: Good\nemails: [G@X.ORG]")
    result = kith(repo, "enrich")
    assert result.exit_code == 1
    assert bad.read_bytes() == before
    assert "emails: [G@x.org]" in repo.read("people/good.md")
    assert "people/bad.md:3: error: circle `bestie` is not one of" in result.stderr
    assert "people/bad.md:0: error: not enriched: fix the errors above first [enrich-refused]" in result.stderr


def test_numbers_without_country_code_need_a_region(repo, kith) -> None:
    repo.person("ada", 'name: Ada\nphones: ["020 7946 0000"]')
    result = kith(repo, "enrich")
    assert result.exit_code == 0
    assert "left as written: it has no +country code; pass --region XX" in result.stderr
    assert result.stdout == "nothing to change\n"
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      default_region: GB\n")
    result = kith(repo, "enrich")
    assert '"+442079460000"' in repo.read("people/ada.md")
    assert result.stdout == "people/ada.md: phones: 020 7946 0000 -> +442079460000\n"


def test_unknown_region_is_a_usage_error(repo, kith) -> None:
    repo.person("ada", "name: Ada")
    result = kith(repo, "enrich", "--region", "XX")
    assert result.exit_code == 2
    assert "not a country code" in result.output


def test_paths_limit_what_is_written(repo, kith) -> None:
    repo.person("ada", "name: Ada\nemails: [A@X.ORG]\nrelationships: [{with: bob, type: friend}]")
    bob = repo.person("bob", "name: Bob\nemails: [B@X.ORG]")
    before = bob.read_bytes()
    result = kith(repo, "enrich", "people/ada.md")
    assert result.exit_code == 0
    assert bob.read_bytes() == before
    assert "[A@x.org]" in repo.read("people/ada.md")
    assert kith(repo, "enrich", "README.md").exit_code == 2


def test_rename_moves_the_file_and_rewrites_every_reference(repo, kith) -> None:
    repo.person("jose", "name: José Ñúñez\nrelationships: [{with: ana, type: friend}]", "## Log\n\n- 2026-01-01 coffee: hi\n")
    repo.person(
        "ana",
        "name: Ana\nrelationships:\n  - {with: jose, type: friend}\nmet:\n  via: jose",
        "Met through [[jose]] (also [[jose|Pepe]]), not `[[jose]]`.\n",
    )
    repo.person("eve", "name: Eve\nmet: {via: [[jose]]}")
    result = kith(repo, "enrich", "--rename")
    assert result.exit_code == 0, result.output
    assert not (repo.root / "people/jose.md").exists()
    assert repo.read("people/jose-nunez.md").startswith("---\nname: José Ñúñez\n")
    assert repo.read("people/ana.md") == (
        "---\nname: Ana\nrelationships:\n  - {with: jose-nunez, type: friend}\nmet:\n  via: jose-nunez\n---\n\n"
        "Met through [[jose-nunez]] (also [[jose-nunez|Pepe]]), not `[[jose]]`.\n"
    )
    assert repo.read("people/eve.md") == "---\nname: Eve\nmet: {via: [[jose-nunez]]}\n---\n\n"
    assert "people/jose.md: renamed to people/jose-nunez.md" in result.stdout
    check = kith(repo, "validate")
    assert check.exit_code == 0, check.output
    assert kith(repo, "enrich", "--rename").stdout == "nothing to change\n"


def test_rename_takes_a_free_slug_when_the_name_is_taken(repo, kith) -> None:
    repo.person("john-smith", "name: John Smith")
    repo.person("jsmith", "name: John Smith")
    result = kith(repo, "enrich", "--rename")
    assert (repo.root / "people/john-smith-2.md").exists()
    assert "renamed to people/john-smith-2.md" in result.stdout
    assert kith(repo, "enrich", "--rename").stdout == "nothing to change\n"


def test_rename_dry_run_touches_nothing(repo, kith) -> None:
    repo.person("jose", "name: José Ñúñez")
    before = snapshot(repo.root)
    result = kith(repo, "enrich", "--rename", "--dry-run")
    assert "--- a/people/jose.md\n+++ b/people/jose-nunez.md\n" in result.stdout
    assert snapshot(repo.root) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")
def test_met_date_comes_from_the_commit_that_added_the_file(repo, kith, monkeypatch) -> None:
    repo.person("ada", "name: Ada")
    repo.person("bob", "name: Bob\nmet:\n  date: 2020-01-01")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2024-03-14T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-03-14T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for args in (["init", "-q"], ["add", "people"], ["commit", "-qm", "add"]):
        subprocess.run(["git", *args], cwd=repo.root, check=True)
    result = kith(repo, "enrich")
    assert result.stdout == "people/ada.md: met.date: 2024-03-14 (the day git added the file)\n"
    assert repo.read("people/ada.md") == "---\nname: Ada\nmet:\n  date: 2024-03-14\n---\n\n"
    assert load_network(repo.root).people["bob"].met.date.isoformat() == "2020-01-01"


def test_a_failing_write_leaves_the_file_whole_and_says_so(repo, kith, monkeypatch) -> None:
    ada = repo.person("ada", "name: Ada\nemails: [A@X.ORG]")
    before = ada.read_bytes()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", disk_full)
    result = kith(repo, "enrich")
    assert result.exit_code == 1
    assert ada.read_bytes() == before
    assert os.listdir(repo.root / "people") == ["ada.md"]
    assert "people/ada.md:0: error: not written: No space left on device [write-failed]" in result.stderr
