"""`kith validate` as a command: output formats, exit codes, PATHS, --root,
usage errors, and the installed console script (GitHub issue 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def kith_script() -> str:
    """The installed `kith` console script: next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "kith"
    if beside.is_file():
        return str(beside)
    found = shutil.which("kith")
    assert found, "the kith console script is not installed (pip install -e .)"
    return found


def run_kith(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [kith_script(), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def no_traceback(result):
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def mixed(repo):
    """Good people, one with a warning, one with an error, one broken file."""
    repo.person("ada", "name: Ada\nmet: {via: bob}", "Knows [[bob]] and [[mary]].\n")
    repo.person("bob", "name: Bob\ntags: chess")  # warning: single-string
    repo.person("mary", "name: Mary\ncadence: weekly", folder="family")  # error
    repo.write("people/family/broken.md", "---\nname: [unclosed\n---\n")  # error
    return repo


# -- output --------------------------------------------------------------------


def test_clean_repository_exits_0_with_a_summary(kith, repo):
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-01-01 call: hi\n")
    repo.person("bob", "name: Bob", "Knows [[ada]].\n")
    result = no_traceback(kith(repo, "validate"))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["0 errors, 0 warnings in 2 files"]


def test_warnings_only_exit_0(kith, repo):
    repo.person("ada", "name: Ada\ntags: chess\nbirthdy: 2000-01-01")
    result = no_traceback(kith(repo, "validate"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("people/ada.md:3: warning: ") and lines[0].endswith("[single-string]")
    assert lines[1].startswith("people/ada.md:4: warning: ") and lines[1].endswith("[unknown-key]")
    assert lines[2] == "0 errors, 2 warnings in 1 file"


def test_errors_exit_1_and_read_like_a_linter(kith, mixed):
    result = no_traceback(kith(mixed, "validate"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "people/bob.md:3",
        "people/family/broken.md:2",
        "people/family/mary.md:3",
    ]
    assert lines[1].startswith("people/family/broken.md:2: error: ")
    assert lines[1].endswith("[yaml-syntax]")
    assert lines[2].startswith("people/family/mary.md:3: error: cadence `weekly`")
    assert lines[-1] == "2 errors, 1 warning in 4 files"


def test_json_format(kith, mixed):
    result = no_traceback(kith(mixed, "validate", "--format", "json"))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [sorted(item) for item in data] == [["code", "line", "message", "path", "severity"]] * 3
    assert [(d["path"], d["line"], d["severity"], d["code"]) for d in data] == [
        ("people/bob.md", 3, "warning", "single-string"),
        ("people/family/broken.md", 2, "error", "yaml-syntax"),
        ("people/family/mary.md", 3, "error", "cadence-invalid"),
    ]
    assert all(isinstance(d["line"], int) for d in data)


def test_json_of_a_clean_repository_is_an_empty_list(kith, repo):
    repo.person("ada", "name: Ada")
    result = kith(repo, "validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_non_ascii_names_and_paths_survive_json(kith, repo):
    repo.person("zoë", "name: Zoë Ångström\ncircle: bestie")
    data = json.loads(kith(repo, "validate", "--format", "json").stdout)
    assert data[0]["path"] == "people/zoë.md" and data[0]["code"] == "circle-invalid"


# -- PATHS -------------------------------------------------------------------------


def test_paths_restrict_the_report_to_those_files(kith, mixed):
    result = no_traceback(kith(mixed, "validate", "--format", "json", "people/ada.md"))
    # ada links to bob and mary (whose files have problems): ada itself is clean.
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_paths_still_check_links_against_everyone(kith, mixed):
    mixed.person("eve", "name: Eve", "Knows [[ada]], [[mary]] and [[ghost]].\n")
    result = no_traceback(kith(mixed, "validate", "--format", "json", "people/eve.md"))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in data] == [("people/eve.md", 5, "unknown-slug")]
    assert "ghost" in data[0]["message"]


def test_paths_can_be_folders(kith, mixed):
    result = no_traceback(kith(mixed, "validate", "--format", "json", "people/family"))
    assert result.exit_code == 1
    assert sorted(d["path"] for d in json.loads(result.stdout)) == [
        "people/family/broken.md",
        "people/family/mary.md",
    ]
    result = kith(mixed, "validate", "people/family/")
    assert result.stdout.splitlines()[-1] == "2 errors, 0 warnings in 2 files"


def test_several_paths(kith, mixed):
    result = kith(mixed, "validate", "--format", "json", "people/bob.md", "people/ada.md")
    assert result.exit_code == 0  # bob has a warning only
    assert [d["code"] for d in json.loads(result.stdout)] == ["single-string"]


def test_a_path_that_is_not_a_contact_file(kith, mixed):
    mixed.write("notes.md", "# not a contact\n")
    mixed.write("people/_template.md", "---\nname:\n---\n")
    result = no_traceback(kith(mixed, "validate", "--format", "json", "notes.md", "people/_template.md"))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in data] == [
        ("notes.md", 0, "path-outside"),
        ("people/_template.md", 0, "path-outside"),
    ]


# -- usage errors: exit 2 ---------------------------------------------------------------


def test_unknown_option_is_a_usage_error(kith, repo):
    repo.person("ada", "name: Ada")
    result = no_traceback(kith(repo, "validate", "--bogus"))
    assert result.exit_code == 2
    assert "--bogus" in result.output


def test_unknown_format_is_a_usage_error(kith, repo):
    repo.person("ada", "name: Ada")
    result = no_traceback(kith(repo, "validate", "--format", "xml"))
    assert result.exit_code == 2


def test_missing_path_is_a_usage_error(kith, repo):
    repo.person("ada", "name: Ada")
    result = no_traceback(kith(repo, "validate", "people/nobody.md"))
    assert result.exit_code == 2
    assert "people/nobody.md" in result.output


def test_root_without_people_is_a_usage_error(kith, repo, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (("validate", "--root", str(empty)), ("--root", str(empty), "validate")):
        result = no_traceback(kith(repo, *args))
        assert result.exit_code == 2, args
        assert "people/" in result.output
    result = no_traceback(kith(repo, "validate", "--root", str(tmp_path / "missing")))
    assert result.exit_code == 2


def test_no_repository_found_is_a_usage_error(kith, tmp_path):
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    result = no_traceback(kith(lonely, "validate"))
    assert result.exit_code == 2
    assert "people/" in result.output and "--root" in result.output


def test_root_option_from_elsewhere(kith, mixed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for args in (("validate", "--root", str(mixed.root)), ("--root", str(mixed.root), "validate")):
        result = no_traceback(kith(elsewhere, *args, "--format", "json"))
        assert result.exit_code == 1
        assert len(json.loads(result.stdout)) == 3


def test_help(kith, repo):
    result = kith(repo, "validate", "--help")
    assert result.exit_code == 0
    assert "--format" in result.output and "--root" in result.output


# -- the installed console script ---------------------------------------------------------


def test_console_script_end_to_end(mixed):
    result = run_kith("validate", cwd=mixed.root)
    assert result.returncode == 1
    assert "people/family/broken.md:2: error: " in result.stdout
    assert result.stdout.splitlines()[-1] == "2 errors, 1 warning in 4 files"

    result = run_kith("validate", "--format", "json", cwd=mixed.root)
    assert result.returncode == 1
    assert len(json.loads(result.stdout)) == 3

    result = run_kith("validate", "--nope", cwd=mixed.root)
    assert result.returncode == 2
    assert "--nope" in result.stderr


def test_console_script_from_a_subfolder_with_relative_paths(mixed):
    family = mixed.root / "people" / "family"
    result = run_kith("validate", "--format", "json", "mary.md", cwd=family)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in data] == [
        ("people/family/mary.md", 3, "cadence-invalid")
    ]


def test_console_script_on_hostile_and_broken_files(repo, tmp_path):
    canary = tmp_path / "pwned"
    repo.person("ada", f'name: !!python/object/apply:os.system ["touch {canary}"]')
    repo.write("people/bob.md", b"---\nname: B\xe9b\n---\n")
    repo.write("people/carol.md", "---\nname: Carol\n")
    repo.person("dan", "name: Dan")
    result = run_kith("validate", cwd=repo.root)
    assert not canary.exists()
    assert result.returncode == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()[:-1]] == [
        "people/ada.md:2",
        "people/bob.md:2",
        "people/carol.md:1",
    ]
    assert result.stderr == ""
