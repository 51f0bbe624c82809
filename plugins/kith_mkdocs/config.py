"""The plugin's options, as typed MkDocs config (see docs/reference/plugin.md)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from kith.config import DEFAULT_ASKING, DEFAULT_CONTACT_KINDS, DEFAULT_GIVING


class KithConfig(Config):
    enabled = c.Type(bool, default=True)
    # Where the contacts are, relative to the folder of mkdocs.yml.
    people_dir = c.Type(str, default="people")
    # The day the site is built for (YYYY-MM-DD); default: KITH_TODAY, else today.
    today = c.Optional(c.Type((str, dt.date)))
    # Days ahead that count as "due soon".
    within = c.Type(int, default=7)
    # Most follow-ups shown on the home page (0: all).
    limit = c.Type(int, default=0)
    giving_kinds = c.ListOfItems(c.Type(str), default=list(DEFAULT_GIVING))
    asking_kinds = c.ListOfItems(c.Type(str), default=list(DEFAULT_ASKING))
    default_region = c.Optional(c.Type(str))
    # Follow-up rules (docs/reference/followups.md); the CLI reads the same keys.
    # Days after meeting someone that the "follow up" reminder applies.
    met_window = c.Type(int, default=30)
    # Days after meeting that the follow-up is due.
    met_followup = c.Type(int, default=2)
    # Days after an introduction to ask how it went.
    intro_followup = c.Type(int, default=14)
    # Keep raw HTML in notes as written instead of sanitizing it (scripts,
    # event handlers and javascript: links run on the site). Default: off.
    raw_html = c.Type(bool, default=False)
    # Capture (docs/reference/capture.md): kinds of entry that are contact
    # with everyone they mention; the journal folder ("" for none); your own
    # email addresses; the kinds `kith import calendar` and `mail` write.
    contact_kinds = c.ListOfItems(c.Type(str), default=list(DEFAULT_CONTACT_KINDS))
    journal_dir = c.Type(str, default="journal")
    me = c.ListOfItems(c.Type(str), default=[])
    meeting_kind = c.Type(str, default="meeting")
    email_kind = c.Type(str, default="email")
