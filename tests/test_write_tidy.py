"""The writer's edits used by the tidying commands: removing a key or item,
unlinking mentions, replacing one body line, and writing several files all
or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kith.write import Change, Document, Removal, WriteError, apply_all, diff_all


@pytest.mark.parametrize(
    "text, path, expected",
    [
        (
            "---\nname: A\nmet:\n  date: 2024-01-01  # hi\n  via: bob   # who\nx: 1\n---\n",
            ("met", "via"),
            "---\nname: A\nmet:\n  date: 2024-01-01  # hi\nx: 1\n---\n",
        ),
        ("---\nname: A\nmet:\n  via: bob\nx: 1\n---\n", ("met", "via"), "---\nname: A\nx: 1\n---\n"),
        ("---\nname: A\nmet: {date: 2024-01-01, via: bob}\n---\n", ("met", "via"), "---\nname: A\nmet: {date: 2024-01-01}\n---\n"),
        ("---\nname: A\nmet: {via: bob, date: 2024-01-01}\n---\n", ("met", "via"), "---\nname: A\nmet: {date: 2024-01-01}\n---\n"),
        (
            "---\nname: A\nrelationships:\n  - {with: b, type: friend}  # c\n  - {with: c}\n---\nbody\n",
            ("relationships", 0),
            "---\nname: A\nrelationships:\n  - {with: c}\n---\nbody\n",
        ),
        ("---\nname: A\ntags: [a, b, c]\n---\n", ("tags", 1), "---\nname: A\ntags: [a, c]\n---\n"),
        ("---\nname: A\ntags: [a, b, c]\n---\n", ("tags", 2), "---\nname: A\ntags: [a, b]\n---\n"),
        (
            "---\nname: A\nrelationships:\n- with: b\n  type: friend\n- with: c\n---\n",
            ("relationships", 0),
            "---\nname: A\nrelationships:\n- with: c\n---\n",
        ),
        ("---\nname: A\nnote: |\n  two\n  lines\nz: 2\n---\n", ("note",), "---\nname: A\nz: 2\n---\n"),
        ("---\r\nname: A\r\nsnooze: 2026-01-01 # x\r\n---\r\n", ("snooze",), "---\r\nname: A\r\n---\r\n"),
    ],
)
def test_remove_in_takes_out_the_value_and_its_line_only(text: str, path: tuple, expected: str) -> None:
    doc = Document.from_text(text)
    assert doc.remove_in(path) is True
    assert doc.text() == expected


def test_remove_in_of_nothing_changes_nothing() -> None:
    doc = Document.from_text("---\nname: A\n---\n")
    assert doc.remove_in(("snooze",)) is False
    assert doc.remove_in(("met", "via")) is False
    assert doc.text() == "---\nname: A\n---\n"


def test_unlink_mentions_keeps_the_words_and_code() -> None:
    doc = Document.from_text("---\nname: A\n---\nSee [[bob]], [[ bob |Bobby]] and `[[bob]]`; [[bobby]].\n```\n[[bob]]\n```\n")
    assert doc.unlink_mentions("bob", "Bob Smith") == 2
    assert doc.body == "See Bob Smith, Bobby and `[[bob]]`; [[bobby]].\n```\n[[bob]]\n```\n"


def test_replace_body_line_refuses_a_line_that_changed() -> None:
    doc = Document.from_text("---\nname: A\n---\n\n- [ ] 2026-01-01 x\n")
    assert doc.body_line(5) == "- [ ] 2026-01-01 x"
    with pytest.raises(WriteError):
        doc.replace_body_line(5, "- [ ] 2026-01-01 y", "- [x] 2026-01-01 y")
    with pytest.raises(WriteError):
        doc.body_line(2)  # front matter, not body


def files(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}


def test_apply_all_writes_everything_then_removes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"a")
    (tmp_path / "b.md").write_bytes(b"b")
    changes = [
        Removal(tmp_path / "b.md", b"b", b"", []),
        Change(tmp_path / "a.md", b"a", b"A", []),
        Change(tmp_path / "c.md", None, b"C", []),
    ]
    apply_all(changes)
    assert files(tmp_path) == {"a.md": b"A", "c.md": b"C"}


def test_apply_all_checks_every_file_before_writing_any(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"a")
    (tmp_path / "b.md").write_bytes(b"edited meanwhile")
    with pytest.raises(WriteError, match="b.md changed on disk"):
        apply_all([Change(tmp_path / "a.md", b"a", b"A", []), Change(tmp_path / "b.md", b"b", b"B", [])])
    assert files(tmp_path) == {"a.md": b"a", "b.md": b"edited meanwhile"}


def test_apply_all_puts_back_what_it_wrote_when_a_step_fails(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.md").write_bytes(b"a")
    (tmp_path / "b.md").write_bytes(b"b")
    (tmp_path / "old.md").write_bytes(b"o")
    before = files(tmp_path)

    def refuse(path: Path) -> None:
        raise PermissionError(13, "Permission denied")

    changes = [
        Change(tmp_path / "a.md", b"a", b"A", []),
        Change(tmp_path / "old.md", b"o", b"O", [], new_path=tmp_path / "new.md"),
        Change(tmp_path / "c.md", None, b"C", []),
        Removal(tmp_path / "b.md", b"b", b"", []),
    ]
    with pytest.raises(PermissionError):
        apply_all(changes, remove=refuse)
    assert files(tmp_path) == before
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))


def test_diff_all_shows_a_removal_going_to_dev_null(tmp_path: Path) -> None:
    text = diff_all([Removal(tmp_path / "b.md", b"---\nname: B\n---\n", b"", [], root=tmp_path)])
    assert text == "--- a/b.md\n+++ /dev/null\n@@ -1,3 +0,0 @@\n----\n-name: B\n----\n"


def test_the_undo_of_a_failed_undo_is_reported(tmp_path: Path, full_disk) -> None:
    (tmp_path / "a.md").write_bytes(b"a")
    full_disk(lambda n: n > 1)
    with pytest.raises(WriteError, match=r"could not put back \S*a\.md \(No space left on device\)"):
        apply_all([Change(tmp_path / "a.md", b"a", b"A", []), Change(tmp_path / "b.md", None, b"B", [])])
