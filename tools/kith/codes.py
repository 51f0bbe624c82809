"""Every finding code kith reports, with its severity and what it means.

The validator, the docs and the tests read this table; a code not listed here
cannot be reported."""

from __future__ import annotations

ERROR = "error"
WARNING = "warning"

CODES: dict[str, tuple[str, str]] = {
    # the file
    "encoding": (ERROR, "The file is not UTF-8."),
    "unreadable": (ERROR, "The file cannot be read (permissions, a broken link)."),
    "not-a-file": (ERROR, "A `.md` name under people/ that is a pipe, device or socket, not a file; left out."),
    "file-too-large": (ERROR, "A contact file over 8 MiB; left out."),
    "slug-invalid": (
        ERROR,
        "A file name that cannot be a slug (spaces, brackets, quotes, bytes that are not UTF-8...); "
        "the person is left out, so the name never reaches a link or a page.",
    ),
    "slug-style": (WARNING, "A file name that works as a slug but is not lower-case-kebab (`Ada_Lovelace.md`)."),
    "symlink-outside": (WARNING, "A contact file that is a link to a file outside the repository; it is published."),
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
    "number-too-long": (WARNING, "An unquoted number of over 64 characters; kept as text."),
    "duplicate-key": (ERROR, "The same key appears twice in the front matter."),
    "private-doubtful": (
        ERROR,
        "The privacy flag is not exactly `private: true` or `private: false` (another spelling of the key, "
        "a quoted or non-boolean value, an empty value, the key twice); the person is kept private.",
    ),
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
    "fence-unclosed": (
        WARNING,
        "A code fence (```` ``` ```` or `~~~`) that never closes; renderers disagree on what follows it, "
        "so kith will not write into such a file.",
    ),
    "notes-unrenderable": (
        WARNING,
        "Notes Markdown cannot render in bounded time and depth (thousands of `[` in a paragraph, "
        "lists nested hundreds deep...); the page shows them as plain text.",
    ),
    "private-unplaced": (
        ERROR,
        "A `Private` heading, or the end of a private section, that kith cannot place for certain "
        "(inside a list, quote, admonition or code, in HTML, or after an odd fence); the person's "
        "notes, log and mentions are withheld from the site until it is fixed.",
    ),
    "journal-undated": (
        WARNING,
        "A journal note with neither a date in its file name nor `date:` in its front matter; "
        "its entries without a date of their own count for no one.",
    ),
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
    "calendar-unreadable": (ERROR, "`kith import calendar`: a file that is not an iCalendar file, or whose events cannot be expanded; skipped."),
    "mail-malformed": (WARNING, "`kith import mail`: a message without a sender, a readable date or a header block; skipped."),
    "mail-encoding": (WARNING, "`kith import mail`: a header in a charset that does not decode; the message is skipped."),
    "email-shared": (WARNING, "`kith import calendar`/`mail`: an address in several people's files; nothing is logged for it."),
}
