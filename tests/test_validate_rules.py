"""Every rule of `kith validate`, through the real CLI: the exact code, the
severity and the file line of each finding (GitHub issue 2).

Each bad input is also run in the text format, which must name file and line
and never show a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kith import codes
from kith.load import load_network

PROJECT = Path(__file__).resolve().parent.parent


def validate(kith, repo, *args: str):
    """(exit code, [(path, line, severity, code)], raw dicts) from `--format json`."""
    result = kith(repo, "validate", "--format", "json", *args)
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    return result.exit_code, [(d["path"], d["line"], d["severity"], d["code"]) for d in data], data


def validate_text(kith, repo, *args: str):
    result = kith(repo, "validate", *args)
    assert "Traceback" not in result.output
    return result


E, W = "error", "warning"
BOMB = "\n".join(
    [
        "name: Laughs",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]"
            for p, c in zip("abcdefgh", "bcdefghi")
        ),
    ]
)

# (id, whole file, [(line, severity, code)]) for people/case.md, next to
# people/good.md (name: Good) and people/other.md (name: Other).
CASES: list[tuple[str, str | bytes, list[tuple[int, str, str]]]] = [
    # the file
    ("no-front-matter", "name: Ada\n\nNotes.\n", [(1, E, "frontmatter-missing")]),
    ("blank-line-first", "\n---\nname: Ada\n---\n", [(1, E, "frontmatter-missing")]),
    ("unclosed", "---\nname: Ada\ncadence: 2w\n\nNotes.\n", [(1, E, "frontmatter-unclosed")]),
    ("not-utf8", "---\nname: Ada\ncompany: Café\n---\n".encode("cp1252"), [(3, E, "encoding")]),
    ("utf16", "---\nname: Ada\n---\n".encode("utf-16"), [(1, E, "encoding")]),
    ("yaml-flow", "---\nname: Ada\ntags: [a, b\ncircle: close\n---\n", [(4, E, "yaml-syntax")]),
    # found at the end of the YAML: the line where the `[` or quote opened
    ("yaml-unclosed-list", "---\nname: Ada\ntags: [a, b\n---\n", [(3, E, "yaml-syntax")]),
    ("yaml-unclosed-quote", '---\nname: "Ada\ncircle: close\n\n---\n', [(2, E, "yaml-syntax")]),
    ("yaml-tab", "---\nname: Ada\nmet:\n\tdate: 2024-01-01\n---\n", [(4, E, "yaml-syntax")]),
    (
        "yaml-indent",
        "---\nname: Ada\ncompany: X\n  title: Y\n---\n",
        [(4, E, "yaml-syntax")],
    ),
    ("list", "---\n- name: Ada\n---\n", [(2, E, "frontmatter-not-mapping")]),
    ("scalar", "---\njust some words\n---\n", [(2, E, "frontmatter-not-mapping")]),
    (
        "python-tag",
        '---\nname: Ada\ncompany: !!python/name:os.system\n---\n',
        [(3, E, "yaml-tag")],
    ),
    ("local-tag", "---\nname: Ada\ncompany: !secret x\n---\n", [(3, E, "yaml-tag")]),
    ("alias-bomb", f"---\n{BOMB}\n---\n", [(2, E, "yaml-aliases")]),
    ("alias-loop", "---\nname: Ada\na: &a [*a]\n---\n", [(2, E, "yaml-aliases")]),
    (
        "too-large",
        "---\nname: Ada\n" + "# padding padding padding padding\n" * 9000 + "---\n",
        [(2, E, "yaml-too-large")],
    ),
    ("duplicate-key", "---\nname: Ada\ncircle: close\nname: Ada L\n---\n", [(4, E, "duplicate-key")]),
    (
        "duplicate-nested-key",
        "---\nname: Ada\nmet:\n  date: 2024-01-01\n  date: 2024-01-02\n---\n",
        [(5, E, "duplicate-key")],
    ),
    # name
    ("name-missing", "---\ncompany: X\n---\n", [(1, E, "name-missing")]),
    ("name-empty", "---\ncompany: X\nname: ''\n---\n", [(3, E, "name-missing")]),
    ("name-null", "---\nname:\n---\n", [(2, E, "name-missing")]),
    ("name-number", "---\nname: 42\n---\n", [(2, E, "name-type")]),
    ("name-list", "---\nname: [Ada, Lovelace]\n---\n", [(2, E, "name-type")]),
    # wrong types
    ("text-is-list", "---\nname: Ada\ncompany: [a, b]\n---\n", [(3, E, "type")]),
    ("text-is-mapping", "---\nname: Ada\ntitle: {a: b}\n---\n", [(3, E, "type")]),
    ("list-is-mapping", "---\nname: Ada\ntags: {a: b}\n---\n", [(3, E, "type")]),
    ("links-is-list", "---\nname: Ada\nlinks: [https://example.org]\n---\n", [(3, E, "type")]),
    ("met-is-text", "---\nname: Ada\nmet: at PyCon\n---\n", [(3, E, "type")]),
    ("private-is-text", '---\nname: Ada\nprivate: "yes"\n---\n', [(3, E, "private-doubtful")]),
    ("relationship-is-text", "---\nname: Ada\nrelationships:\n  - good\n---\n", [(4, E, "type")]),
    # dates
    ("met-date-impossible", "---\nname: Ada\nmet:\n  date: 2026-02-30\n---\n", [(4, E, "date-invalid")]),
    ("snooze-impossible", "---\nname: Ada\nsnooze: 2026-13-01\n---\n", [(3, E, "date-invalid")]),
    ("snooze-words", "---\nname: Ada\nsnooze: next week\n---\n", [(3, E, "date-invalid")]),
    ("birthday-impossible", "---\nname: Ada\nbirthday: 2026-02-30\n---\n", [(3, E, "date-invalid")]),
    ("birthday-no-year-impossible", "---\nname: Ada\nbirthday: --02-30\n---\n", [(3, E, "date-invalid")]),
    ("birthday-no-year-13", "---\nname: Ada\nbirthday: --13-01\n---\n", [(3, E, "date-invalid")]),
    ("birthday-no-year", "---\nname: Ada\nbirthday: --12-10\n---\n", []),
    ("birthday-leap-day", "---\nname: Ada\nbirthday: --02-29\n---\n", []),
    ("birthday-real-leap-day", "---\nname: Ada\nbirthday: 2024-02-29\n---\n", []),
    (
        "log-impossible",
        "---\nname: Ada\n---\n\n## Log\n\n- 2026-02-30 coffee: hi\n",
        [(7, E, "date-invalid")],
    ),
    (
        "log-not-iso",
        "---\nname: Ada\n---\n\n## Log\n\n- 02/03/2026 coffee: hi\n",
        [(7, E, "date-invalid")],
    ),
    (
        "task-impossible",
        "---\nname: Ada\n---\n\n## Log\n\n- [ ] 2026-04-31 call\n",
        [(7, E, "date-invalid")],
    ),
    ("log-undated", "---\nname: Ada\n---\n\n## Log\n\n- coffee: hi\n", [(7, W, "log-undated")]),
    ("task-undated", "---\nname: Ada\n---\n\n## Log\n\n- [ ] call her\n", [(7, W, "task-undated")]),
    # cadence, circle, emails, relationship types
    ("cadence-words", "---\nname: Ada\ncadence: 2 weeks\n---\n", [(3, E, "cadence-invalid")]),
    ("cadence-number", "---\nname: Ada\ncadence: 2\n---\n", [(3, E, "cadence-invalid")]),
    ("cadence-zero", "---\nname: Ada\ncadence: 0d\n---\n", [(3, E, "cadence-invalid")]),
    ("cadence-unit", "---\nname: Ada\ncadence: 2x\n---\n", [(3, E, "cadence-invalid")]),
    ("cadence-ok", "---\nname: Ada\ncadence: 10d\n---\n", []),
    ("circle", "---\nname: Ada\ncircle: bff\n---\n", [(3, E, "circle-invalid")]),
    (
        "emails",
        "---\nname: Ada\nemails:\n  - ada@example.org\n  - ada-at-example.org\n  - a@b\n"
        "  - Ada <ada@example.org>\n---\n",
        [(5, E, "email-invalid"), (6, E, "email-invalid"), (7, E, "email-invalid")],
    ),
    (
        "relationship-type",
        "---\nname: Ada\nrelationships:\n  - {with: good, type: boss}\n---\n",
        [(4, W, "relationship-type")],
    ),
    # unknown keys and single strings
    ("unknown-key", "---\nname: Ada\nbirthdy: 1815-12-10\n---\n", [(3, W, "unknown-key")]),
    ("unknown-met-key", "---\nname: Ada\nmet:\n  whre: London\n---\n", [(4, W, "unknown-key")]),
    (
        "unknown-relationship-key",
        "---\nname: Ada\nrelationships:\n  - with: good\n    tpye: friend\n---\n",
        [(5, W, "unknown-key")],
    ),
    ("single-string", "---\nname: Ada\ntags: chess\n---\n", [(3, W, "single-string")]),
    # YAML 1.1 coercions where text belongs
    ("zip", "---\nname: Ada\nlocation: 01234\n---\n", [(3, W, "yaml-coercion")]),
    ("yes", "---\nname: Ada\ntitle: yes\n---\n", [(3, W, "yaml-coercion")]),
    ("no", "---\nname: Ada\ncompany: no\n---\n", [(3, W, "yaml-coercion")]),
    ("on-off", "---\nname: Ada\ntitle: on\nlocation: off\n---\n", [(3, W, "yaml-coercion"), (4, W, "yaml-coercion")]),
    ("sexagesimal", "---\nname: Ada\ncompany: 1:30\n---\n", [(3, W, "yaml-coercion")]),
    ("in-a-list", "---\nname: Ada\ntags:\n  - chess\n  - yes\n---\n", [(5, W, "yaml-coercion")]),
    ("in-met", "---\nname: Ada\nmet:\n  where: no\n---\n", [(4, W, "yaml-coercion")]),
    ("phone-octal", "---\nname: Ada\nphones: [0123]\n---\n", [(3, W, "yaml-coercion")]),
    (
        "unknown-key-coerced",
        "---\nname: Ada\nzip: 01234\n---\n",
        [(3, W, "unknown-key"), (3, W, "yaml-coercion")],
    ),
    ("quoted-is-fine", '---\nname: Ada\nlocation: "01234"\ntitle: "yes"\ncompany: "1:30"\n---\n', []),
    # privacy that kith cannot be sure of
    ("private-key-capitalised", "---\nname: Ada\nPrivate: true\n---\n", [(3, E, "private-doubtful"), (3, W, "unknown-key")]),
    ("private-quoted", '---\nname: Ada\nprivate: "true"\n---\n', [(3, E, "private-doubtful")]),
    ("private-twice", "---\nname: Ada\nprivate: true\nprivate: false\n---\n", [(4, E, "duplicate-key"), (4, E, "private-doubtful")]),
    ("private-empty", "---\nname: Ada\nprivate:\n---\n", [(3, E, "private-doubtful")]),
    ("private-in-a-quote", "---\nname: Ada\n---\n\nNotes.\n\n> ## Private\n> secret\n", [(7, E, "private-unplaced")]),
    ("private-in-html", "---\nname: Ada\n---\n\n<h2>Private</h2>\n", [(5, E, "private-unplaced")]),
    ("fence-never-closed", "---\nname: Ada\n---\n\n```python\nx = 1\n", [(5, W, "fence-unclosed")]),
    ("number-of-5000-digits", "---\nname: Ada\ntitle: " + "9" * 5000 + "\n---\n", [(3, W, "number-too-long")]),
    ("notes-too-deep-for-markdown", "---\nname: Ada\n---\n\n" + "[[" * 20000 + "\n", [(5, W, "notes-unrenderable")]),
    ("yes-is-a-doubtful-privacy-flag", "---\nname: Ada\nprivate: yes\n---\n", [(3, E, "private-doubtful")]),
    ("plain-numbers-are-fine", "---\nname: Ada\ntitle: 42\nlocation: 1.5\n---\n", []),
    # links that name nobody, or the person themself
    (
        "relationship-unknown",
        "---\nname: Ada\nrelationships:\n  - {with: good, type: friend}\n  - {with: nobody, type: mentor}\n---\n",
        [(5, E, "unknown-slug")],
    ),
    ("via-unknown", "---\nname: Ada\nmet:\n  date: 2024-01-01\n  via: ghost\n---\n", [(5, E, "unknown-slug")]),
    ("via-link-form", "---\nname: Ada\nmet:\n  via: [[good]]\n---\n", []),
    ("mention-unknown", "---\nname: Ada\n---\n\nSee [[good]] and\n[[ghost]].\n", [(6, E, "unknown-slug")]),
    (
        "mention-unknown-in-log",
        "---\nname: Ada\n---\n\n## Log\n\n- 2026-01-01 intro: to [[ghost]]\n",
        [(7, E, "unknown-slug")],
    ),
    (
        "relationship-self",
        "---\nname: Ada\nrelationships:\n  - {with: case, type: friend}\n---\n",
        [(4, E, "self-reference")],
    ),
    ("via-self", "---\nname: Ada\nmet:\n  via: case\n---\n", [(4, E, "self-reference")]),
    ("mention-self", "---\nname: Ada\n---\n\nI am [[case]].\n", [(5, E, "self-reference")]),
    # all well
    (
        "complete",
        """---
