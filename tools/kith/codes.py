"""Every finding code kith reports, with its severity and what it means: one
table (`CODES`) for the whole core, in three parts by who reports them:

- `FILE_CODES`: what is wrong in a contact file (`kith validate`, the site
  build, and every command that loads the network); listed in
  docs/reference/validate.md;
- `COMMAND_CODES`: what a command could not do (writing, tidying, the
  digest); listed in docs/reference/writing.md, tidy.md and digest.md;
- `IMPORT_CODES`: what an import file holds that was not imported; listed in
  docs/reference/import-export.md.

A code has one severity and one meaning wherever it is reported. The tests
check that every code is documented with its severity, that no code is in
two parts, and that every code the source reports is in the table."""

from __future__ import annotations

ERROR = "error"
WARNING = "warning"

FILE_CODES: dict[str, tuple[str, str]] = {
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


COMMAND_CODES: dict[str, tuple[str, str]] = {
    "failed": (ERROR, "A command could not do what was asked; the message says why."),
    "settings-invalid": (ERROR, "A setting in mkdocs.yml or a kith config file cannot be used; exit code 2."),
    "mail-failed": (ERROR, "`kith digest --send`: the digest could not be delivered; the message says why."),
    "notify-failed": (ERROR, "`kith digest --notify`: no desktop notification could be shown."),
    "no-person": (ERROR, "No contact file has the slug given; the message suggests the nearest."),
    "usage": (ERROR, "A command was called wrongly (an unknown option, a missing argument); exit code 2."),
    "no-repository": (ERROR, "No `people/` folder here or above, and no `--root`; exit code 2."),
    "render-refused": (ERROR, "`kith render` will not write the folder asked for; nothing was written."),
    "write-failed": (ERROR, "Writing failed (disk full, permissions); the files are unchanged."),
    "write-refused": (ERROR, "The file cannot be edited (no front matter, not UTF-8, a value that would not read back)."),
    "slug-taken": (ERROR, "`kith new`: the file exists; choose another `--slug`."),
    "git-failed": (ERROR, "`kith log --commit` wrote the file but `git commit` failed."),
    "phone-unread": (WARNING, "A phone number that could not be read; enrich leaves it as written, an import leaves it out."),
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


IMPORT_CODES: dict[str, tuple[str, str]] = {
    "too-large": (ERROR, "The import file is too large to be an address book; nothing imported."),
    "not-linkedin": (ERROR, "The file is not a LinkedIn connections export; nothing imported."),
    "not-google": (ERROR, "The file is not a Google Contacts CSV; nothing imported."),
    "not-outlook": (ERROR, "The file is not an Outlook CSV; nothing imported."),
    "not-thunderbird": (ERROR, "The file is not a Thunderbird address book export; nothing imported."),
    "not-vcard": (ERROR, "The file is not a vCard file; nothing imported."),
    "encoding-guessed": (WARNING, "The CSV is not UTF-8 and was read as Windows-1252."),
    "csv-row": (ERROR, "A CSV row could not be read; skipped."),
    "csv-nul": (ERROR, "A CSV row holds NUL bytes (a binary or damaged file); skipped."),
    "csv-columns": (WARNING, "Thunderbird's column names are in a language kith does not know; read by column order."),
    "vcard-unclosed": (ERROR, "A card without END:VCARD; skipped."),
    "vcard-too-large": (ERROR, "A card with over 1 MB of text besides photos; skipped."),
    "vcard-line": (WARNING, "A line inside a card that is not a property, or a value over 64 KB; left out."),
    "vcard-encoding": (WARNING, "A quoted-printable or base64 value not valid in its CHARSET; shown with replacement characters."),
    "no-name": (WARNING, "A row or card that names nobody; skipped."),
    "not-a-person": (WARNING, "A card for an organisation or a group; skipped."),
    "not-imported": (WARNING, "A value kith has no field for (or keeps only one of), named with its line."),
    "email-unread": (WARNING, "An email address that cannot be one; left out, the rest imported."),
    "date-unread": (WARNING, "A date that cannot be read; left out, the rest imported."),
    "conflict": (WARNING, "The contact file keeps its value; the import's differs."),
    "ambiguous": (WARNING, "The card matches several people; skipped."),
    "notes-withheld": (WARNING, "Notes not exported: they hold a Private heading kith cannot place for certain."),
}

CODES: dict[str, tuple[str, str]] = {**FILE_CODES, **COMMAND_CODES, **IMPORT_CODES}


def severity(code: str) -> str:
    return CODES[code][0]
