"""gitinfo.last_changed in real git repositories, and the "Notes last
changed" line it puts on person cards."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from kith import gitinfo
from kith.config import Settings
from kith.gitinfo import last_changed, parse_log
from kith.load import load_network
from kith.render.context import SiteContext
from kith.render.pages import site_pages

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")


def git(root, *args, day: str | None = None):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def commit(root, day: str, *paths: str):
    git(root, "add", "-A", "--", *paths)
    git(root, "commit", "-q", "-m", f"change on {day}", day=day)


@pytest.fixture
def history(repo):
    git(repo.root, "init", "-q")
    repo.person("ada", "name: Ada")
    repo.person("bob", "name: Bob", folder="work")
    commit(repo.root, "2026-01-10", "people")
    repo.person("ada", "name: Ada Lovelace")
    repo.write("README.md", "not a contact\n")
    commit(repo.root, "2026-03-05", "people", "README.md")
    repo.person("zoe", "name: Zoë")
    commit(repo.root, "2026-04-01", "people")
    return repo


def test_parse_log_keeps_each_paths_newest_day():
    out = "\x002026-03-05\n\npeople/ada.md\n\x002026-01-10\n\npeople/ada.md\npeople/work/bob.md\n"
    assert parse_log(out) == {
        "people/ada.md": dt.date(2026, 3, 5),
        "people/work/bob.md": dt.date(2026, 1, 10),
    }


def test_last_changed_from_history(history):
    assert last_changed(history.root) == {
        "people/ada.md": dt.date(2026, 3, 5),
        "people/work/bob.md": dt.date(2026, 1, 10),
        "people/zoe.md": dt.date(2026, 4, 1),
    }


def test_only_the_paths_asked_for_and_uncommitted_files_are_absent(history):
    history.person("new", "name: New")
    history.person("bob", "name: Bob Edited", folder="work")  # edited, not committed
    found = last_changed(history.root, ["people/work/bob.md", "people/new.md"])
    assert found == {"people/work/bob.md": dt.date(2026, 1, 10)}


def test_a_rename_is_a_change_on_the_new_path(history):
    git(history.root, "mv", "people/zoe.md", "people/zoe-whitfield.md")
    commit(history.root, "2026-05-20", "people")
    assert last_changed(history.root)["people/zoe-whitfield.md"] == dt.date(2026, 5, 20)


def test_paths_are_relative_to_the_kith_root_inside_a_bigger_repository(tmp_path):
    git(tmp_path, "init", "-q")
    root = tmp_path / "crm"
    (root / "people").mkdir(parents=True)
    (root / "people" / "ada.md").write_text("---\nname: Ada\n---\n")
    commit(tmp_path, "2026-02-02", "crm")
    assert last_changed(root) == {"people/ada.md": dt.date(2026, 2, 2)}


def test_one_git_process_whatever_the_number_of_files(history, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(gitinfo.subprocess, "run", counting)
    assert len(last_changed(history.root)) == 3
    assert len(calls) == 1


def test_not_a_repository_or_no_git_means_no_dates(history, monkeypatch):
    other = history.root.parent / "plain"
    (other / "people").mkdir(parents=True)
    assert last_changed(other) == {}
    monkeypatch.setenv("PATH", "")
    assert last_changed(history.root) == {}


def test_a_repository_without_commits_means_no_dates(repo):
    git(repo.root, "init", "-q")
    repo.person("ada", "name: Ada")
    assert last_changed(repo.root) == {}


# -- on the site --------------------------------------------------------------


def person_html(root, slug: str) -> str:
    ctx = SiteContext(load_network(root), Settings(), dt.date(2026, 11, 22))
    (page,) = [p for p in site_pages(ctx) if p.slug == slug]
    return page.html(ctx)


def test_cards_say_when_the_notes_last_changed(history):
    html = person_html(history.root, "ada")
    assert 'Notes last changed <time datetime="2026-03-05">2026-03-05</time>' in html
    assert "2026-04-01" in person_html(history.root, "zoe")


def test_git_runs_once_per_build(history, monkeypatch):
    calls = []
    real = gitinfo.subprocess.run
    monkeypatch.setattr(gitinfo.subprocess, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    ctx = SiteContext(load_network(history.root), Settings(), dt.date(2026, 11, 22))
    pages = [p for p in site_pages(ctx) if p.kind == "person"]
    assert len(pages) == 3
    for page in pages:
        assert "Notes last changed" in page.html(ctx)
    assert len(calls) == 1


def test_no_line_outside_git(repo):
    repo.person("ada", "name: Ada")
    assert "last changed" not in person_html(repo.root, "ada")
