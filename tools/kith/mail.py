"""Mailing the digest: the settings, the message, and its delivery through
SMTP or the local sendmail.

Settings come from the `mail:` options of the kith plugin in mkdocs.yml and
from the user's kith config file (`options.user_config_path`), the file's
values winning key by key. The password never comes from either: a
`password:` key is refused, and the password is read from an environment
variable (`password_env`, default KITH_SMTP_PASSWORD) or the system keyring
(the optional `keyring` package). Every failure is a `MailError` whose text
says what to fix; none is a traceback. docs/reference/digest.md is the
user's side of this.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from .digest import Digest, subject, to_html, to_text
from .options import Located, OptionsError, file_section, mkdocs_section, user_config_path

METHODS = ("smtp", "sendmail")
SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_PASSWORD_ENV = "KITH_SMTP_PASSWORD"
DEFAULT_KEYRING_SERVICE = "kith"
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 600.0
SENDMAIL_PLACES = ("/usr/sbin/sendmail", "/usr/lib/sendmail")

KEYS = (
    "to", "from", "method", "host", "port", "security", "user",
    "password_env", "keyring_service", "cafile", "timeout", "sendmail",
)  # fmt: skip
"""Every key `mail:` takes. Anything else is a typo, and refused."""


class MailConfigError(Exception):
    """The mail settings cannot work as written: exit code 2."""


class MailError(Exception):
    """The digest could not be delivered: exit code 1."""


@dataclass(frozen=True)
class MailSettings:
    to: tuple[str, ...]
    sender: str
    method: str = "smtp"
    host: str | None = None
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password_env: str = DEFAULT_PASSWORD_ENV
    keyring_service: str = DEFAULT_KEYRING_SERVICE
    cafile: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    sendmail: str | None = None

    def describe(self) -> str:
        """Where the digest goes and how, for the user: no password."""
        if self.method == "sendmail":
            return f"{', '.join(self.to)} through {self.sendmail}"
        login = f" as {self.user}" if self.user else ""
        return f"{', '.join(self.to)} through {self.host}:{self.port} ({self.security}){login}"


# -- reading the settings ----------------------------------------------------------


def read_mail_settings(
    root: Path,
    config: Path | None = None,
    to: tuple[str, ...] = (),
    environ: Mapping[str, str] | None = None,
) -> MailSettings:
    """The mail settings for the repository at `root`: mkdocs.yml's
    `mail:`, then the kith config file's `mail:` over it (`config`, else
    $KITH_CONFIG or ~/.config/kith/config.yml), then `to` (from `--to`)
    over both. Raises MailConfigError naming the file and line to fix."""
    env = os.environ if environ is None else environ
    try:
        values: dict[str, Located] = dict(mkdocs_section(root, "mail") or {})
        path = config if config is not None else user_config_path(dict(env))
        values.update(file_section(path, "mail", required=config is not None) or {})
    except OptionsError as exc:
        raise MailConfigError(str(exc)) from None
    return _settings(values, root, to, env)


def _problem(located: Located, root: Path, message: str) -> MailConfigError:
    return MailConfigError(f"{located.where(root)}: error: mail: {message}")


def _settings(values: dict[str, Located], root: Path, to: tuple[str, ...], env: Mapping[str, str]) -> MailSettings:
    if "password" in values:
        raise _problem(
            values["password"],
            root,
            "password: a password does not belong in a settings file; "
            f"set the environment variable {DEFAULT_PASSWORD_ENV} (or the one `password_env` names), "
            "or store it in the system keyring",
        )
    for key, located in values.items():
        if key not in KEYS:
            raise _problem(located, root, f"unknown setting {key!r} (known: {', '.join(KEYS)})")

    def text(key: str, default: str | None = None) -> str | None:
        located = values.get(key)
        if located is None or located.value is None:
            return default
        value = located.value
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise _problem(located, root, f"{key}: expected text")
        value = str(value).strip()
        if not value or len(value) > 1000 or any(c in value for c in "\r\n\0"):
            raise _problem(located, root, f"{key}: {_shown(value)} cannot be used")
        return value

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = text(key, default)
        assert value is not None
        if value.lower() not in allowed:
            raise _problem(values[key], root, f"{key}: {_shown(value)} is not one of {', '.join(allowed)}")
        return value.lower()

    where = {key: located.where(root) for key, located in values.items()}

    if to:
        try:
            recipients = tuple(_address(a, "--to") for a in to)
        except MailConfigError as exc:
            raise MailConfigError(f"error: {exc}") from None
    elif "to" in values and values["to"].value is not None:
        located = values["to"]
        raw = located.value if isinstance(located.value, list) else [located.value]
        if not raw or not all(isinstance(a, str) for a in raw):
            raise _problem(located, root, "to: expected an address or a list of addresses")
        try:
            recipients = tuple(_address(a, "to") for a in raw)
        except MailConfigError as exc:
            raise _problem(located, root, str(exc)) from None
    else:
        raise MailConfigError(
            "error: mail: no address to send the digest to: set `to:` under `mail:` in the kith "
            "plugin's options in mkdocs.yml or in your kith config file "
            f"({user_config_path(dict(env))}), or pass --to ADDRESS"
        )

    sender = text("from")
    if sender is None:
        sender = recipients[0]
    else:
        try:
            sender = _address(sender, "from")
        except MailConfigError as exc:
            raise _problem(values["from"], root, str(exc)) from None

    host = text("host")
    method = choice("method", METHODS, "smtp" if host else "sendmail")
    security = choice("security", SECURITY, "starttls")

    port = DEFAULT_PORTS[security]
    if "port" in values and values["port"].value is not None:
        value = values["port"].value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise _problem(values["port"], root, f"port: {_shown(value)} is not a port number (1 to 65535)")
        port = value

    timeout = DEFAULT_TIMEOUT
    if "timeout" in values and values["timeout"].value is not None:
        value = values["timeout"].value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_TIMEOUT:
            raise _problem(values["timeout"], root, f"timeout: {_shown(value)} is not a number of seconds up to {MAX_TIMEOUT:g}")
        timeout = float(value)

    cafile = None
    if text("cafile"):
        located = values["cafile"]
        cafile = Path(str(located.value)).expanduser()
        if not cafile.is_absolute():
            cafile = located.path.parent / cafile  # relative to the file it is written in
        if not cafile.is_file():
            raise _problem(located, root, f"cafile: no such file: {cafile}")

    password_env = text("password_env", DEFAULT_PASSWORD_ENV)
    assert password_env is not None
    if not password_env.replace("_", "").isalnum():
        raise _problem(values["password_env"], root, f"password_env: {_shown(password_env)} is not the name of an environment variable")

    settings = MailSettings(
        to=recipients,
        sender=sender,
        method=method,
        host=host,
        port=port,
        security=security,
        user=text("user"),
        password_env=password_env,
        keyring_service=text("keyring_service", DEFAULT_KEYRING_SERVICE) or DEFAULT_KEYRING_SERVICE,
        cafile=cafile,
        timeout=timeout,
        sendmail=text("sendmail"),
    )
    if method == "smtp":
        if not host:
            raise MailConfigError(
                "error: mail: method is smtp but no `host:` is set (your provider's SMTP server, "
                "such as smtp.example.org); or set `method: sendmail` to use this machine's sendmail"
            )
        if any(c.isspace() or c in "/@" for c in host):
            raise _problem(values["host"], root, f"host: {_shown(host)} is not a host name")
        if settings.user and security == "none" and not _is_loopback(host):
            raise _problem(
                values.get("security") or values["host"],
                root,
                f"refusing to send the password of {settings.user!r} unencrypted to {host}: "
                "set `security: starttls` (port 587) or `security: tls` (port 465)",
            )
    else:
        found = _find_sendmail(settings.sendmail)
        if found is None:
            where_set = f"{where['sendmail']}: " if "sendmail" in where else ""
            raise MailConfigError(
                f"{where_set}error: mail: no sendmail found ({settings.sendmail or 'sendmail on PATH, ' + ', '.join(SENDMAIL_PLACES)}): "
                "install a mail transfer agent (msmtp-mta, Postfix...), or set `host:` to send through an SMTP server"
            )
        settings = replace(settings, sendmail=found)
    return settings


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _address(value: str, what: str) -> str:
    """An address as written (`Ada <ada@example.org>` or `ada@example.org`),
    checked: one address, with an @, no line break (a header injection)."""
    value = value.strip()
    found = getaddresses([value])
    addr = found[0][1] if len(found) == 1 else ""
    if (
        not addr
        or "@" not in addr
        or addr.startswith("@")
        or addr.endswith("@")
        or len(value) > 320
        or any(c in value for c in "\r\n\0")
        or any(c.isspace() for c in addr)
    ):
        raise MailConfigError(f"{what}: {_shown(value)} is not a mail address")
    return value


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _find_sendmail(configured: str | None) -> str | None:
    if configured:
        found = shutil.which(os.path.expanduser(configured))
        return found
    found = shutil.which("sendmail")
    if found:
        return found
    return next((p for p in SENDMAIL_PLACES if os.access(p, os.X_OK)), None)


# -- the password ------------------------------------------------------------------


def password_for(settings: MailSettings, environ: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """(password, where it came from) for `settings.user`: the environment
    variable `password_env`, else the system keyring (service
    `keyring_service`, user name `user`). (None, "") without a user."""
    if not settings.user:
        return None, ""
    env = os.environ if environ is None else environ
    value = env.get(settings.password_env)
    if value:
        return value, f"${settings.password_env}"
    found, why = _from_keyring(settings.keyring_service, settings.user)
    if found:
        return found, f"the keyring ({settings.keyring_service})"
    raise MailConfigError(
        f"error: mail: no password for {settings.user!r}: set the environment variable "
        f"{settings.password_env}, or store it in the system keyring with "
        f"`keyring set {settings.keyring_service} {settings.user}` ({why})"
    )


def _from_keyring(service: str, user: str) -> tuple[str | None, str]:
    try:
        import keyring  # optional: pip install 'kith-crm[keyring]'
        import keyring.errors
    except ImportError:
        return None, "the keyring package is not installed: pip install 'kith-crm[keyring]'"
    try:
        value = keyring.get_password(service, user)
    except keyring.errors.KeyringError as exc:
        return None, f"the keyring could not be read: {exc}"
    return (value, "") if value else (None, f"the keyring has no password for service {service!r}, user {user!r}")


# -- the message ---------------------------------------------------------------------


def compose(digest: Digest, settings: MailSettings) -> EmailMessage:
    """The digest as a multipart/alternative mail: plain text, then HTML."""
    message = EmailMessage()
    message["Subject"] = subject(digest)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = formatdate(localtime=True)
    # The sender's domain, not the machine's name: looking that up could
    # wait on the network.
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "kith.invalid"
    message["Message-ID"] = make_msgid("kith", domain=domain)
    # RFC 3834: made by a program, so no out-of-office reply comes back.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(to_text(digest))
    message.add_alternative(to_html(digest), subtype="html")
    return message


# -- delivery ----------------------------------------------------------------------


def send(message: EmailMessage, settings: MailSettings, password: str | None) -> None:
    """Deliver `message`; raises MailError saying what went wrong."""
    if settings.method == "sendmail":
        _send_sendmail(message, settings)
    else:
        _send_smtp(message, settings, password)


def _send_sendmail(message: EmailMessage, settings: MailSettings) -> None:
    assert settings.sendmail is not None
    # Recipients on the command line, not read from the headers (`-t`), so
    # the message goes exactly where the settings say; `-oi`: a line with a
    # single dot does not end it.
    command = [settings.sendmail, "-oi", "--", *(parseaddr(a)[1] for a in settings.to)]
    try:
        done = subprocess.run(command, input=message.as_bytes(), capture_output=True, timeout=settings.timeout)
    except subprocess.TimeoutExpired:
        raise MailError(f"{settings.sendmail} did not finish within {settings.timeout:g} s") from None
    except OSError as exc:
        raise MailError(f"cannot run {settings.sendmail}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {' / '.join(said[:3])}" if said else ""
        raise MailError(f"{settings.sendmail} failed with exit code {done.returncode}{detail}")


def _send_smtp(message: EmailMessage, settings: MailSettings, password: str | None) -> None:
    host, port = settings.host, settings.port
    assert host is not None
    server = f"{host}:{port}"
    # This machine's name as plain text: smtplib would look up its full
    # name in the DNS, which can hang without a network.
    me = socket.gethostname() or "localhost"
    try:
        context = ssl.create_default_context(cafile=str(settings.cafile) if settings.cafile else None)
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, local_hostname=me, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, local_hostname=me, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise MailError(
                        f"{server} does not offer STARTTLS: set `security: tls` if it expects TLS from the "
                        "start (port 465), or `security: none` only for a server on this machine"
                    )
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                try:
                    client.login(settings.user, password or "")
                except smtplib.SMTPNotSupportedError:
                    raise MailError(f"{server} does not offer a login (AUTH): remove `user:` or check the port") from None
                except smtplib.SMTPAuthenticationError as exc:
                    raise MailError(
                        f"{server} refused the user name or password for {settings.user!r}: {_reply(exc)}"
                    ) from None
            refused = client.send_message(message, from_addr=parseaddr(settings.sender)[1],
                                          to_addrs=[parseaddr(a)[1] for a in settings.to])
    except MailError:
        raise
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"{server} refused every recipient: {_refused(exc.recipients)}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"{server} refused the sender {settings.sender!r}: {_reply(exc)}") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise MailError(
            f"{server} closed the connection ({exc or 'without a word'}): "
            f"is `security: {settings.security}` right for port {port}?"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"{server} refused the message: {_reply(exc)}") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"mail through {server} failed: {exc}") from None
    except ssl.SSLCertVerificationError as exc:
        raise MailError(
            f"the certificate of {server} is not trusted ({exc.verify_message or exc.reason}): "
            "for a server with a private certificate authority, set `cafile:` to its certificate"
        ) from None
    except ssl.SSLError as exc:
        raise MailError(
            f"TLS with {server} failed ({exc.reason or exc}): `security: tls` is for servers that "
            "expect TLS from the start (port 465), `starttls` for port 587"
        ) from None
    except socket.gaierror:
        raise MailError(f"cannot find the mail server {host!r}: check `host:`") from None
    except ConnectionRefusedError:
        raise MailError(f"{server} refused the connection: is the mail server running, and the port right?") from None
    except TimeoutError:
        raise MailError(f"no answer from {server} within {settings.timeout:g} s") from None
    except OSError as exc:
        raise MailError(f"cannot reach {server}: {exc.strerror or exc}") from None
    if refused:
        raise MailError(f"{server} took the digest but refused some recipients: {_refused(refused)}")


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def _refused(recipients: dict) -> str:
    parts = []
    for address, (code, text) in recipients.items():
        said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        parts.append(f"{address} ({code} {' '.join(said.split())})")
    return ", ".join(parts)
