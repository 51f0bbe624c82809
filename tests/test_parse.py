"""The loader on real files: encodings, line endings, front matter shapes,
line numbers, subfolders and skipped files (GitHub issue 2)."""

from __future__ import annotations

import datetime as dt

from kith.load import contact_files, find_root, load_network
from kith.validate import check


def load(repo):
    network = load_network(repo.root)
    return network, check(network)


def codes_at(findings):
    return [(f.path, f.line, f.code) for f in findings]


# -- decoding -------------------------------------------------------------


def test_utf8_bom_and_crlf_parse_with_the_right_lines(repo):
    repo.write(
        "people/ada.md",
        "\ufeff---\r\nname: Ada\r\ncadence: 2w\r\ncircle: closee\r\n---\r\n\r\n"
        "Notes line.\r\n\r\n## Log\r\n\r\n- 2026-01-01 coffee: hi\r\n- [ ] 2026-02-30 broken\r\n".encode(),
    )
    network, findings = load(repo)
    ada = network.people["ada"]
    assert ada.name == "Ada"  # the BOM is not part of the first line
    assert ada.cadence.text == "2w"
    assert ada.line_of("cadence") == 3
    assert ada.log[0].line == 11
    assert ada.log[0].kind == "coffee" and ada.log[0].text == "hi"
    assert "\r" not in ada.notes and ada.notes == "Notes line."
    assert codes_at(findings) == [
        ("people/ada.md", 4, "circle-invalid"),
        ("people/ada.md", 12, "date-invalid"),
    ]


def test_old_mac_line_endings_are_lines_too(repo):
    repo.write("people/ada.md", b"---\rname: Ada\rcadence: 2x\r---\r")
    network, findings = load(repo)
    assert network.people["ada"].name == "Ada"
    assert codes_at(findings) == [("people/ada.md", 3, "cadence-invalid")]


def test_latin1_file_is_refused_with_the_line_of_the_bad_byte(repo):
    repo.person("ok", "name: Ok")
    repo.write("people/cafe.md", "---\nname: Zoë\ncompany: Café\n---\n".encode("latin-1"))
    network, findings = load(repo)
    assert codes_at(findings) == [("people/cafe.md", 2, "encoding")]
    assert "UTF-8" in findings[0].message and "0xeb" in findings[0].message
    assert "cafe" not in network.people and "ok" in network.people


# -- front matter shapes ----------------------------------------------------


def test_front_matter_closed_with_three_dots(repo):
    repo.write("people/ada.md", "---\nname: Ada\n...\n\n## Log\n\n- 2026-01-01 call: hi\n")
    network, findings = load(repo)
    assert findings == []
    ada = network.people["ada"]
    assert ada.name == "Ada"
    assert [e.line for e in ada.log] == [7]


def test_empty_front_matter_is_a_person_without_a_name(repo):
    repo.write("people/ada.md", "---\n---\n\nSome notes.\n")
    repo.person("bob", "name: Bob", "Knows [[ada]].\n")
    network, findings = load(repo)
    # The one problem is the missing name; the file still exists for links.
    assert codes_at(findings) == [("people/ada.md", 1, "name-missing")]
    assert network.people["ada"].name == "ada"
    assert network.people["ada"].notes == "Some notes."


def test_front_matter_of_only_comments_is_empty(repo):
    repo.write("people/ada.md", "---\n# to do: fill in\n---\n")
    _, findings = load(repo)
    assert codes_at(findings) == [("people/ada.md", 1, "name-missing")]


def test_a_horizontal_rule_in_the_body_is_not_front_matter(repo):
    repo.write("people/ada.md", "---\nname: Ada\n---\n\nAbove\n\n---\n\nBelow [[ghost]]\n")
    network, findings = load(repo)
    assert "Above" in network.people["ada"].notes and "Below" in network.people["ada"].notes
    assert codes_at(findings) == [("people/ada.md", 9, "unknown-slug")]


# -- line numbers ------------------------------------------------------------


