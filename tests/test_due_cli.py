"""`kith due` on a network of a dozen people with known dates."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-11-22"


@pytest.fixture
def dozen(repo):
    repo.person("ada", "name: Ada Lovelace\ncircle: close\ncadence: 2m",
                "## Log\n\n- 2026-09-01 coffee: hi\n- [ ] 2026-12-01 send the publisher contact\n")
    repo.person("bob", "name: Bob\ncadence: 1m", "## Log\n\n- 2026-10-29 call: x\n")
    repo.person("cy", "name: Cy\ncadence: 3m")
    repo.person("dee", "name: Dee\nmet: {date: 2026-11-15, event: PyCon US 2026}")
    repo.person("eve", "name: Eve\nmet: {date: 2026-10-22}\nbirthday: --11-25")
    repo.person("fay", "name: Fay\ncircle: inner\nprivate: true\nbirthday: 1988-02-29",
                "## Log\n\n- [ ] 2026-11-22 call about the job\n")
    repo.person("gus", "name: Gus", "## Log\n\n- 2026-11-01 intro: introduced him to [[ada]]\n")
    repo.person("hal", "name: Hal\ncadence: 2w",
                "## Log\n\n- 2026-10-10 call: she liked Bob\n- 2026-10-01 intro: to [[bob]]\n")
    repo.person("ivy", "name: Ivy\ncadence: 1w\nsnooze: 2026-12-01",
                "## Log\n\n- 2026-10-01 call: x\n- [ ] 2026-11-20 return the book\n")
    repo.person("jon", "name: Jon\ncadence: 2w\ntags: [python]",
                "## Log\n\n- 2026-12-05 dinner: planned\n- 2026-11-10 call: x\n")
    repo.person("kim", "name: Kim")
    repo.person("lea", "name: Lea\ncadence: 1y",
                "## Log\n\n- 2026-01-01 call: x\n- [x] 2026-11-01 done\n- [ ] undated\n")
    return repo


EXPECTED = [
    ("hal", "cadence", "2026-10-24", 29),
    ("ada", "cadence", "2026-11-01", 21),
    ("gus", "intro", "2026-11-15", 7),
    ("dee", "met", "2026-11-17", 5),
    ("ivy", "task", "2026-11-20", 2),
    ("cy", "cadence", "2026-11-22", 0),
    ("fay", "task", "2026-11-22", 0),
    ("jon", "cadence", "2026-11-24", -2),
    ("eve", "birthday", "2026-11-25", -3),
    ("bob", "cadence", "2026-11-29", -7),
]


def rows(result):
    assert result.exit_code == 0, result.output
    return [(d["slug"], d["reason"], d["due"], d["days_overdue"]) for d in json.loads(result.stdout)]


def test_json_lists_exactly_the_expected_items_in_order(dozen, kith):
    assert rows(kith(dozen, "due", "--today", TODAY, "--format", "json")) == EXPECTED


def test_json_objects_carry_detail_path_and_line(dozen, kith):
    data = json.loads(kith(dozen, "due", "--today", TODAY, "--format", "json").stdout)
    first = data[0]
    assert first == {
        "slug": "hal",
        "name": "Hal",
        "reason": "cadence",
        "due": "2026-10-24",
        "days_overdue": 29,
        "when": "29 days overdue",
        "detail": "every 2 weeks; last contact 2026-10-10",
        "path": "people/hal.md",
        "line": 3,
        "circle": None,
        "key": "cadence",
        "other": None,
    }
    by_slug = {d["slug"]: d for d in data}
    assert by_slug["gus"]["detail"] == "intro to [[ada]] on 2026-11-01: how did it go?"
    assert by_slug["dee"]["detail"] == "met at PyCon US 2026"
    assert (by_slug["ivy"]["detail"], by_slug["ivy"]["line"]) == ("return the book", 10)


def test_today_comes_from_kith_today_when_not_given(dozen, kith, monkeypatch):
    monkeypatch.setenv("KITH_TODAY", TODAY)
    assert rows(kith(dozen, "due", "--format", "json")) == EXPECTED


def test_within_looks_further_ahead(dozen, kith):
    got = rows(kith(dozen, "due", "--today", TODAY, "--within", "9", "--format", "json"))
    assert got == EXPECTED + [("ada", "task", "2026-12-01", -9)]
    got = rows(kith(dozen, "due", "--today", TODAY, "--within", "0", "--format", "json"))
    assert got == EXPECTED[:7]


def test_limit_keeps_the_most_overdue_and_closer_circles_on_ties(dozen, kith):
    got = rows(kith(dozen, "due", "--today", TODAY, "--limit", "6", "--format", "json"))
    # cy and fay are both due today; fay is in the inner circle.
    assert got == EXPECTED[:5] + [("fay", "task", "2026-11-22", 0)]


def test_plugin_limit_applies_and_the_option_overrides_it(dozen, kith):
    dozen.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      limit: 2\n")
    assert rows(kith(dozen, "due", "--today", TODAY, "--format", "json")) == EXPECTED[:2]
    assert rows(kith(dozen, "due", "--today", TODAY, "--limit", "0", "--format", "json")) == EXPECTED


def test_tag_and_circle_filters(dozen, kith):
    assert rows(kith(dozen, "due", "--today", TODAY, "--tag", "python", "--format", "json")) == [
        ("jon", "cadence", "2026-11-24", -2)
    ]
    assert rows(kith(dozen, "due", "--today", TODAY, "--circle", "close", "--format", "json")) == [
        ("ada", "cadence", "2026-11-01", 21)
    ]


def test_text_table_is_most_overdue_first_and_says_when(dozen, kith):
    result = kith(dozen, "due", "--today", TODAY)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:6] == ["29", "days", "overdue", "2026-10-24", "Hal", "cadence"]
    assert lines[0].endswith("every 2 weeks; last contact 2026-10-10")
    whens = [line.split("  ")[0] for line in lines[:10]]
    assert whens == [
        "29 days overdue", "21 days overdue", "7 days overdue", "5 days overdue", "2 days overdue",
        "due today", "due today", "in 2 days", "in 3 days", "in 7 days",
    ]
    assert "Fay" in lines[5] and "Cy" in lines[6]  # closer circle first on the same day
    assert lines[-1] == "10 due, 5 overdue"


def test_nothing_due_says_so_and_exits_0(repo, kith):
    repo.person("kim", "name: Kim")
    result = kith(repo, "due", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout == "Nobody is due on or before 2026-11-29.\n"
    assert json.loads(kith(repo, "due", "--today", TODAY, "--format", "json").stdout) == []


def test_an_unreadable_file_is_named_on_stderr(repo, kith):
    repo.person("ada", "name: Ada\ncadence: 1w")
    repo.write("people/broken.md", "---\nname: [unclosed\n---\n")
    result = kith(repo, "due", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0
    assert [d["slug"] for d in json.loads(result.stdout)] == ["ada"]
    assert "people/broken.md" in result.stderr and "kith validate" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("--circle", "bestie"), ("--within", "-1"), ("--today", "22/11/2026"), ("--limit", "x")],
)
def test_bad_options_are_usage_errors(dozen, kith, args):
    result = kith(dozen, "due", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bad_kith_today_is_a_usage_error(dozen, kith, monkeypatch):
    monkeypatch.setenv("KITH_TODAY", "tomorrow")
    result = kith(dozen, "due")
    assert result.exit_code == 2
    assert "KITH_TODAY" in result.stderr


def test_text_says_when_the_limit_cut_the_list(dozen, kith):
    result = kith(dozen, "due", "--today", TODAY, "--limit", "3")
    lines = result.stdout.splitlines()
    assert [line.split("  ")[0] for line in lines[:3]] == ["29 days overdue", "21 days overdue", "7 days overdue"]
    assert lines[-1] == "3 due, 3 overdue (the 3 most urgent of 10; --limit 0 shows all)"
