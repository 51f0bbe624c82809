"""Every finding code kith reports, with its severity and what it means.

The validator, the docs and the tests read this table; a code not listed here
cannot be reported."""

from __future__ import annotations

ERROR = "error"
WARNING = "warning"

CODES: dict[str, tuple[str, str]] = {
    # the file
    "encoding": (ERROR, "The file is not UTF-8."),
    "frontmatter-missing": (ERROR, "The file does not start with `---` front matter."),
    "frontmatter-unclosed": (ERROR, "The front matter has no closing `---`."),
    "frontmatter-not-mapping": (ERROR, "The front matter is not a set of `key: value` lines."),
    "yaml-syntax": (ERROR, "The front matter is not valid YAML."),
    "yaml-tag": (ERROR, "The front matter uses a YAML tag such as `!!python/...`; refused."),
    "yaml-aliases": (ERROR, "YAML aliases expand without bound (an alias bomb); refused."),
    "yaml-too-large": (ERROR, "The front matter is too large to be a contact."),
    "yaml-coercion": (
        WARNING,
        "YAML 1.1 changes this unquoted value (`01234` -> 668, `yes` -> true, `1:30` -> 90).",
    ),
    "duplicate-key": (ERROR, "The same key appears twice in the front matter."),
    # the keys
    "name-missing": (ERROR, "`name` is missing or empty."),
    "name-type": (ERROR, "`name` is not text."),
    "type": (ERROR, "A value has the wrong type (a list where text belongs, ...)."),
    "single-string": (WARNING, "A single string where a list belongs; read as a one-item list."),
    "unknown-key": (WARNING, "A key kith does not know; often a typo."),
    "date-invalid": (ERROR, "A date that is not a real day, or not YYYY-MM-DD."),
    "cadence-invalid": (ERROR, "`cadence` is not N followed by d, w, m or y."),
    "circle-invalid": (ERROR, "`circle` is not inner, close, friend or acquaintance."),
    "email-invalid": (ERROR, "An email address that cannot be one."),
    "relationship-type": (WARNING, "A relationship type kith has no inverse for."),
    # the body
    "log-undated": (WARNING, "A line in `## Log` that is not `- YYYY-MM-DD kind: text`."),
    "task-undated": (WARNING, "An open task without a due date."),
    # across files
    "unknown-slug": (ERROR, "A relationship, `met.via` or `[[link]]` names no existing person."),
    "self-reference": (ERROR, "A person's relationship, `met.via` or `[[link]]` names themself."),
    "duplicate-slug": (ERROR, "Two files have the same name (slug) in different folders."),
    "duplicate-email": (ERROR, "Two people share an email address."),
    "path-outside": (ERROR, "A path given on the command line is not a contact file."),
}


def severity(code: str) -> str:
    return CODES[code][0]


# Codes the writing commands report about what they did or could not do
# (not findings of `kith validate`): each is documented in a table of
# docs/reference/writing.md or docs/reference/tidy.md, which a test checks.
COMMAND_CODES: dict[str, tuple[str, str]] = {
    "write-failed": (ERROR, "Writing failed (disk full, permissions); the files are unchanged."),
    "write-refused": (ERROR, "The file cannot be edited (no front matter, not UTF-8, a value that would not read back)."),
    "slug-taken": (ERROR, "`kith new`: the file exists; choose another `--slug`."),
    "git-failed": (ERROR, "`kith log --commit` wrote the file but `git commit` failed."),
    "phone-unread": (WARNING, "A phone number enrich could not read; left as written."),
    "rename-skipped": (WARNING, "`kith enrich --rename` could not rename this file."),
    "relationship-unwritten": (WARNING, "An inverse relationship could not be added."),
    "enrich-refused": (ERROR, "The file has errors, so enrich left it alone."),
    "merge-conflict": (WARNING, "`kith merge`: both files hold this value differently; one is kept, the other goes into the notes."),
    "merge-refused": (ERROR, "`kith merge` cannot join the two files safely; nothing was written."),
    "task-not-found": (ERROR, "`kith done`: no open task matches."),
    "task-ambiguous": (ERROR, "`kith done`: several open tasks match and there is no terminal to ask which."),
}
