"""`kith digest`: what to do today or this week, printed, mailed or shown
as a desktop notification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..digest import FORMATS, PERIODS, Digest, build_digest, notification, site_links
from ..errors import KithError
from ..mail import MailConfigError, MailError, MailSettings, compose, password_for, read_mail_settings
from ..mail import send as send_mail
from ..notify import NotifyError
from ..notify import notify as show_notification
from ..options import OptionsError, mkdocs_value
from . import main
from .common import Repo, SettingsProblem, open_repo, resolve_today, root_option, today_option, unreadable, warn_unreadable


def DeliveryFailed(message: str, code: str = "mail-failed") -> KithError:  # noqa: N802 - raised like a class
    """The digest was not delivered: one line on stderr, exit code 1."""
    return KithError(message, code=code)


@main.command()
@click.option(
    "--period",
    type=click.Choice(list(PERIODS)),
    default="day",
    show_default=True,
    help="day: what is overdue or due today; week: the 7 days from today.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="How to print it (a mail always carries text and HTML).",
)
@click.option("--send", is_flag=True, help="Mail it, with the settings under `mail:` (see docs/reference/digest.md).")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDRESS",
    help="Mail it to ADDRESS instead of the `to:` setting (repeat for several).",
)
@click.option("--notify", is_flag=True, help="Show it as a desktop notification (notify-send or osascript).")
@click.option(
    "--always",
    is_flag=True,
    help="Mail or show it even when nobody is due (by default an empty digest is not sent).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="With --send: print the mail and where it would go, and send nothing.",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="With --send or --notify: print nothing when all went well (cron mails you whatever a job prints).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The kith config file with `mail:` settings. Default: $KITH_CONFIG, else ~/.config/kith/config.yml.",
)
@today_option
@root_option
def digest(
    period: str,
    fmt: str,
    send: bool,
    to: tuple[str, ...],
    notify: bool,
    always: bool,
    dry_run: bool,
    quiet: bool,
    config: Path | None,
    today: dt.datetime | None,
    root: str | None,
) -> None:
    """What to do today (or this week), each person once.

    Overdue people first, then birthdays, people you met and have not
    followed up with, introductions to check on, open tasks and who to keep
    in touch with; each person's line says all they are due for. With
    `site_url` set in mkdocs.yml, each person links to their page on the
    site. Private people and `## Private` items are never in it.

    Printed by default; `--send` mails it (text and HTML), `--notify` shows it
    on the desktop. Exit codes: 0 done (or nothing to send), 1 not delivered
    (the server refused, no notifier...), 2 settings or options wrong.
    """
    if (to or dry_run) and not send:
        raise click.UsageError("--to and --dry-run go with --send")
    repo = open_repo(root)
    day = resolve_today(repo, today)
    network = repo.network()
    warn_unreadable(unreadable(network))
    made = build_digest(network, day, repo.settings, period, _links(repo))

    if not (send or notify):
        click.echo(FORMATS[fmt](made), nl=False)
        return
    say = (lambda text: None) if quiet else (lambda text: click.echo(f"kith digest: {text}", err=True))
    # The settings are read even on a day with nothing to send, so a broken
    # one is reported the first morning, not the first busy one.
    mail = _mail_settings(repo, config, to, dry_run) if send else None
    if made.empty and not always:
        say(f"nobody is due {_span(made)}; nothing sent (--always sends it anyway)")
        return
    if mail is not None:
        _mail(made, *mail, dry_run, say)
    if notify and not dry_run:
        title, body = notification(made)
        try:
            shown = show_notification(title, body)
        except NotifyError as exc:
            raise DeliveryFailed(str(exc), code="notify-failed") from None
        say(f"shown with {shown}")


def _span(made: Digest) -> str:
    return "today" if made.period == "day" else "this week"


def _links(repo: Repo):
    """Links to person pages when mkdocs.yml sets an http(s) `site_url`."""
    try:
        url = mkdocs_value(repo.root, "site_url")
        if url is None or url.value is None or url.value == "":
            return None
        directory_urls = mkdocs_value(repo.root, "use_directory_urls")
    except OptionsError as exc:
        raise SettingsProblem(str(exc)) from None
    links = site_links(
        url.value if isinstance(url.value, str) else None,
        directory_urls is None or directory_urls.value is not False,
    )
    if links is None:
        click.echo(
            f"{url.where(repo.root)}: warning: site_url {str(url.value)[:80]!r} is not an http(s) "
            "address; the digest has no links to the site",
            err=True,
        )
    return links


def _mail_settings(
    repo: Repo, config: Path | None, to: tuple[str, ...], dry_run: bool
) -> tuple[MailSettings, str | None]:
    """The mail settings and the password (none for a dry run), or exit 2."""
    try:
        settings = read_mail_settings(repo.root, config, to)
        password = None if dry_run else password_for(settings)[0]
    except MailConfigError as exc:
        raise SettingsProblem(str(exc)) from None
    return settings, password


def _mail(made: Digest, settings: MailSettings, password: str | None, dry_run: bool, say) -> None:
    message = compose(made, settings)
    if dry_run:
        source = f"; password from ${settings.password_env} or the keyring" if settings.user else ""
        click.echo(f"kith digest: would mail {settings.describe()}{source}", err=True)
        click.echo(message.as_string(), nl=False)
        return
    try:
        send_mail(message, settings, password)
    except MailError as exc:
        raise DeliveryFailed(f"not sent: {exc}") from None
    say(f"mailed to {settings.describe()}")
