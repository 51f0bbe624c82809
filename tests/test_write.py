"""The one writer: atomic writes, surgical front-matter edits, body edits,
diffs; and slugs. Files are real files in a temp dir."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kith import write
from kith.slug import MAX_SLUG, is_slug, slugify, unique_slug
from kith.write import Change, Document, DocumentError, WriteError, apply, atomic_write, unified_diff


def doc(text: str) -> Document:
    return Document.from_text(text)


# -- atomic_write ------------------------------------------------------------


def test_atomic_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "ada.md"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["ada.md"]


def test_failed_rename_leaves_original_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "ada.md"
    path.write_bytes(b"---\nname: Ada\n---\n")

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(write.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(path, b"---\nname: Ada Lovelace\n---\n")
    assert path.read_bytes() == b"---\nname: Ada\n---\n"
    assert os.listdir(tmp_path) == ["ada.md"]


def test_disk_full_mid_write_leaves_original_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "ada.md"
    path.write_bytes(b"original")
    real_fdopen = os.fdopen

    class HalfWrite(io.RawIOBase):
        """Writes half the data to the temp file, then the disk is full."""

        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(bytes(data[: len(data) // 2]))
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self):
            return self.handle.fileno()

        def close(self):
            self.handle.close()

    monkeypatch.setattr(write.os, "fdopen", lambda fd, mode: HalfWrite(real_fdopen(fd, mode)))
    with pytest.raises(OSError) as caught:
        atomic_write(path, b"x" * 10_000)
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == b"original"
    assert os.listdir(tmp_path) == ["ada.md"]


def test_apply_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "ada.md"
    path.write_bytes(b"edited by hand")
    change = Change(path, b"as read", b"as planned", ["x"])
    with pytest.raises(WriteError, match="changed on disk"):
        apply([change], dry_run=False)
    assert path.read_bytes() == b"edited by hand"


def test_apply_dry_run_returns_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "people" / "ada.md"
    path.parent.mkdir()
    path.write_bytes(b"---\nname: Ada\n---\n")
    before = path.stat().st_mtime_ns
    change = Change(path, path.read_bytes(), b"---\nname: Ada Lovelace\n---\n", ["name"], root=tmp_path)
    text = apply([change], dry_run=True)
    assert text == (
        "--- a/people/ada.md\n+++ b/people/ada.md\n@@ -1,3 +1,3 @@\n ---\n-name: Ada\n+name: Ada Lovelace\n ---\n"
    )
    assert path.read_bytes() == b"---\nname: Ada\n---\n"
    assert path.stat().st_mtime_ns == before


def test_apply_renames_then_writes(tmp_path: Path) -> None:
    old = tmp_path / "ada.md"
    old.write_bytes(b"a")
    new = tmp_path / "ada-lovelace.md"
    apply([Change(old, b"a", b"b", [], new_path=new)], dry_run=False)
    assert not old.exists()
    assert new.read_bytes() == b"b"


def test_apply_will_not_rename_over_another_file(tmp_path: Path) -> None:
    (tmp_path / "ada.md").write_bytes(b"a")
    (tmp_path / "ada-lovelace.md").write_bytes(b"someone else")
    change = Change(tmp_path / "ada.md", b"a", b"a", [], new_path=tmp_path / "ada-lovelace.md")
    with pytest.raises(WriteError, match="already exists"):
        apply([change], dry_run=False)
    assert (tmp_path / "ada-lovelace.md").read_bytes() == b"someone else"


def test_new_file_diff_is_from_dev_null(tmp_path: Path) -> None:
    change = Change(tmp_path / "x.md", None, b"---\nname: X\n---\n", [])
    assert unified_diff(change).startswith("--- /dev/null\n+++ b/")


# -- Document: reading -------------------------------------------------------


def test_document_keeps_every_byte_when_untouched() -> None:
    raw = b"\xef\xbb\xbf---\r\nname: Ada # hi\r\n---\r\nbody\rmixed\n"
    assert Document.from_bytes(raw).to_bytes() == raw


def test_document_without_front_matter_is_an_error_with_a_line() -> None:
    with pytest.raises(DocumentError) as caught:
        Document.from_bytes(b"name: Ada\n")
    assert caught.value.line == 1
    with pytest.raises(DocumentError, match="never closed"):
        Document.from_bytes(b"---\nname: Ada\n")
    with pytest.raises(DocumentError, match="UTF-8"):
        Document.from_bytes(b"---\nname: \xff\n---\n")


def test_get_reads_typed_values_and_source_text_reads_them_as_written() -> None:
    d = doc("---\nname: Ada\nphones: [+442079460000]\nmet: {date: 2024-03-14}\n---\n")
    assert d.get("name") == "Ada"
    assert d.get_in(("met", "date")) == dt.date(2024, 3, 14)
    assert d.get("phones") == [442079460000]
    assert d.source_text(("phones", 0)) == "+442079460000"
    assert d.get("missing", "default") == "default"
    assert d.line_of(("met", "date")) == 4


# -- Document: front-matter edits ---------------------------------------------


def test_set_replaces_a_scalar_keeping_comment_and_quote_style() -> None:
    d = doc("---\nname: Ada\ncompany: 'Old Co'  # employer\n---\nbody\n")
    assert d.set("company", "New Co")
    assert d.text() == "---\nname: Ada\ncompany: 'New Co'  # employer\n---\nbody\n"


def test_set_quotes_a_value_that_would_change_meaning_unquoted() -> None:
    d = doc("---\nname: Ada\ntitle: x\n---\n")
    d.set("title", "yes")
    d.set("company", "A: B # c")
    assert d.text() == '---\nname: Ada\ntitle: "yes"\ncompany: "A: B # c"\n---\n'
    assert d.get("title") == "yes" and d.get("company") == "A: B # c"


def test_set_to_the_same_value_changes_nothing() -> None:
    text = "---\nname:   Ada\ntags: [a,b]\n---\n"
    d = doc(text)
    assert not d.set("name", "Ada")
    assert not d.set("tags", ["a", "b"])
    assert d.text() == text


def test_set_appends_a_missing_key_after_the_last_one() -> None:
    d = doc("---\nname: Ada\n# trailing comment\n---\n")
    d.set("tags", ["math", "poetry"])
    assert d.text() == "---\nname: Ada\ntags: [math, poetry]\n# trailing comment\n---\n"


def test_set_in_creates_met_and_adds_to_block_or_flow_mappings() -> None:
    d = doc("---\nname: Ada\n---\n")
    d.set_in(("met", "date"), dt.date(2024, 3, 14))
    assert d.text() == "---\nname: Ada\nmet:\n  date: 2024-03-14\n---\n"
    d = doc("---\nname: Ada\nmet:\n    where: London  # city\ntags: [x]\n---\n")
    d.set_in(("met", "date"), dt.date(2024, 3, 14))
    assert d.text() == "---\nname: Ada\nmet:\n    where: London  # city\n    date: 2024-03-14\ntags: [x]\n---\n"
    d = doc("---\nname: Ada\nmet: {where: London}\n---\n")
    d.set_in(("met", "date"), dt.date(2024, 3, 14))
    assert d.text() == "---\nname: Ada\nmet: {where: London, date: 2024-03-14}\n---\n"


def test_set_in_fills_an_empty_mapping_key() -> None:
    d = doc("---\nmet:   # how we met\nname: Ada\n---\n")
    d.set_in(("met", "date"), dt.date(2024, 3, 14))
    assert d.text() == "---\nmet:   # how we met\n  date: 2024-03-14\nname: Ada\n---\n"


def test_set_in_refuses_to_treat_text_as_a_mapping() -> None:
    d = doc("---\nname: Ada\nmet: yesterday\n---\n")
    with pytest.raises(WriteError, match="single value"):
        d.set_in(("met", "date"), dt.date(2024, 3, 14))
    assert d.text() == "---\nname: Ada\nmet: yesterday\n---\n"


def test_set_in_replaces_a_list_item_in_place() -> None:
    d = doc("---\nphones:\n  - 020 7946 0000   # home\n  - '+1 202'\n---\n")
    d.set_in(("phones", 0), "+442079460000")
    d.set_in(("phones", 1), "+1202")
    assert d.text() == "---\nphones:\n  - \"+442079460000\"   # home\n  - '+1202'\n---\n"


def test_set_replaces_a_block_scalar_keeping_the_next_key() -> None:
    d = doc("---\nbio: |\n  line one\n  line two\nname: Ada\n---\n")
    d.set("bio", "short")
    assert d.text() == "---\nbio: short\nname: Ada\n---\n"


def test_add_to_list_keeps_flow_and_block_styles() -> None:
    d = doc("---\ntags: [math]\nemails:\n- a@x.org  # first\n\n# about emails\n---\n")
    assert d.add_to_list("tags", "poetry")
    assert d.add_to_list("emails", "b@x.org")
    assert not d.add_to_list("tags", "math")
    assert d.text() == "---\ntags: [math, poetry]\nemails:\n- a@x.org  # first\n- b@x.org\n\n# about emails\n---\n"


def test_add_to_list_creates_the_key_and_handles_empty_and_single_values() -> None:
    d = doc("---\nname: Ada\naka: []\ntags: math\n---\n")
    d.add_to_list("aka", "Ada King")
    d.add_to_list("tags", "poetry")
    d.add_to_list("relationships", {"with": "bob", "type": "mentor"})
    d.add_to_list("interests", "chess")
    assert d.text() == (
        "---\nname: Ada\naka: [Ada King]\ntags: [math, poetry]\n"
        "relationships:\n  - {with: bob, type: mentor}\ninterests: [chess]\n---\n"
    )


def test_to_list_wraps_a_single_string_keeping_its_text() -> None:
    d = doc("---\ntags: math, poetry   # one tag really\nphones: +442079460000\naka: 'Ada'\n---\n")
    assert d.to_list("tags") and d.to_list("phones") and d.to_list("aka")
    assert not d.to_list("tags")
    assert d.text() == (
        '---\ntags: ["math, poetry"]   # one tag really\nphones: ["+442079460000"]\naka: [\'Ada\']\n---\n'
    )


def test_edits_use_the_files_newline_style() -> None:
    d = Document.from_bytes(b"---\r\nname: Ada\r\n---\r\n")
    d.set_in(("met", "where"), "London")
    assert d.to_bytes() == b"---\r\nname: Ada\r\nmet:\r\n  where: London\r\n---\r\n"


# -- Document: the body ---------------------------------------------------------


def test_append_log_goes_on_top_of_the_list_and_nowhere_else() -> None:
    d = doc("---\nname: Ada\n---\n\nNotes.\n\n## Log\n\n- 2026-01-01 coffee: hi\n\n## Later\n\n- not log\n")
    d.add_log(dt.date(2026, 11, 22), "call: again")
    assert d.body == "\nNotes.\n\n## Log\n\n- 2026-11-22 call: again\n- 2026-01-01 coffee: hi\n\n## Later\n\n- not log\n"


def test_append_log_in_an_empty_log_followed_by_a_section() -> None:
    d = doc("---\nname: Ada\n---\n## Log\n## Private\nsecret\n")
    d.add_task(dt.date(2026, 12, 1), "send the deck")
    assert d.body == "## Log\n\n- [ ] 2026-12-01 send the deck\n\n## Private\nsecret\n"


def test_append_log_creates_the_section_at_the_end() -> None:
    d = doc("---\nname: Ada\n---\n\nNotes without newline")
    d.add_log(dt.date(2026, 11, 22), "coffee: hi")
    assert d.body == "\nNotes without newline\n\n## Log\n\n- 2026-11-22 coffee: hi\n"
    d = doc("---\nname: Ada\n---")
    d.add_log(dt.date(2026, 11, 22), "coffee: hi")
    assert d.text() == "---\nname: Ada\n---\n\n## Log\n\n- 2026-11-22 coffee: hi\n"


def test_append_log_ignores_a_log_heading_inside_a_code_fence() -> None:
    d = doc("---\nname: Ada\n---\n```\n## Log\n- x\n```\n")
    d.add_log(dt.date(2026, 11, 22), "coffee: hi")
    assert d.body == "```\n## Log\n- x\n```\n\n## Log\n\n- 2026-11-22 coffee: hi\n"


def test_rewrite_mentions_skips_code() -> None:
    d = doc("---\nname: A\n---\nsee [[bob]], [[bob|Bobby]] and `[[bob]]`\n```\n[[bob]]\n```\n[[bobby]]\n")
    assert d.rewrite_mentions("bob", "robert") == 2
    assert d.body == "see [[robert]], [[robert|Bobby]] and `[[bob]]`\n```\n[[bob]]\n```\n[[bobby]]\n"


# -- round trips (hypothesis) ----------------------------------------------------

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
    max_size=20,
)
# Keys YAML 1.1 reads as true/false/null are not text keys at all.
RETYPED_KEYS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
keys = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True).filter(lambda k: k not in RETYPED_KEYS)
scalars = st.one_of(
    safe_text,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=12,
)
fronts = st.dictionaries(keys, values, min_size=1, max_size=6)


def _dump(data: dict, style: int) -> str:
    """The same data written the ways people and tools write YAML."""
    if style == 0:
        return yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, sort_keys=False)
    if style == 1:
        return yaml.safe_dump(data, default_flow_style=None, allow_unicode=True, width=40)
    if style == 2:
        return yaml.safe_dump(data, default_flow_style=True, allow_unicode=False, indent=4)
    out = io.StringIO()
    ruamel = YAML()
    ruamel.indent(mapping=4, sequence=4, offset=2)
    ruamel.dump(data, out)
    return out.getvalue()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(front=fronts, style=st.integers(0, 3), newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans(),
       body=safe_text)
def test_untouched_documents_round_trip_byte_for_byte(front, style, newline, bom, body) -> None:
    yaml_text = _dump(front, style)
    text = ("---\n" + yaml_text + "---\n" + body).replace("\n", newline)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    document = Document.from_bytes(raw)
    assert document.to_bytes() == raw
    # Setting every key to what it already holds is no edit either.
    for key in front:
        assert not document.set(key, document.get(key))
    assert document.to_bytes() == raw


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(front=fronts, style=st.integers(0, 3), key=keys, value=values)
def test_set_changes_only_the_key_it_was_asked_to(front, style, key, value) -> None:
    document = Document.from_text("---\n" + _dump(front, style) + "---\nbody\n")
    document.set(key, value)
    expected = dict(front)
    expected[key] = value
    assert document.data() == yaml.safe_load(yaml.safe_dump(expected))
    assert document.body == "body\n"


# -- slugs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Zoë Ångström", "zoe-angstrom"),
        ("Ada Lovelace", "ada-lovelace"),
        ("  Dan O'Connor Jr. ", "dan-o-connor-jr"),
        ("Łukasz Nowak", "lukasz-nowak"),
        ("Søren Kjær", "soren-kjaer"),
        ("Straße", "strasse"),
        ("李小龍", "li-xiao-long"),
        ("최유림", "choe-yu-lim"),
        ("Дмитрий Шостакович", "dmitriy-shostakovich"),
        ("Ελένη Παπαδοπούλου", "eleni-papadopoyloy"),
        ("田中 ひろし", "tian-zhong-hiroshi"),
        ("Zoe\u0308", "zoe"),  # a combining accent, not a precomposed letter
        ("???", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert slugify(slug) == slug  # a slug is its own slug


def test_long_names_get_bounded_distinct_slugs() -> None:
    long_a = "Maria " + "Anna " * 60 + "Alpha"
    long_b = "Maria " + "Anna " * 60 + "Beta"
    a, b = slugify(long_a), slugify(long_b)
    assert a != b
    assert len(a) <= MAX_SLUG and len(b) <= MAX_SLUG
    assert a.startswith("maria-anna-anna-")
    assert re.fullmatch(r"maria(-anna)+-[0-9a-f]{8}", a), a  # cut between words
    assert slugify(a) == a and is_slug(a)
    assert slugify(long_a) == a  # the same name, the same slug, every run
    one_word = slugify("x" * 300)
    assert len(one_word) == MAX_SLUG and one_word.startswith("x" * 60)
    taken = {a}
    second = unique_slug(long_a, taken)
    assert second.endswith("-2") and len(second) <= MAX_SLUG and second != a


def test_unique_slug_counts_up() -> None:
    assert unique_slug("John Smith", set()) == "john-smith"
    assert unique_slug("John Smith", {"john-smith"}) == "john-smith-2"
    assert unique_slug("John Smith", {"john-smith", "john-smith-2"}) == "john-smith-3"