def test_line_numbers_of_keys_and_nested_keys(repo):
    repo.person(
        "ada",
        """
        name: Ada Lovelace
        # a comment line
        company: Analytical Engines
        met:
          date: 2024-03-14
          where: PyCon
          via: bob
        relationships:
          - {with: bob, type: colleague}
          - with: carol
            type: mentor
        """,
    )
    repo.person("bob", "name: Bob")
    repo.person("carol", "name: Carol")
    network, findings = load(repo)
    assert findings == []
    ada = network.people["ada"]
    assert ada.line_of("name") == 2
    assert ada.line_of("company") == 4
    assert ada.line_of("met") == 5
    assert ada.line_of("met.date") == 6
    assert ada.line_of("met.via") == 8
    assert ada.met.line == 5
    assert ada.met.date == dt.date(2024, 3, 14)
    assert [(r.other, r.type, r.line) for r in ada.relationships] == [
        ("bob", "colleague", 10),
        ("carol", "mentor", 11),
    ]


def test_line_numbers_of_log_entries_tasks_and_mentions(repo):
    repo.person(
        "ada",
        "name: Ada",
        """
        Friends with [[bob]].

        ## Log

        - 2026-11-02 coffee: thought of [[carol]]
        - 2026-10-01 shared: sent the article
        - [ ] 2026-12-01 send the contact to [[bob]]
        - [x] 2026-10-05 thank-you note
        """,
    )
    repo.person("bob", "name: Bob")
    repo.person("carol", "name: Carol")
    network, findings = load(repo)
    assert findings == []
    ada = network.people["ada"]
    # line 1 `---`, 2 name, 3 `---`: the body starts on line 4 (blank)
    assert ada.body_line == 4
    assert [(e.line, e.date, e.kind, e.mentions) for e in ada.log] == [
        (9, dt.date(2026, 11, 2), "coffee", ("carol",)),
        (10, dt.date(2026, 10, 1), "shared", ()),
    ]
    assert [(t.line, t.due, t.done, t.text) for t in ada.tasks] == [
        (11, dt.date(2026, 12, 1), False, "send the contact to [[bob]]"),
        (12, dt.date(2026, 10, 5), True, "thank-you note"),
    ]
    assert [(m.slug, m.line) for m in ada.mentions] == [("bob", 5), ("carol", 9), ("bob", 11)]


def test_scalars_keep_their_yaml_types_where_the_schema_wants_them(repo):
    repo.person(
        "ada",
        """
        name: Ada
        snooze: 2027-01-15
        birthday: 1815-12-10
        private: false
        """,
    )
    network, findings = load(repo)
    assert findings == []
    ada = network.people["ada"]
    assert ada.snooze == dt.date(2027, 1, 15)
    assert ada.birthday.iso() == "1815-12-10"
    assert ada.private is False


def test_text_fields_keep_the_text_yaml_would_retype(repo):
    repo.person(
        "ada",
        """
        name: Ada
        location: 01234
        title: yes
        company: 1:30
        """,
    )
    network, _ = load(repo)
    ada = network.people["ada"]
    assert (ada.location, ada.title, ada.company) == ("01234", "yes", "1:30")


# -- files and folders -------------------------------------------------------


def test_subfolders_hold_people_and_the_slug_is_the_file_stem(repo):
    repo.person("mary-somerville", "name: Mary", folder="family")
    repo.person("x", "name: Deep", folder="work/2026")
    repo.person("ada", "name: Ada", "Aunt [[mary-somerville]].\n")
    network, findings = load(repo)
    assert findings == []
    assert network.people["mary-somerville"].relpath == "people/family/mary-somerville.md"
    assert network.people["x"].relpath == "people/work/2026/x.md"
    assert sorted(network.people) == ["ada", "mary-somerville", "x"]


def test_files_starting_with_dot_or_underscore_and_non_markdown_are_skipped(repo):
    repo.person("ada", "name: Ada")
    repo.write("people/_template.md", "not front matter at all\n")
    repo.write("people/.draft.md", "not front matter at all\n")
    repo.write("people/_drafts/bob.md", "not front matter at all\n")
    repo.write("people/.git/x.md", "not front matter at all\n")
    repo.write("people/README.txt", "not a contact\n")
    files = [p.relative_to(repo.root).as_posix() for p in contact_files(repo.root / "people")]
    assert files == ["people/ada.md"]
    network, findings = load(repo)
    assert findings == [] and list(network.people) == ["ada"]


def test_find_root_walks_up_from_a_subfolder(repo):
    repo.person("ada", "name: Ada", folder="family")
    assert find_root(repo.root / "people" / "family") == repo.root.resolve()
