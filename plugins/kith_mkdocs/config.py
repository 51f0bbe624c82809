"""The plugin's options, as typed MkDocs config (see docs/reference/plugin.md)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from kith.config import DEFAULT_ASKING, DEFAULT_GIVING


class KithConfig(Config):
    enabled = c.Type(bool, default=True)
    # Where the contacts are, relative to the folder of mkdocs.yml.
    people_dir = c.Type(str, default="people")
    # The day the site is built for (YYYY-MM-DD); default: KITH_TODAY, else today.
    today = c.Optional(c.Type((str, dt.date)))
    # Days ahead that count as "due soon".
    within = c.Type(int, default=7)
    # People listed under "Today" on the home page (0: kith's choice, 8).
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
