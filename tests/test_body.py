"""The Markdown body: the Log, tasks, `[[mentions]]`, `## Private` sections
and the notes that remain, read from real files (GitHub issue 2)."""

from __future__ import annotations

import datetime as dt

from kith.load import load_network
from kith.validate import check


def person(repo, body: str, front: str = "name: Ada", others: tuple[str, ...] = ()):
    repo.person("ada", front, body)
    for slug in others:
        repo.person(slug, f"name: {slug.title()}")
    network = load_network(repo.root)
    return network.people["ada"], check(network)


def codes_at(findings):
    return [(f.line, f.code) for f in findings]


# -- the Log -----------------------------------------------------------------


def test_log_entries_kinds_and_text(repo):
    ada, findings = person(
        repo,
        """
        ## Log

        - 2026-11-02 coffee: she needs an illustrator
        - 2026-10-01 Shared: sent the article: with a colon
        - 2026-09-12 no kind here, just text
        * 2026-09-01 email: star bullets count too
        """,
    )
    assert findings == []
    assert [(e.date, e.kind, e.text) for e in ada.log] == [
        (dt.date(2026, 11, 2), "coffee", "she needs an illustrator"),
        (dt.date(2026, 10, 1), "shared", "sent the article: with a colon"),
        (dt.date(2026, 9, 12), "", "no kind here, just text"),
        (dt.date(2026, 9, 1), "email", "star bullets count too"),
    ]
    assert ada.last_contact == dt.date(2026, 11, 2)


def test_log_heading_can_be_any_level_and_ends_at_the_next_same_level_heading(repo):
    ada, findings = person(
        repo,
        """
        # Ada

        ### Log

        - 2026-01-01 call: first

        #### Details inside the log

        - 2026-01-02 call: second

        ### Hobbies

        - chess, not a log line
        """,
    )
    assert findings == []
    assert [e.text for e in ada.log] == ["first", "second"]
    assert "chess, not a log line" in ada.notes
    assert "first" not in ada.notes


def test_prose_and_blank_lines_in_the_log_are_allowed_but_undated_items_warned(repo):
    ada, findings = person(
        repo,
        """
        ## Log

        A paragraph about the log is fine.

        - coffee with her, no date
        - 2026/01/02 call: slashes
        - 2026-13-01 call: no such month
        """,
    )
    assert ada.log == []
    assert codes_at(findings) == [(9, "log-undated"), (10, "date-invalid"), (11, "date-invalid")]
    assert all(f.path == "people/ada.md" for f in findings)


def test_lines_outside_the_log_are_never_log_entries(repo):
    ada, findings = person(repo, "- 2026-01-01 coffee: in the notes, not the log\n")
    assert ada.log == [] and findings == []
    assert "in the notes" in ada.notes


# -- tasks -------------------------------------------------------------------


def test_open_and_done_tasks(repo):
    ada, findings = person(
        repo,
        """
        ## Log

        - [ ] 2026-12-01 send the publisher contact
        - [x] 2026-10-05 thank-you note
        - [X] capital X, no date: done tasks need none
        - [ ] call her
        - [ ] 2026-04-31 impossible day
        """,
    )
    assert [(t.due, t.done, t.text, t.line) for t in ada.tasks] == [
        (dt.date(2026, 12, 1), False, "send the publisher contact", 7),
        (dt.date(2026, 10, 5), True, "thank-you note", 8),
        (None, True, "capital X, no date: done tasks need none", 9),
        (None, False, "call her", 10),
    ]
    assert [t.text for t in ada.open_tasks] == ["send the publisher contact", "call her"]
    assert codes_at(findings) == [(10, "task-undated"), (11, "date-invalid")]
    assert findings[0].severity == "warning"
    assert ada.log == []  # tasks are not contact


# -- mentions ----------------------------------------------------------------


def test_mentions_with_and_without_labels(repo):
    ada, findings = person(
        repo,
        """
        Close to [[bob|her friend Bob]] and [[ carol ]].

        ## Log

        - 2026-01-01 intro: introduced [[bob]] to [[carol|C.]]
        """,
        others=("bob", "carol"),
    )
    assert findings == []
    assert [(m.slug, m.line) for m in ada.mentions] == [
        ("bob", 5),
        ("carol", 5),
        ("bob", 9),
        ("carol", 9),
    ]
    assert ada.log[0].mentions == ("bob", "carol")


