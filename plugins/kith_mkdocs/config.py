"""The plugin's options, as typed MkDocs config (see docs/reference/plugin.md)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from kith.config import DEFAULT_ASKING, DEFAULT_CONTACT_KINDS, DEFAULT_GIVING, SettingsError, parse_alarm_days, parse_alarm_time


class _Checked(c.BaseConfigOption):
    """An option the core parses (`kith.config`): checked here so MkDocs
    names the option, kept raw for `settings_from_mapping`."""

    def __init__(self, parse, default=None) -> None:
        super().__init__()
        self.parse = parse
        self.default = default

    def run_validation(self, value):
        if value is None:
            return self.default
        try:
            self.parse(value)
        except SettingsError as exc:
            raise ValidationError(str(exc).split(": ", 1)[1]) from None
        return value


class _Mail(c.BaseConfigOption):
    """`mail:` is read by `kith digest --send` (kith.mail), not by the site;
    a password written here would be in the repository, so the build refuses
    it."""

    def run_validation(self, value):
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValidationError("expected a set of `name: value` lines")
        if "password" in value:
            raise ValidationError(
                "a password does not belong in mkdocs.yml (it would be in the repository): "
                "use `password_env` or the system keyring (see docs/guide/reminders.md)"
            )
        return value


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
    # The calendar feed's alarms: the time of day ("HH:MM"; false: none) and
    # how many days before a birthday its alarm rings.
    alarm_time = _Checked(parse_alarm_time)
    birthday_alarm_days = _Checked(parse_alarm_days, default=1)
    # Where `kith digest --send` mails the digest (docs/reference/digest.md).
    mail = _Mail()
    # Capture (docs/reference/capture.md): kinds of entry that are contact
    # with everyone they mention; the journal folder ("" for none); your own
    # email addresses; the kinds `kith import calendar` and `mail` write.
    contact_kinds = c.ListOfItems(c.Type(str), default=list(DEFAULT_CONTACT_KINDS))
    journal_dir = c.Type(str, default="journal")
    me = c.ListOfItems(c.Type(str), default=[])
    meeting_kind = c.Type(str, default="meeting")
    email_kind = c.Type(str, default="email")
