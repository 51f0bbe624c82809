"""Moving a person (`kith merge`, `kith enrich --rename`) moves the links to
them in the journal too: real notes in a temp dir, the real CLI, and
`kith validate` clean afterwards. A link in code, an escaped one and every
other byte of a note stay as written."""

from __future__ import annotations

import json

import pytest

from kith.load import load_network


def snapshot(root) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("people", "journal", "diary")
        if (root / folder).is_dir()
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


NOTE = (
    "---\r\n"
    "title: Fair day\r\n"
    "tags: [\"[[robert-smith]] in front matter is not a link\"]\r\n"
    "---\r\n"
    "- coffee: with [[robert-smith]] and [[ada]] at the fair\r\n"
    "\r\n"
    "Also [[robert-smith|Rob]] in prose, `[[robert-smith]]` in code, \\[[robert-smith]] escaped.\r\n"
    "\r\n"
    "```\r\n"
    "[[robert-smith]] in a fence\r\n"
    "```\r\n"
    "\r\n"
    "## Private\r\n"
    "\r\n"
    "- call: [[ robert-smith ]] about the job\r\n"
)
MOVED = (
    NOTE.replace("with [[robert-smith]] and", "with [[bob-smith]] and")
    .replace("[[robert-smith|Rob]]", "[[bob-smith|Rob]]")
    .replace("[[ robert-smith ]]", "[[ bob-smith ]]")
)


@pytest.fixture
def pair(repo):
    repo.person("bob-smith", "name: Bob Smith")
    repo.person("robert-smith", "name: Robert Smith")
    repo.person("ada", "name: Ada Lovelace", "Knows [[robert-smith]].\n")
    repo.write("journal/2026-11-21.md", "\ufeff" + NOTE)
    repo.write("journal/2026-11-22 lunch.md", "- lunch: with [[ada]] alone\n")
    repo.write("journal/undated.md", "No front matter, a link in prose: [[robert-smith]].")
    return repo


def test_merge_moves_journal_links_and_validate_is_clean(pair, kith) -> None:
    untouched = pair.root.joinpath("journal/2026-11-22 lunch.md").read_bytes()
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 0, result.output
    # Every link outside code moved, with its words and spacing; the rest byte for byte.
    assert pair.root.joinpath("journal/2026-11-21.md").read_bytes() == ("\ufeff" + MOVED).encode("utf-8")
    assert pair.read("journal/undated.md") == "No front matter, a link in prose: [[bob-smith]]."
    assert pair.root.joinpath("journal/2026-11-22 lunch.md").read_bytes() == untouched
    # The report names each file it changed, journal notes included.
    assert result.stdout.splitlines()[1:] == [
        "people/ada.md: references: robert-smith -> bob-smith (1)",
        "journal/2026-11-21.md: references: robert-smith -> bob-smith (3)",
        "journal/undated.md: references: robert-smith -> bob-smith (1)",
        "people/robert-smith.md: removed: merged into people/bob-smith.md",
    ]
    errors = [f for f in json.loads(kith(pair, "validate", "--format", "json").stdout) if f["severity"] == "error"]
    assert errors == []
    # The journal's entries now count for Bob, the private one still private.
    note = next(n for n in load_network(pair.root).journal if n.relpath == "journal/2026-11-21.md")
    assert [(e.mentions, e.private) for e in note.entries] == [(("bob-smith", "ada"), False), (("bob-smith",), True)]