name: Ada Lovelace                 # the only required key
aka: [Ada King]
company: Analytical Engines
title: Mathematician
location: London
emails: [ada@example.org]
phones: ["+44 20 7946 0000"]
links: {linkedin: "https://www.linkedin.com/in/example", web: "https://example.org"}
tags: [math, poetry]
circle: close
cadence: 2m
snooze: 2027-01-15
met:
  date: 2024-03-14
  where: PyCon US, Pittsburgh
  event: PyCon US 2024
  via: good
birthday: 1815-12-10
interests: [poetry, horse racing]
offers: [illustration]
needs: [a publisher]
relationships:
  - {with: good, type: colleague}
  - {with: other, type: mentor}
private: false
---

Free notes.

## Log

- 2026-11-02 coffee: thought of [[other]]
- [ ] 2026-12-01 send the publisher contact
- [x] 2026-10-05 thank-you note
""",
        [],
    ),
]


@pytest.mark.parametrize("content, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(kith, repo, content, expected):
    repo.person("good", "name: Good")
    repo.person("other", "name: Other")
    repo.write("people/case.md", content)
    exit_code, found, data = validate(kith, repo)
    assert found == [("people/case.md", line, sev, code) for line, sev, code in expected]
    assert exit_code == (1 if any(sev == E for _, sev, _ in expected) else 0)
    for item in data:
        assert item["message"] and "\n" not in item["message"]
    text = validate_text(kith, repo)
    assert text.exit_code == exit_code
    lines = text.stdout.splitlines()
    for (line, sev, code), item in zip(expected, data):
        assert f"people/case.md:{line}: {sev}: {item['message']} [{code}]" in lines
    assert len(lines) == len(expected) + 1  # one line each, then the summary


def test_every_code_is_exercised_somewhere():
    """A code no test produces would be a rule nobody checked."""
    produced = {code for _, _, expected in CASES for _, _, code in expected}
    produced |= {"duplicate-slug", "duplicate-email", "path-outside"}  # tested below / CLI
    # Findings about the file itself rather than its text: tests/test_hostile_files.py.
    produced |= {"unreadable", "not-a-file", "file-too-large", "slug-invalid", "slug-style", "symlink-outside"}
    # Journal notes: tests/test_journal.py.
    produced |= {"journal-undated"}
    assert sorted(set(codes.FILE_CODES) - produced) == []


# -- messages that help --------------------------------------------------------


def test_unknown_key_suggests_the_right_one(kith, repo):
    repo.person("ada", "name: Ada\nbirthdy: 1815-12-10\ncompnay: X")
    _, found, data = validate(kith, repo)
    assert found == [
        ("people/ada.md", 3, W, "unknown-key"),
        ("people/ada.md", 4, W, "unknown-key"),
    ]
    assert "did you mean `birthday`?" in data[0]["message"]
    assert "did you mean `company`?" in data[1]["message"]


def test_coercion_warning_gives_the_fix(kith, repo):
    repo.person("ada", "name: Ada\nlocation: 01234\ntitle: yes\ncompany: 1:30")
    _, _, data = validate(kith, repo)
    messages = [d["message"] for d in data]
    assert "668" in messages[0] and '"01234"' in messages[0]
    assert "true" in messages[1] and '"yes"' in messages[1]
    assert "90" in messages[2] and '"1:30"' in messages[2]
    # ... and the text is kept as written, not as YAML read it.
    ada = load_network(repo.root).people["ada"]
    assert (ada.location, ada.title, ada.company) == ("01234", "yes", "1:30")


def test_single_string_is_read_as_a_one_item_list(kith, repo):
    repo.person("ada", "name: Ada\ntags: chess\nemails: ada@example.org")
    repo.person("bob", "name: Bob\nemails: [ADA@example.org]")
    _, found, data = validate(kith, repo)
    assert found == [
        ("people/ada.md", 3, W, "single-string"),
        ("people/ada.md", 4, W, "single-string"),
        ("people/bob.md", 3, E, "duplicate-email"),
    ]
    assert "tags: [chess]" in data[0]["message"]
    ada = load_network(repo.root).people["ada"]
    assert ada.tags == ["chess"] and ada.emails == ["ada@example.org"]


def test_circle_suggestion(kith, repo):
    repo.person("ada", "name: Ada\ncircle: closee")
    _, _, data = validate(kith, repo)
    assert "did you mean `close`?" in data[0]["message"]


def test_unknown_slug_suggests_a_close_slug(kith, repo):
    repo.person("ada", "name: Ada", "See [[charles-babage]].\n")
    repo.person("charles-babbage", "name: Charles")
    _, found, data = validate(kith, repo)
    assert found == [("people/ada.md", 5, E, "unknown-slug")]
    assert "charles-babage" in data[0]["message"] and "`charles-babbage`" in data[0]["message"]


# -- across files ----------------------------------------------------------------


def test_same_email_in_two_files(kith, repo):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]")
    repo.person("bob", "name: Bob\ncompany: X\nemails:\n  - bob@example.org\n  - Ada@Example.org")
    exit_code, found, data = validate(kith, repo)
    assert exit_code == 1
    assert found == [("people/bob.md", 4, E, "duplicate-email")]
    assert "people/ada.md" in data[0]["message"]


def test_two_files_with_the_same_slug(kith, repo):
    repo.person("x", "name: X in A", folder="a")
    repo.person("x", "name: X in B", folder="b")
    repo.person("ada", "name: Ada", "Knows [[x]].\n")
    exit_code, found, data = validate(kith, repo)
    assert exit_code == 1
    assert found == [("people/b/x.md", 1, E, "duplicate-slug")]
    assert "people/a/x.md" in data[0]["message"]


def test_links_to_people_in_subfolders_resolve(kith, repo):
    repo.person("mary", "name: Mary", folder="family")
    repo.person(
        "ada",
        "name: Ada\nmet: {via: mary}\nrelationships:\n  - {with: mary, type: mentor}",
        "Aunt [[mary]].\n",
    )
    assert validate(kith, repo)[:2] == (0, [])


def test_a_link_to_a_file_that_could_not_be_read_is_not_unknown(kith, repo):
    """A broken file is reported once, in its own file; others linking to it
    do not get a second error (the person exists, their file is broken)."""
    repo.person("ada", "name: Ada", "See [[bob]].\n")
    repo.person("bob", "name: Bob\ncompany: X\n  title: broken")
    repo.person("carol", "name: Carol\nmet: {via: bob}\nrelationships: [{with: bob, type: friend}]")
    _, found, _ = validate(kith, repo)
    assert found == [("people/bob.md", 4, E, "yaml-syntax")]


# -- hostile input ----------------------------------------------------------------


def test_python_tags_never_run(kith, repo, tmp_path):
    canary = tmp_path / "pwned"
    repo.person("ada", f'name: !!python/object/apply:os.system ["touch {canary}"]')
    repo.person("bob", f'name: Bob\ncompany: !!python/object/new:os.system ["touch {canary}"]')
    repo.person("carol", "name: Carol")
    exit_code, found, data = validate(kith, repo)
    assert not canary.exists()
    assert exit_code == 1
    assert found == [
        ("people/ada.md", 2, E, "yaml-tag"),
        ("people/bob.md", 3, E, "yaml-tag"),
    ]
    validate_text(kith, repo)
    assert not canary.exists()


def test_billion_laughs_is_refused(kith, repo):
    repo.write("people/lol.md", f"---\n{BOMB}\n---\n")
    repo.person("ada", "name: Ada")
    exit_code, found, data = validate(kith, repo)  # returns: the bomb is never expanded
    assert exit_code == 1
    assert found == [("people/lol.md", 2, E, "yaml-aliases")]
    assert "aliases" in data[0]["message"]


# -- one broken file never stops the others -------------------------------------


def test_one_bad_file_among_good_ones(kith, repo):
    for slug in ("ada", "bob", "carol", "dan"):
        repo.person(slug, f"name: {slug.title()}\ncadence: 2w", "## Log\n\n- 2026-01-01 call: hi\n")
    repo.person("eve", "name: Eve\ntags: [a, b\ncadence: 2w")
    exit_code, found, _ = validate(kith, repo)
    assert exit_code == 1
    assert found == [("people/eve.md", 4, E, "yaml-syntax")]


def test_many_kinds_of_broken_files_together(kith, repo):
    """Each broken file gets its own findings; the good one none."""
    repo.person("good", "name: Good", "Knows [[ada]].\n")
    repo.write("people/ada.md", "no front matter\n")
    repo.write("people/bob.md", b"---\nname: B\xf6b\n---\n")
    repo.write("people/carol.md", "---\nname: Carol\n")
    repo.write("people/dan.md", "---\n[unclosed\n---\n")
    exit_code, found, _ = validate(kith, repo)
    assert exit_code == 1
    assert [(p, c) for p, _, _, c in found] == [
        ("people/ada.md", "frontmatter-missing"),
        ("people/bob.md", "encoding"),
        ("people/carol.md", "frontmatter-unclosed"),
        ("people/dan.md", "yaml-syntax"),
    ]


# -- the reference lists every code ---------------------------------------------------


def test_every_code_is_documented_with_its_severity():
    text = (PROJECT / "docs" / "reference" / "validate.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\|\s*`([a-z0-9-]+)`\s*\|\s*(error|warning)\s*\|", text, re.M)
    }
    missing = sorted(set(codes.FILE_CODES) - set(rows))
    assert missing == [], f"codes missing from docs/reference/validate.md: {missing}"
    wrong = {c: s for c, s in rows.items() if c in codes.FILE_CODES and codes.severity(c) != s}
    assert wrong == {}, f"severity in the docs differs from codes.py: {wrong}"
    unknown = sorted(set(rows) - set(codes.FILE_CODES))
    assert unknown == [], f"docs list codes kith does not have: {unknown}"


def test_a_check_memo_gives_what_a_fresh_check_gives_as_files_come_and_go(repo):
    from kith.load import FileCache, load_network
    from kith.validate import CheckMemo, check

    repo.person("ada", "name: Ada\nrelationships:\n  - {with: bob, type: friend}")
    memo, cache = CheckMemo(), FileCache()
    first = check(load_network(repo.root, cache=cache), memo)
    assert [f.code for f in first] == ["unknown-slug"]
    repo.person("bob", "name: Bob")
    network = load_network(repo.root, cache=cache)
    assert check(network, memo) == check(network) == []
    (repo.root / "people" / "bob.md").unlink()
    network = load_network(repo.root, cache=cache)
    assert check(network, memo) == check(network) == first
