"""`kith new` and `kith log`, through the real CLI on real files."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from kith.load import load_network

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


# -- kith new ------------------------------------------------------------------


def test_new_writes_a_valid_contact_and_prints_its_path(repo, kith) -> None:
    result = kith(
        repo, "new", "Zoë Ångström", "--company", "Acme: Labs", "--tag", "physics", "--tag", "no",
        "--met-at", "PyCon US", "--today", "2026-11-22",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/zoe-angstrom.md\n"
    assert repo.read("people/zoe-angstrom.md") == (
        "---\nname: Zoë Ångström\ncompany: \"Acme: Labs\"\ntags: [physics, \"no\"]\n"
        "met:\n  date: 2026-11-22\n  where: PyCon US\n---\n\n## Log\n"
    )
    check = kith(repo, "validate")
    assert check.exit_code == 0
    assert check.stdout == "0 errors, 0 warnings in 1 file\n"


def test_new_takes_today_from_kith_today(repo, kith, monkeypatch) -> None:
    monkeypatch.setenv("KITH_TODAY", "2026-02-03")
    kith(repo, "new", "Ada")
    assert "  date: 2026-02-03\n" in repo.read("people/ada.md")


def test_new_refuses_an_existing_slug_anywhere_in_people(repo, kith) -> None:
    existing = repo.person("ada-lovelace", "name: Ada", folder="friends")
    before = existing.read_bytes()
    result = kith(repo, "new", "Ada Lovelace")
    assert result.exit_code == 1
    assert result.stderr == (
        "people/friends/ada-lovelace.md:1: error: people/friends/ada-lovelace.md already exists; "
        "if this is someone else, choose another file name with --slug ada-lovelace-2 [slug-taken]\n"
    )
    assert existing.read_bytes() == before
    assert not (repo.root / "people/ada-lovelace.md").exists()
    again = kith(repo, "new", "Ada Lovelace", "--slug", "ada-lovelace-2")
    assert again.stdout == "people/ada-lovelace-2.md\n"


def test_new_romanises_a_name_in_another_script(repo, kith) -> None:
    result = kith(repo, "new", "李小龍", "--today", "2026-11-22")
    assert result.stdout == "people/li-xiao-long.md\n"
    assert repo.read("people/li-xiao-long.md").startswith("---\nname: 李小龍\n")
    assert kith(repo, "new", "최유림", "--today", "2026-11-22").stdout == "people/choe-yu-lim.md\n"


def test_new_needs_a_usable_slug(repo, kith) -> None:
    assert kith(repo, "new", "???").exit_code == 2
    assert kith(repo, "new", "李小龍", "--slug", "Not A Slug").exit_code == 2
    result = kith(repo, "new", "李小龍", "--slug", "li-xiaolong", "--today", "2026-11-22")
    assert result.stdout == "people/li-xiaolong.md\n"
    assert repo.read("people/li-xiaolong.md").startswith("---\nname: 李小龍\n")


def test_new_dry_run_writes_nothing(repo, kith) -> None:
    result = kith(repo, "new", "Ada", "--dry-run", "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- /dev/null\n+++ b/people/ada.md\n")
    assert "+name: Ada\n" in result.stdout
    assert os.listdir(repo.root / "people") == []


# -- kith log ------------------------------------------------------------------


def test_log_adds_the_entry_at_the_top_of_the_log(repo, kith) -> None:
    repo.person(
        "ada",
        "name: Ada  # hi\ncadence: 2w",
        "Notes.\n\n## Log\n\n- 2026-10-01 coffee: old\n\n## Ideas\n\n- 2020-01-01 not a log line\n",
    )
    result = kith(repo, "log", "ada", "call: about the publisher", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/ada.md: - 2026-11-22 call: about the publisher\n"
    assert repo.read("people/ada.md") == (
        "---\nname: Ada  # hi\ncadence: 2w\n---\n\nNotes.\n\n## Log\n\n"
        "- 2026-11-22 call: about the publisher\n- 2026-10-01 coffee: old\n\n"
        "## Ideas\n\n- 2020-01-01 not a log line\n"
    )
    person = load_network(repo.root).people["ada"]
    assert person.last_contact.isoformat() == "2026-11-22"


def test_log_keeps_crlf_and_bom(repo, kith) -> None:
    raw = b"\xef\xbb\xbf---\r\nname: Ada\r\n---\r\n\r\n## Log\r\n\r\n- 2026-01-01 coffee: hi\r\n"
    path = repo.write("people/ada.md", raw)
    kith(repo, "log", "ada", "intro: to [[bob]]", "--date", "2026-11-20")
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\r\nname: Ada\r\n---\r\n\r\n## Log\r\n\r\n"
        b"- 2026-11-20 intro: to [[bob]]\r\n- 2026-01-01 coffee: hi\r\n"
    )


def test_log_creates_the_section_when_missing(repo, kith) -> None:
    repo.person("ada", "name: Ada", "Just notes.")
    kith(repo, "log", "ada", "coffee: hi", "--today", "2026-11-22")
    assert repo.read("people/ada.md") == (
        "---\nname: Ada\n---\n\nJust notes.\n\n## Log\n\n- 2026-11-22 coffee: hi\n"
    )


def test_log_task(repo, kith) -> None:
    repo.person("ada", "name: Ada", "## Log\n- 2026-01-01 coffee: hi\n")
    result = kith(repo, "log", "ada", "--task", "send the deck", "--due", "2026-12-01")
    assert result.exit_code == 0
    assert repo.read("people/ada.md").endswith("## Log\n- [ ] 2026-12-01 send the deck\n- 2026-01-01 coffee: hi\n")
    person = load_network(repo.root).people["ada"]
    assert [t.due.isoformat() for t in person.open_tasks] == ["2026-12-01"]


def test_log_dry_run_prints_the_diff_only(repo, kith) -> None:
    path = repo.person("ada", "name: Ada", "## Log\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = kith(repo, "log", "ada", "coffee: hi", "--dry-run", "--today", "2026-11-22")
    assert result.exit_code == 0
    assert "+- 2026-11-22 coffee: hi\n" in result.stdout
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_log_unknown_slug_suggests_a_name(repo, kith) -> None:
    repo.person("ada-lovelace", "name: Ada")
    result = kith(repo, "log", "ada-lovelase", "coffee: hi")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no person `ada-lovelase`: there is no ada-lovelase.md under people/; "
        "did you mean `ada-lovelace`? [no-person]\n"
    )
    assert "did you mean `ada-lovelace`?" in kith(repo, "log", "ada", "coffee: hi").stderr


@pytest.mark.parametrize(
    "args",
    [
        ["ada"],
        ["ada", "coffee: hi", "--task", "x"],
        ["ada", "coffee: hi", "--due", "2026-01-01"],
        ["ada", "2026-01-01 coffee: hi"],
        ["ada", "   "],
        ["ada", "coffee: hi", "--date", "yesterday"],
    ],
)
def test_log_usage_errors(repo, kith, args) -> None:
    path = repo.person("ada", "name: Ada")
    before = path.read_bytes()
    assert kith(repo, "log", *args).exit_code == 2
    assert path.read_bytes() == before


def test_log_reports_a_file_without_front_matter(repo, kith) -> None:
    repo.write("people/ada.md", "no front matter\n")
    result = kith(repo, "log", "ada", "coffee: hi")
    assert result.exit_code == 1
    assert result.stderr.startswith("people/ada.md:1: error: no front matter")


def test_log_commit_outside_git_is_an_error_and_writes_nothing(repo, kith, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root.parent))
    path = repo.person("ada", "name: Ada")
    before = path.read_bytes()
    result = kith(repo, "log", "ada", "coffee: hi", "--commit")
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")
def test_log_commit_commits_that_file_alone(repo, kith, monkeypatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo.person("ada", "name: Ada Lovelace")
    other = repo.person("bob", "name: Bob")
    for args in (["init", "-q"], ["add", "people"], ["commit", "-qm", "start"]):
        subprocess.run(["git", *args], cwd=repo.root, check=True)
    other.write_text("---\nname: Bob (staged, not to be committed)\n---\n", encoding="utf-8")
    subprocess.run(["git", "add", "people/bob.md"], cwd=repo.root, check=True)
    result = kith(repo, "log", "ada", "coffee: hi", "--commit", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo.root, check=True, capture_output=True, text=True).stdout

    assert git("log", "-1", "--format=%s") == "log: Ada Lovelace (coffee)\n"
    assert git("show", "--name-only", "--format=", "HEAD") == "people/ada.md\n"
    assert git("diff", "--cached", "--name-only") == "people/bob.md\n"


# -- writes that cannot be lost or hidden (trust issue) -----------------------------


def test_twenty_kith_log_at_once_keep_twenty_entries(repo):
    """Every command that reports success has its entry on disk."""
    import subprocess
    import sys

    repo.person("ada", "name: Ada", "## Log\n\n- 2026-01-01 call: first\n")
    env = {**os.environ, "KITH_TODAY": "2026-11-22"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kith", "log", "ada", f"call: number {n}"],
            cwd=repo.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    results = [(run.wait(timeout=120), run.communicate()) for run in runs]
    text = repo.read("people/ada.md")
    succeeded = [n for n, (code, _) in enumerate(results) if code == 0]
    for n in succeeded:
        assert f"call: number {n}\n" in text, f"run {n} reported success, its entry is missing"
    for code, (_, err) in results:
        assert code == 0 or "error:" in err
    assert len(succeeded) == 20
    assert "- 2026-01-01 call: first" in text


def test_kith_log_refuses_a_file_with_an_unclosed_fence(repo, kith):
    before = "---\nname: Bob\n---\n\n```python\nx = 1\n\n## Log\n\n- 2026-01-01 call: hi\n"
    repo.write("people/bob.md", before)
    result = kith(repo, "log", "bob", "call: again")
    assert result.exit_code == 1
    assert "people/bob.md:5: error:" in result.output and "[fence-unclosed]" in result.output
    assert repo.read("people/bob.md") == before
    assert "[fence-unclosed]" in kith(repo, "validate").output


def test_a_public_entry_never_lands_in_a_private_part_of_the_log(repo, kith):
    repo.person("cy", "name: Cy", "## Log\n\n### Private\n\n- 2026-01-01 call: secret\n")
    assert kith(repo, "log", "cy", "call: public", "--date", "2026-02-01").exit_code == 0
    from kith.load import load_network

    person = load_network(repo.root).people["cy"]
    public = [e.text for e in person.log if not e.private]
    assert public == ["public"]