def test_mentions_in_code_fences_and_inline_code_are_ignored(repo):
    ada, findings = person(
        repo,
        """
        Write links as `[[slug]]` or ``[[slug|label]]``.

        ```markdown
        [[ghost-in-a-fence]]
        ```

        ~~~~
        [[ghost-in-tildes]]
        ```
        still inside [[ghost-still]]
        ~~~~

        But [[bob]] counts.
        """,
        others=("bob",),
    )
    assert findings == []
    assert [(m.slug, m.line) for m in ada.mentions] == [("bob", 17)]


def test_an_unknown_mention_is_reported_on_its_line(repo):
    _, findings = person(repo, "One\n\nTwo [[nobody-here]]\n")
    assert codes_at(findings) == [(7, "unknown-slug")]
    assert "nobody-here" in findings[0].message


# -- private sections -----------------------------------------------------------


def test_private_section_is_out_of_the_notes_up_to_the_next_same_level_heading(repo):
    ada, findings = person(
        repo,
        """
        Public intro.

        ## Private

        Secret one [[bob]].

        ### Sub

        Secret two, still private.

        ## Hobbies

        Public again.
        """,
        others=("bob",),
    )
    assert findings == []
    assert "Secret" not in ada.notes
    assert "Private" not in ada.notes and "Sub" not in ada.notes
    assert "Public intro." in ada.notes and "## Hobbies" in ada.notes and "Public again." in ada.notes
    assert [(m.slug, m.line, m.private) for m in ada.mentions] == [("bob", 9, True)]


def test_private_section_at_any_level_and_a_higher_heading_ends_it(repo):
    ada, findings = person(
        repo,
        """
        # Ada

        ### Private

        deep secret

        ## Work

        public work

        # Private

        top secret

        ###### deep heading

        still top secret
        """,
    )
    assert findings == []
    assert "secret" not in ada.notes
    assert "public work" in ada.notes and "# Ada" in ada.notes


def test_private_section_runs_to_the_end_of_the_file(repo):
    ada, _ = person(repo, "Hello.\n\n## Private\n\nsecret\n\n- not a heading\n")
    assert ada.notes == "Hello."


def test_private_log_entries_and_tasks_are_flagged_private(repo):
    ada, findings = person(
        repo,
        """
        ## Log

        - 2026-11-02 coffee: public
        - [ ] 2026-12-01 public task

        ### Private

        - 2026-10-30 call: private entry
        - [ ] 2026-12-02 private task

        ### More

        - 2026-10-01 email: public again
        """,
    )
    assert findings == []
    assert [(e.text, e.private) for e in ada.log] == [
        ("public", False),
        ("private entry", True),
        ("public again", False),
    ]
    assert [(t.text, t.private) for t in ada.tasks] == [
        ("public task", False),
        ("private task", True),
    ]
    # A private entry is still contact.
    assert ada.last_contact == dt.date(2026, 11, 2)


def test_a_log_inside_a_private_section_is_private(repo):
    ada, _ = person(
        repo,
        """
        # Private

        ## Log

        - 2026-11-02 coffee: hidden
        """,
    )
    assert [(e.text, e.private) for e in ada.log] == [("hidden", True)]
    assert ada.notes == ""


def test_a_heading_merely_containing_private_is_not_private(repo):
    ada, _ = person(repo, "## Private life\n\nShe sails.\n\n## Privately\n\nAlso shown.\n")
    assert "She sails." in ada.notes and "Also shown." in ada.notes


def test_headings_inside_code_fences_do_not_open_sections(repo):
    ada, findings = person(
        repo,
        """
        ```
        ## Private
        ## Log
        ```

        Shown.
        """,
    )
    assert findings == [] and ada.log == []
    assert "Shown." in ada.notes and "## Private" in ada.notes


# -- notes ----------------------------------------------------------------------


def test_notes_exclude_the_log_and_private_sections(repo):
    ada, _ = person(
        repo,
        """
        Free notes: hopes, family.

        ## Log

        - 2026-11-02 coffee: logged

        ## Private

        hidden

        ## Family

        Two children.
        """,
    )
    assert ada.notes == "Free notes: hopes, family.\n\n## Family\n\nTwo children."