def test_merge_dry_run_shows_the_journal_diff_and_writes_nothing(pair, kith) -> None:
    before = snapshot(pair.root)
    result = kith(pair, "merge", "bob-smith", "robert-smith", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(pair.root) == before
    out = result.stdout
    assert "--- a/journal/2026-11-21.md\n+++ b/journal/2026-11-21.md\n" in out
    assert "-- coffee: with [[robert-smith]] and [[ada]] at the fair\n+- coffee: with [[bob-smith]] and [[ada]] at the fair\n" in out
    assert "+++ b/journal/undated.md\n" in out
    assert "lunch" not in out


@pytest.mark.parametrize("failing_call", [2, 3])
def test_a_journal_note_that_cannot_be_written_leaves_every_file_as_it_was(pair, kith, full_disk, failing_call) -> None:
    before = snapshot(pair.root)
    calls = full_disk(lambda n: n == failing_call)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 1
    assert "journal" in calls[failing_call - 1].as_posix()
    assert "not merged, every file left as it was: No space left on device [write-failed]" in result.stderr
    assert snapshot(pair.root) == before


def test_merge_waits_for_a_journal_note_it_cannot_read(pair, kith) -> None:
    pair.write("journal/2026-11-23.md", b"- caf\xe9 with [[robert-smith]]\n")
    before = snapshot(pair.root)
    result = kith(pair, "merge", "bob-smith", "robert-smith")
    assert result.exit_code == 1
    assert (
        "journal/2026-11-23.md:0: error: not merged: journal/2026-11-23.md cannot be read as a journal note "
        "and mentions `robert-smith`" in result.stderr
    )
    assert snapshot(pair.root) == before


def test_merge_follows_the_configured_journal_folder(repo, kith) -> None:
    repo.write("mkdocs.yml", "site_name: t\nplugins:\n  - kith:\n      journal_dir: diary\n")
    repo.person("a", "name: Ann Wu")
    repo.person("b", "name: Anne Wu")
    repo.write("diary/2026-01-02.md", "- call: [[b]]\n")
    repo.write("journal/2026-01-02.md", "- call: [[b]] (not the journal: left alone)\n")
    result = kith(repo, "merge", "a", "b")
    assert result.exit_code == 0, result.output
    assert repo.read("diary/2026-01-02.md") == "- call: [[a]]\n"
    assert repo.read("journal/2026-01-02.md") == "- call: [[b]] (not the journal: left alone)\n"
    assert kith(repo, "validate").exit_code == 0


def test_rename_moves_journal_links(repo, kith) -> None:
    repo.person("jose", "name: José Núñez")
    repo.write("journal/2026-03-04.md", "- dinner: [[jose|José]] and `[[jose]]`\n")
    dry = kith(repo, "enrich", "--rename", "--dry-run")
    assert "+- dinner: [[jose-nunez|José]] and `[[jose]]`\n" in dry.stdout
    assert repo.read("journal/2026-03-04.md") == "- dinner: [[jose|José]] and `[[jose]]`\n"
    result = kith(repo, "enrich", "--rename")
    assert result.exit_code == 0, result.output
    assert "journal/2026-03-04.md: references: jose -> jose-nunez (1)" in result.stdout
    assert repo.read("journal/2026-03-04.md") == "- dinner: [[jose-nunez|José]] and `[[jose]]`\n"
    assert kith(repo, "validate").exit_code == 0
    assert kith(repo, "enrich", "--rename").stdout == "nothing to change\n"


def test_renames_that_free_each_others_slugs_move_each_link_once(repo, kith) -> None:
    # `a` becomes `b-2` and `b` becomes `a` (freed by the first): applied
    # the other way round, `[[a]]` would end as `[[b-2]]` twice over.
    repo.person("a", "name: B", folder="z")
    repo.person("b", "name: A")
    repo.person("c", "name: C\nrelationships: [{with: a}, {with: b}]", "[[a]] and [[b]]\n")
    repo.write("journal/2026-03-04.md", "- call: [[a]] and [[b]]\n")
    result = kith(repo, "enrich", "--rename")
    assert result.exit_code == 0, result.output
    network = load_network(repo.root)
    assert network.people["b-2"].name == "B" and network.people["a"].name == "A"
    assert repo.read("journal/2026-03-04.md") == "- call: [[b-2]] and [[a]]\n"
    assert "[[b-2]] and [[a]]" in repo.read("people/c.md")
    assert kith(repo, "validate").exit_code == 0


def test_a_journal_note_with_errors_holds_a_rename_back(repo, kith) -> None:
    repo.person("jose", "name: José Núñez")
    repo.write("journal/2026-02-30.md", "- dinner: [[jose]]\n")  # no such day
    before = snapshot(repo.root)
    result = kith(repo, "enrich", "--rename")
    assert "not renamed to jose-nunez.md: journal/2026-02-30.md refers to it and has errors; fix those first" in result.stderr
    assert snapshot(repo.root) == before


def test_a_note_that_cannot_be_read_when_rewritten_refuses_the_move(tmp_path):
    """A note the journal read but that is gone when the move reads it again
    stops the move with the note's name, not a traceback."""
    import pytest

    from kith.references import NoteRefused, NoteRewrite

    gone = tmp_path / "journal" / "2026-11-20.md"
    rewrite = NoteRewrite({"journal/2026-11-20.md": gone})
    with pytest.raises(NoteRefused) as refused:
        rewrite.changes([("ada", "ada-king")])
    assert refused.value.relpath == "journal/2026-11-20.md"
    assert "cannot be read" in refused.value.message
