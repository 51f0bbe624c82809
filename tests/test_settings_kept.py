"""The settings read from mkdocs.yml are kept in .kith-cache/settings.json,
so that a quick command need not parse YAML: reused only while mkdocs.yml
is unchanged, and never trusted when they are not what kith wrote."""

from __future__ import annotations

import dataclasses
import json
import os
import types

import pytest

from kith import config
from kith.config import Settings, SettingsError, read_settings

YML = "site_name: test\nplugins:\n  - kith:\n      within: {within}\n      today: 2026-11-22\n      giving_kinds: [Intro, gift]\n"


@pytest.fixture
def later(monkeypatch):
    """A clock well past every file's last change (outside the racy window)."""
    monkeypatch.setattr(config, "time", types.SimpleNamespace(time_ns=lambda: 10**19))


def _repo(repo, within=3):
    (repo.root / ".kith-cache").mkdir(exist_ok=True)
    repo.write("mkdocs.yml", YML.format(within=within))
    return repo.root


def test_settings_are_kept_and_reused_while_mkdocs_yml_is_unchanged(repo, later, monkeypatch):
    root = _repo(repo)
    first = read_settings(root)
    assert first.within == 3 and first.giving_kinds == ("intro", "gift")
    kept = json.loads((root / ".kith-cache" / "settings.json").read_text())
    assert kept["settings"]["within"] == 3
    monkeypatch.setattr(config, "_parse_settings", lambda path: pytest.fail("parsed again"))
    assert read_settings(root) == first


def test_an_edited_mkdocs_yml_is_read_again(repo, later):
    root = _repo(repo, within=3)
    assert read_settings(root).within == 3
    stat = (root / "mkdocs.yml").stat()
    repo.write("mkdocs.yml", YML.format(within=9))  # same size
    os.utime(root / "mkdocs.yml", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime
    assert read_settings(root).within == 9


def test_settings_read_just_after_a_change_are_not_kept(repo):
    root = _repo(repo)
    assert read_settings(root).within == 3
    assert not (root / ".kith-cache" / "settings.json").exists()


@pytest.mark.parametrize(
    "kept",
    [
        "not json",
        json.dumps({"key": [0, 0, 0, 0], "settings": {}}),
        "SAME_KEY_WRONG_TYPES",
        "SAME_KEY_MISSING",
    ],
)
def test_kept_settings_that_are_not_what_kith_wrote_are_ignored(repo, later, kept):
    root = _repo(repo)
    good = read_settings(root)
    path = root / ".kith-cache" / "settings.json"
    written = json.loads(path.read_text())
    if kept == "SAME_KEY_WRONG_TYPES":
        written["settings"]["within"] = "3"
        written["settings"]["people_dir"] = ["elsewhere"]
        kept = json.dumps(written)
    elif kept == "SAME_KEY_MISSING":
        del written["settings"]["people_dir"]
        kept = json.dumps(written)
    path.write_text(kept)
    assert read_settings(root) == good


def test_a_symlinked_settings_file_is_not_followed(repo, later, tmp_path):
    root = _repo(repo)
    good = read_settings(root)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text((root / ".kith-cache" / "settings.json").read_text().replace('"within": 3', '"within": 99'))
    (root / ".kith-cache" / "settings.json").unlink()
    (root / ".kith-cache" / "settings.json").symlink_to(elsewhere)
    assert read_settings(root) == good
    assert '"within": 99' in elsewhere.read_text()  # untouched


def test_values_of_an_unexpected_type_are_never_kept(repo, later):
    root = _repo(repo)
    repo.write("mkdocs.yml", "plugins:\n  - kith:\n      within: seven\n")
    with pytest.raises(SettingsError, match="within: 'seven' is not a number of days"):
        read_settings(root)  # refused, as the plugin's own schema refuses it
    assert not (root / ".kith-cache" / "settings.json").exists()


def test_no_mkdocs_yml_means_the_defaults(repo):
    assert read_settings(repo.root) == Settings()


EVERY = """site_name: test
repo_url: https://example.org/me/network
edit_uri: edit/main/docs/
markdown_extensions:
  - admonition
  - toc:
      permalink: true
plugins:
  - kith:
      people_dir: folk
      giving_kinds: [Intro, gift]
      asking_kinds: [ask, Borrow]
      today: 2026-11-22
      within: 9
      limit: 4
      default_region: GB
      met_window: 20
      met_followup: 3
      intro_followup: 10
      raw_html: true
      contact_kinds: [Dinner, call]
      journal_dir: diary/
      me: [Me@Example.org]
      meeting_kind: Meet
      email_kind: mail
      alarm_time: "07:30"
      birthday_alarm_days: 2
"""


def test_every_setting_is_kept_as_read(repo, later, monkeypatch):
    (repo.root / ".kith-cache").mkdir()
    repo.write("mkdocs.yml", EVERY)
    parsed = read_settings(repo.root)
    defaults = Settings()
    # Every field differs from its default, so a field kept wrongly (or
    # not at all) shows.
    assert all(getattr(parsed, f.name) != getattr(defaults, f.name) for f in dataclasses.fields(Settings)), parsed
    monkeypatch.setattr(config, "_parse_settings", lambda path: pytest.fail("parsed again"))
    kept = read_settings(repo.root)
    assert kept == parsed
    assert {f.name: type(getattr(kept, f.name)) for f in dataclasses.fields(Settings)} == {
        f.name: type(getattr(parsed, f.name)) for f in dataclasses.fields(Settings)
    }


def test_every_field_of_settings_can_be_kept():
    # A field of a type the keeping does not know would never be kept, and
    # every command would parse mkdocs.yml again: add its type to config._CODECS.
    assert all(config._codec(f) is not None for f in dataclasses.fields(Settings))


@pytest.mark.parametrize("writer", ["0.0.1:00000000:1", None])
def test_settings_kept_by_another_kith_are_read_again(repo, later, writer):
    root = _repo(repo, within=3)
    read_settings(root)
    path = root / ".kith-cache" / "settings.json"
    kept = json.loads(path.read_text())
    kept["settings"]["within"] = 99  # what an older kith might have made of the same file
    if writer is None:
        del kept["writer"]  # the shape an older kith wrote
    else:
        kept["writer"] = writer
    path.write_text(json.dumps(kept))
    assert read_settings(root).within == 3


def test_settings_kept_for_another_root_are_read_again(repo, later, tmp_path):
    root = _repo(repo, within=3)
    read_settings(root)
    path = root / ".kith-cache" / "settings.json"
    kept = json.loads(path.read_text())
    kept["root"] = str(tmp_path / "elsewhere")
    kept["settings"]["within"] = 99
    path.write_text(json.dumps(kept))
    assert read_settings(root).within == 3
