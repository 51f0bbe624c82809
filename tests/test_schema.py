"""`kith schema`: the JSON Schema is generated from schema.FIELDS and agrees
with `kith validate` on the example network and on bad values.

The `jsonschema` package is not a dependency of kith, so the checks run
through `check` below: a small validator for exactly the keywords the
generated schema uses. It refuses any other keyword, so a schema that grows
a keyword it cannot check fails here instead of passing unchecked. When
`jsonschema` happens to be installed, the same documents go through it too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap

import pytest
import yaml

from conftest import EXAMPLE_PEOPLE
from kith import schema
from kith.dates import parse_birthday, parse_cadence, parse_iso_date
from kith.jsonschema import front_matter_schema
from kith.load import contact_files
from kith.model import CIRCLES
from kith.parse import split
from kith.relations import KNOWN_TYPES

ANNOTATIONS = {"$schema", "title", "description", "examples"}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def check(node: dict, value, where: str = "") -> list[str]:
    """Every way `value` fails `node`, as "where: why" lines; [] when valid."""
    errors: list[str] = []
    unknown = set(node) - ANNOTATIONS - {
        "type", "enum", "pattern", "minLength", "minItems", "maxItems", "items",
        "properties", "required", "additionalProperties", "anyOf",
    }  # fmt: skip
    assert not unknown, f"the test validator cannot check {sorted(unknown)} at {where or '/'}"
    if "anyOf" in node:
        if all(check(option, value, where) for option in node["anyOf"]):
            errors.append(f"{where}: matches none of anyOf")
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(TYPES[t](value) for t in types):
            return errors + [f"{where}: {value!r} is not {' or '.join(types)}"]
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{where}: {value!r} is not one of {node['enum']}")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {node['pattern']}")
        if len(value) < node.get("minLength", 0):
            errors.append(f"{where}: too short")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0) or len(value) > node.get("maxItems", len(value)):
            errors.append(f"{where}: wrong number of items")
        if "items" in node:
            for i, item in enumerate(value):
                errors += check(node["items"], item, f"{where}/{i}")
    if isinstance(value, dict):
        for key in node.get("required", []):
            if key not in value:
                errors.append(f"{where}: `{key}` is required")
        properties = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += check(properties[key], item, f"{where}/{key}")
            elif extra is False:
                errors.append(f"{where}: `{key}` is not allowed")
            elif isinstance(extra, dict):
                errors += check(extra, item, f"{where}/{key}")
    return errors


def as_editors_see_it(front: str):
    """Front matter as a YAML 1.2 editor reads it: dates stay text."""
    return json.loads(json.dumps(yaml.safe_load(front), default=lambda v: v.isoformat()))


def front_of(text: str) -> str:
    parts, problem = split(text)
    assert problem is None
    return parts.yaml_text


def validate_both(doc) -> list[str]:
    """`check`'s verdict, confirmed by the jsonschema package when installed."""
    errors = check(SCHEMA, doc)
    try:
        import jsonschema
    except ImportError:
        return errors
    verdict = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc))
    assert bool(verdict) == bool(errors), (verdict, errors)
    return errors


SCHEMA = front_matter_schema()


# -- generated from the one declaration ---------------------------------------


def test_every_key_and_sub_key_is_described():
    props = SCHEMA["properties"]
    assert list(props) == [f.key for f in schema.FIELDS]
    for field in schema.FIELDS:
        assert props[field.key]["description"] == field.description
    assert list(props["met"]["properties"]) == [f.key for f in schema.MET_FIELDS]
    rel_item = props["relationships"]["anyOf"][0]["items"]
    assert list(rel_item["properties"]) == [f.key for f in schema.RELATIONSHIP_FIELDS]
    assert SCHEMA["required"] == ["name"]
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["additionalProperties"] is True


def test_circle_and_relationship_types_come_from_the_core():
    props = SCHEMA["properties"]
    assert props["circle"]["enum"] == list(CIRCLES)
    rel_type = props["relationships"]["anyOf"][0]["items"]["properties"]["type"]
    assert rel_type["examples"] == list(KNOWN_TYPES)
    assert {"enum": list(KNOWN_TYPES)} in rel_type["anyOf"]


@pytest.mark.parametrize(
    "text", ["2w", "10d", "3m", "1y", "2W", " 2 w ", "02m", "0d", "2 weeks", "w", "2", "1.5m", "-1d", "2x"]
)
def test_cadence_pattern_agrees_with_the_validator(text):
    pattern = SCHEMA["properties"]["cadence"]["pattern"]
    assert bool(re.search(pattern, text)) == (parse_cadence(text) is not None)


@pytest.mark.parametrize("text", ["2026-11-22", "2026-1-5", "26-11-22", "2026/11/22", "next week", "2026-11-22x"])
def test_date_pattern_agrees_with_the_validator_on_form(text):
    pattern = SCHEMA["properties"]["snooze"]["pattern"]
    assert bool(re.search(pattern, text)) == (parse_iso_date(text) is not None)


@pytest.mark.parametrize("text", ["1815-12-10", "--12-10", "--1210", "12-10", "--12", "Dec 10"])
def test_birthday_pattern_agrees_with_the_validator_on_form(text):
    pattern = SCHEMA["properties"]["birthday"]["pattern"]
    assert bool(re.search(pattern, text)) == (parse_birthday(text) is not None)


# -- the example network, and bad values --------------------------------------


def test_the_example_network_is_valid():
    files = contact_files(EXAMPLE_PEOPLE)
    assert len(files) > 20
    for path in files:
        doc = as_editors_see_it(front_of(path.read_text(encoding="utf-8")))
        assert validate_both(doc) == [], path.name


GOOD = """
    name: Ada Lovelace
    aka: [Ada King]
    company: Analytical Engines
    title: 42
    emails: [ada@example.org]
    phones: ["+44 20 7946 0000"]
    links: {web: "https://example.org"}
    tags: [math]
    circle: close
    cadence: 2m
    snooze: 2027-01-15
    met: {date: 2024-03-14, where: London, via: [[charles]]}
    birthday: --12-10
    relationships:
      - {with: mary, type: mentor}
      - {with: charles, type: co-founder}
    private: false
    favourite-tea: earl grey
"""


def test_a_full_contact_is_valid_and_unknown_keys_are_allowed():
    assert validate_both(as_editors_see_it(textwrap.dedent(GOOD))) == []


@pytest.mark.parametrize(
    "line, where, severity",
    [
        ("circle: bestie", "/circle", "error"),
        ("cadence: 2 weeks", "/cadence", "error"),
        ("snooze: next week", "/snooze", "error"),
        ("birthday: 12-10", "/birthday", "error"),
        ("emails: [not-an-email]", "/emails/0", "error"),
        ("emails: ada@example.org", "/emails", "warning"),  # read as a one-item list
        ("tags: {a: b}", "/tags", "error"),
        ("met: London", "/met", "error"),
        ("met: {date: soon}", "/met/date", "error"),
        ("relationships: [{type: mentor}]", "/relationships", "error"),
        ("private: maybe", "/private", "error"),
    ],
)
def test_a_bad_value_fails_the_schema_and_kith_validate(line, where, severity, repo, kith):
    front = f"name: Ada\n{line}"
    errors = validate_both(as_editors_see_it(front))
    assert errors and all(e.startswith(where) for e in errors), errors
    repo.person("ada", front)
    result = kith(repo, "validate", "--format", "json")
    assert [f["severity"] for f in json.loads(result.output)] == [severity]


def test_an_empty_name_fails_both(repo, kith):
    assert validate_both(as_editors_see_it("name: ''")) == ["/name: '' does not match \\S"]
    repo.person("ada", "name: ''")
    assert json.loads(kith(repo, "validate", "--format", "json").output)[0]["code"] == "name-missing"


def test_missing_name_fails():
    assert validate_both({"company": "Analytical Engines"}) == [": `name` is required"]


# -- kith schema --------------------------------------------------------------


def test_kith_schema_prints_the_schema(kith, tmp_path):
    result = kith(tmp_path, "schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == SCHEMA


def test_kith_schema_out_writes_the_file(kith, tmp_path):
    result = kith(tmp_path, "schema", "--out", ".vscode/kith.schema.json")
    assert result.exit_code == 0
    assert result.output == ".vscode/kith.schema.json\n"
    assert json.loads((tmp_path / ".vscode" / "kith.schema.json").read_text(encoding="utf-8")) == SCHEMA
    assert [p.name for p in (tmp_path / ".vscode").iterdir()] == ["kith.schema.json"]


def test_kith_schema_out_into_a_file_path_fails_cleanly(kith, tmp_path):
    (tmp_path / "file").write_text("x")
    result = kith(tmp_path, "schema", "--out", "file/schema.json")
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot write file/schema.json")
    assert "Traceback" not in result.output


def test_dates_are_not_what_editors_see():
    # The reason for `as_editors_see_it`: PyYAML reads dates, editors read text.
    assert isinstance(yaml.safe_load("d: 2026-11-22")["d"], dt.date)
    assert as_editors_see_it("d: 2026-11-22") == {"d": "2026-11-22"}


def test_the_editors_guide_problem_matcher_reads_kith_validate(repo, kith):
    # docs/guide/editors.md gives a VS Code task whose pattern must match
    # every finding line `kith validate` prints, and nothing else.
    from conftest import PROJECT

    guide = (PROJECT / "docs" / "guide" / "editors.md").read_text(encoding="utf-8")
    tasks = json.loads(guide.split("```json\n", 1)[1].split("```", 1)[0])
    pattern = tasks["tasks"][0]["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    repo.person("ada", "name: Ada\ncircle: bestie\nbirthdy: 1815-12-10", folder="work")
    lines = kith(repo, "validate").output.splitlines()
    matches = [regexp.match(line) for line in lines]
    assert [bool(m) for m in matches] == [True, True, False]
    first = matches[0]
    assert first.group(pattern["file"]) == "people/work/ada.md"
    assert first.group(pattern["line"]) == "3"
    assert first.group(pattern["severity"]) == "error"
    assert first.group(pattern["code"]) == "circle-invalid"
    assert matches[1].group(pattern["severity"]) == "warning"
