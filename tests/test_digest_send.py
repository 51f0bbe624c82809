"""`kith digest --send` and `--notify` (GitHub issue 19): the digest mailed to
a real SMTP server (aiosmtpd) started by the test on 127.0.0.1, in plain
text, with STARTTLS and with TLS (certificates from trustme), and parsed
back; the local sendmail and the desktop notifier as real programs on PATH;
every bad setting one clear line and an exit code, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
import stat
import sys
import textwrap
from pathlib import Path

import keyring
import keyring.backend
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from conftest import Repo
from kith.config import Settings
from kith.digest import build_digest, site_links, to_html, to_text
from kith.load import load_network
from test_digest import CANARY, TODAY, make_network

PASSWORD = "s3cret-Pa55"


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path, monkeypatch):
    """The developer's own kith config and password never reach a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("KITH_CONFIG", "KITH_SMTP_PASSWORD", "MY_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


class Inbox:
    """An aiosmtpd handler that keeps what it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, inbox: Inbox, controller: Controller, port: int, logins: list) -> None:
        self.inbox, self.controller, self.port, self.logins = inbox, controller, port, logins


def start_server(**kwargs) -> Server:
    inbox, logins = Inbox(), []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"me@example.org" and auth_data.password == PASSWORD.encode()
        logins.append((auth_data.login.decode(), ok))
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, **kwargs)
    controller.start()
    return Server(inbox, controller, port, logins)


@pytest.fixture
def smtp_server():
    """Plain SMTP on 127.0.0.1; AUTH allowed without TLS (loopback only)."""
    server = start_server(auth_require_tls=False)
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    authority = trustme.CA()
    cafile = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    return authority, cafile


def server_context(authority) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def starttls_server(ca):
    server = start_server(tls_context=server_context(ca[0]), require_starttls=True)
    yield server
    server.controller.stop()


@pytest.fixture
def tls_server(ca):
    # aiosmtpd only counts STARTTLS as TLS; this connection is TLS from the start.
    server = start_server(ssl_context=server_context(ca[0]), auth_require_tls=False)
    yield server
    server.controller.stop()


@pytest.fixture
def net(repo):
    return make_network(repo)


def mail_settings(repo: Repo, lines: str, site_url: str = "") -> None:
    """mkdocs.yml with `mail:` options (indented under the kith plugin)."""
    body = textwrap.indent(textwrap.dedent(lines).strip("\n"), "        ")
    site = f"site_url: {site_url}\n" if site_url else ""
    repo.write("mkdocs.yml", f"site_name: t\n{site}plugins:\n  - search\n  - kith:\n      mail:\n{body}\n")


def plain(server: Server, extra: str = "") -> str:
    return textwrap.dedent(f"""\
        to: Me <me@example.org>
        from: kith <kith@example.org>
        host: 127.0.0.1
        port: {server.port}
        security: none
        timeout: 10
    """) + extra


def parts(message) -> dict[str, str]:
    """Content type -> text, line ends as Python writes them (SMTP sends CRLF)."""
    return {
        part.get_content_type(): part.get_content().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }


# -- delivered ----------------------------------------------------------------------


def test_the_digest_is_mailed_as_text_and_html_and_reads_back(net, kith, smtp_server):
    mail_settings(net, plain(smtp_server), site_url="https://kith.example.org/")
    result = kith(net, "digest", "--send", "--today", TODAY, "--period", "week")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"kith digest: mailed to Me <me@example.org> through 127.0.0.1:{smtp_server.port} (none)" in result.stderr

    [(sender, recipients, message)] = smtp_server.inbox.received
    assert sender == "kith@example.org" and recipients == ["me@example.org"]
    assert message["Subject"] == "kith: 6 people this week, 2 overdue (Sun 22 Nov)"
    assert message["From"] == "kith <kith@example.org>" and message["To"] == "Me <me@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]

    # What was sent is what `kith digest` prints, in both forms.
    network = load_network(net.root)
    made = build_digest(network, dt.date.fromisoformat(TODAY), Settings(), "week", site_links("https://kith.example.org/"))
    got = parts(message)
    assert got["text/plain"] == to_text(made)
    assert got["text/html"] == to_html(made)
    assert got["text/plain"] == kith(net, "digest", "--today", TODAY, "--period", "week").stdout
    assert "https://kith.example.org/people/ada/" in got["text/html"]
    raw = message.as_string()
    assert CANARY not in raw and CANARY not in "".join(got.values())


def test_the_example_network_digest_arrives_readable(example_repo, kith, smtp_server, tmp_path):
    # The project's own mkdocs.yml, untouched; the mail settings in the
    # user's config file, where a real user would keep them.
    config = tmp_path / "xdg" / "kith" / "config.yml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f"mail:\n  to: me@example.org\n  host: 127.0.0.1\n  port: {smtp_server.port}\n  security: none\n",
        encoding="utf-8",
    )
    result = kith(example_repo, "digest", "--send", "--today", TODAY, "--period", "week")
    assert result.exit_code == 0, result.output
    [(_, _, message)] = smtp_server.inbox.received
    assert message["Subject"] == "kith: 18 people this week, 13 overdue (Sun 22 Nov)"
    text, html = parts(message)["text/plain"], parts(message)["text/html"]
    assert "* Zoë Whitfield (inner)\n" in text and "turns 35" in text
    assert "<strong>Zoë Whitfield</strong>" in html
    assert "Peregrine" not in text + html  # private in the example network
    assert message.get_content_charset() is None and message.get_body(("plain",)).get_content_charset() == "utf-8"


def test_quiet_says_nothing_when_all_went_well_and_still_reports_a_failure(net, kith, smtp_server):
    mail_settings(net, plain(smtp_server))
    result = kith(net, "digest", "--send", "--quiet", "--today", TODAY)
    assert (result.exit_code, result.output) == (0, "")
    assert len(smtp_server.inbox.received) == 1
    result = kith(net, "digest", "--send", "--quiet", "--today", TODAY, "--to", "not an address")
    assert result.exit_code == 2
    assert result.stderr == "error: --to: 'not an address' is not a mail address [settings-invalid]\n"


def test_to_on_the_command_line_overrides_the_setting(net, kith, smtp_server):
    mail_settings(net, plain(smtp_server))
    result = kith(net, "digest", "--send", "--today", TODAY, "--to", "a@example.org", "--to", "b@example.org")
    assert result.exit_code == 0, result.output
    [(_, recipients, message)] = smtp_server.inbox.received
    assert recipients == ["a@example.org", "b@example.org"]
    assert message["To"] == "a@example.org, b@example.org"


def test_starttls_with_a_login_and_the_password_from_the_environment(net, kith, starttls_server, ca, monkeypatch):
    mail_settings(net, f"""\
        to: me@example.org
        host: 127.0.0.1
        port: {starttls_server.port}
        security: starttls
        user: me@example.org
        cafile: {ca[1]}
    """)
    monkeypatch.setenv("KITH_SMTP_PASSWORD", PASSWORD)
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert starttls_server.logins == [("me@example.org", True)]
    [(sender, _, message)] = starttls_server.inbox.received
    assert sender == "me@example.org"  # `from` defaults to the first `to`
    assert "Ada Lovelace" in parts(message)["text/plain"]
    assert PASSWORD not in result.output


def test_tls_from_the_start_with_the_password_from_a_named_variable(net, kith, tls_server, ca, monkeypatch):
    mail_settings(net, f"""\
        to: me@example.org
        host: 127.0.0.1
        port: {tls_server.port}
        security: tls
        user: me@example.org
        password_env: MY_SMTP_PASSWORD
        cafile: {ca[1]}
    """)
    monkeypatch.setenv("MY_SMTP_PASSWORD", PASSWORD)
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert tls_server.logins == [("me@example.org", True)]
    assert len(tls_server.inbox.received) == 1


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self, stored: dict) -> None:
        super().__init__()
        self.stored = stored

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    """An empty keyring in memory for every test: the machine's own is never
    asked (it might prompt, or hold a real password)."""
    before = keyring.get_keyring()
    stored: dict = {}
    keyring.set_keyring(MemoryKeyring(stored))
    yield stored
    keyring.set_keyring(before)


def test_the_password_from_the_system_keyring(net, kith, smtp_server, memory_keyring):
    memory_keyring[("kith", "me@example.org")] = PASSWORD
    mail_settings(net, plain(smtp_server, "user: me@example.org\n"))
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert smtp_server.logins == [("me@example.org", True)]


def test_settings_in_the_user_config_file_win_over_mkdocs_yml(net, kith, smtp_server, tmp_path, monkeypatch):
    mail_settings(net, "to: old@example.org\nhost: nowhere.invalid\nport: 1\n")
    config = tmp_path / "xdg" / "kith" / "config.yml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f"mail:\n  to: new@example.org\n  host: 127.0.0.1\n  port: {smtp_server.port}\n  security: none\n",
        encoding="utf-8",
    )
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert smtp_server.inbox.received[0][1] == ["new@example.org"]
    # --config names another file; KITH_CONFIG does the same.
    other = tmp_path / "other.yml"
    other.write_text(f"mail: {{to: other@example.org, host: 127.0.0.1, port: {smtp_server.port}, security: none}}\n")
    assert kith(net, "digest", "--send", "--today", TODAY, "--config", str(other)).exit_code == 0
    monkeypatch.setenv("KITH_CONFIG", str(other))
    assert kith(net, "digest", "--send", "--today", TODAY).exit_code == 0
    assert [r[1] for r in smtp_server.inbox.received] == [["new@example.org"], ["other@example.org"], ["other@example.org"]]


def test_settings_from_the_environment_with_mkdocs_env_tag(net, kith, smtp_server, monkeypatch):
    # MkDocs' `!ENV [VAR, default]`; and a markdown extension's
    # `!!python/name:` tag elsewhere in mkdocs.yml is read as nothing, not run.
    net.write("mkdocs.yml", textwrap.dedent(f"""\
        site_name: t
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
        plugins:
          - kith:
              mail:
                to: !ENV [KITH_TEST_TO, fallback@example.org]
                host: !ENV KITH_TEST_HOST
                port: {smtp_server.port}
                security: none
        """))
    monkeypatch.setenv("KITH_TEST_HOST", "127.0.0.1")
    monkeypatch.delenv("KITH_TEST_TO", raising=False)
    assert kith(net, "digest", "--send", "--today", TODAY).exit_code == 0
    monkeypatch.setenv("KITH_TEST_TO", "env@example.org")
    assert kith(net, "digest", "--send", "--today", TODAY).exit_code == 0
    assert [r[1] for r in smtp_server.inbox.received] == [["fallback@example.org"], ["env@example.org"]]


def test_dry_run_prints_the_mail_and_sends_nothing(net, kith, smtp_server):
    mail_settings(net, plain(smtp_server, "user: me@example.org\n"))
    result = kith(net, "digest", "--send", "--dry-run", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert smtp_server.inbox.received == []
    assert "would mail Me <me@example.org> through 127.0.0.1" in result.stderr
    assert "password from $KITH_SMTP_PASSWORD or the keyring" in result.stderr
    message = email.message_from_string(result.stdout, policy=email.policy.default)
    assert message["Subject"] == "kith: 4 people today, 2 overdue (Sun 22 Nov)"
    assert "Ada Lovelace" in parts(message)["text/plain"]


def test_an_empty_digest_is_not_sent_unless_asked(repo, kith, smtp_server):
    repo.person("fay", "name: Fay Fox\ncadence: 1m", "## Log\n\n- 2026-11-01 call: fine\n")
    mail_settings(repo, plain(smtp_server))
    result = kith(repo, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0
    assert "nobody is due today; nothing sent" in result.stderr
    assert smtp_server.inbox.received == []
    assert kith(repo, "digest", "--send", "--always", "--today", TODAY).exit_code == 0
    [(_, _, message)] = smtp_server.inbox.received
    assert message["Subject"] == "kith: nobody is due today (Sun 22 Nov)"


def test_broken_settings_are_reported_even_when_nobody_is_due(repo, kith, smtp_server):
    repo.person("fay", "name: Fay Fox\ncadence: 1m", "## Log\n\n- 2026-11-01 call: fine\n")
    mail_settings(repo, plain(smtp_server, "user: me@example.org\n"))
    result = kith(repo, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: mail: no password for 'me@example.org'")


# -- sendmail --------------------------------------------------------------------------


def fake_program(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\n" + textwrap.dedent(script), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_local_sendmail_gets_the_message_and_the_recipients(net, kith, tmp_path):
    out = tmp_path / "sent"
    sendmail = fake_program(tmp_path / "bin", "sendmail", f"""\
        import sys
        open({str(out)!r}, "wb").write(repr(sys.argv[1:]).encode() + b"\\n" + sys.stdin.buffer.read())
    """)
    mail_settings(net, f"to: [me@example.org, 'Other One <other@example.org>']\nsendmail: {sendmail}\n")
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert f"through {sendmail}" in result.stderr
    args, _, raw = out.read_bytes().partition(b"\n")
    assert args == b"['-oi', '--', 'me@example.org', 'other@example.org']"
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "me@example.org, Other One <other@example.org>"
    assert "Ada Lovelace" in parts(message)["text/plain"]


def test_a_failing_sendmail_is_reported_with_what_it_said(net, kith, tmp_path):
    sendmail = fake_program(tmp_path / "bin", "sendmail", """\
        import sys
        sys.stdin.read()
        print("sendmail: cannot connect to the relay", file=sys.stderr)
        sys.exit(75)
    """)
    mail_settings(net, f"to: me@example.org\nmethod: sendmail\nsendmail: {sendmail}\n")
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: not sent: {sendmail} failed with exit code 75: sendmail: cannot connect to the relay [mail-failed]\n"
    )


# -- settings that cannot work: exit 2, the file and line named ---------------------------


@pytest.mark.parametrize(
    "lines, message",
    [
        ("to: me@example.org\nhots: smtp.example.org\n",
         "mkdocs.yml:7: error: mail: unknown setting 'hots' (known: to, from, method, host, port"),
        ("to: me@example.org\nhost: smtp.example.org\nport: twenty-five\n",
         "mkdocs.yml:8: error: mail: port: 'twenty-five' is not a port number (1 to 65535)"),
        ("to: me@example.org\nhost: smtp.example.org\nport: 70000\n",
         "mkdocs.yml:8: error: mail: port: 70000 is not a port number (1 to 65535)"),
        ("to: me@example.org\nhost: smtp.example.org\nsecurity: ssl\n",
         "mkdocs.yml:8: error: mail: security: 'ssl' is not one of starttls, tls, none"),
        ("to: not an address\nhost: smtp.example.org\n",
         "mkdocs.yml:6: error: mail: to: 'not an address' is not a mail address"),
        ("to: me@example.org\nhost: smtp.example.org\npassword: hunter2\n",
         "mkdocs.yml:8: error: mail: password: a password does not belong in a settings file; "
         "set the environment variable KITH_SMTP_PASSWORD"),
        ("to: me@example.org\nmethod: smtp\n",
         "error: mail: method is smtp but no `host:` is set"),
        ("to: me@example.org\nhost: smtp.example.org\nsecurity: none\nuser: me\n",
         "mkdocs.yml:8: error: mail: refusing to send the password of 'me' unencrypted to smtp.example.org"),
        ("to: me@example.org\nhost: smtp.example.org\ncafile: missing.pem\n",
         "mkdocs.yml:8: error: mail: cafile: no such file: "),
        ("to: me@example.org\nsendmail: /nonexistent/sendmail\n",
         "mkdocs.yml:7: error: mail: no sendmail found (/nonexistent/sendmail)"),
        ("host: smtp.example.org\n",
         "error: mail: no address to send the digest to: set `to:` under `mail:`"),
        ("to: me@example.org\n  host: [oops\n",
         "mkdocs.yml:7: error: not valid YAML"),
    ],
)
def test_a_bad_setting_is_one_clear_line_and_exit_code_2(net, kith, lines, message):
    mail_settings(net, lines)
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert "hunter2" not in result.output


def test_a_user_without_a_password_anywhere_is_told_where_to_put_it(net, kith, smtp_server, memory_keyring):
    mail_settings(net, plain(smtp_server, "user: me@example.org\n"))
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: mail: no password for 'me@example.org': set the environment variable KITH_SMTP_PASSWORD, "
        "or store it in the system keyring with `keyring set kith me@example.org` "
        "(the keyring has no password for service 'kith', user 'me@example.org') [settings-invalid]\n"
    )
    assert smtp_server.inbox.received == []


def test_without_the_keyring_package_the_message_says_how_to_get_it(net, kith, smtp_server, monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` fails
    mail_settings(net, plain(smtp_server, "user: me@example.org\n"))
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 2
    assert "the keyring package is not installed: pip install 'kith-crm[keyring]'" in result.stderr


def test_a_missing_config_file_named_on_the_command_line(net, kith, tmp_path):
    mail_settings(net, "to: me@example.org\n")
    result = kith(net, "digest", "--send", "--today", TODAY, "--config", str(tmp_path / "nope.yml"))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nope.yml'}: error: no such file [settings-invalid]\n"


def test_a_password_in_the_user_config_file_is_refused_too(net, kith, tmp_path):
    config = tmp_path / "mine.yml"
    config.write_text("mail:\n  to: me@example.org\n  password: hunter2\n", encoding="utf-8")
    result = kith(net, "digest", "--send", "--today", TODAY, "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{config}:3: error: mail: password: a password does not belong")
    assert "hunter2" not in result.output


@pytest.mark.slow
def test_the_site_build_refuses_a_password_in_mkdocs_yml(net):
    from sitebuild import build_site

    result, _ = build_site(net.root, kith_options={"mail": {"to": "me@example.org", "password": "hunter2"}})
    assert result.returncode != 0
    assert "a password does not belong in mkdocs.yml" in result.stderr
    assert "hunter2" not in result.stderr


# -- delivery that fails: exit 1, what happened in words -----------------------------------


def test_a_server_that_is_not_there(net, kith):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = closed.getsockname()[1]
        mail_settings(net, f"to: me@example.org\nhost: 127.0.0.1\nport: {port}\nsecurity: none\ntimeout: 5\n")
        result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: not sent: 127.0.0.1:{port} refused the connection: "
        "is the mail server running, and the port right? [mail-failed]\n"
    )


def test_a_wrong_password(net, kith, smtp_server, monkeypatch):
    monkeypatch.setenv("KITH_SMTP_PASSWORD", "wrong")
    mail_settings(net, plain(smtp_server, "user: me@example.org\n"))
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: not sent: 127.0.0.1:{smtp_server.port} refused the user name or password for 'me@example.org': 535"
    )
    assert "wrong" not in result.stderr.replace("refused", "")
    assert smtp_server.inbox.received == []
    assert smtp_server.logins and not any(ok for _, ok in smtp_server.logins)


def test_an_untrusted_certificate(net, kith, starttls_server):
    mail_settings(net, f"to: me@example.org\nhost: 127.0.0.1\nport: {starttls_server.port}\ntimeout: 10\n")
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: not sent: the certificate of 127.0.0.1:{starttls_server.port} is not trusted")
    assert "set `cafile:`" in result.stderr


def test_starttls_asked_of_a_server_without_it(net, kith, smtp_server):
    mail_settings(net, f"to: me@example.org\nhost: 127.0.0.1\nport: {smtp_server.port}\nsecurity: starttls\n")
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: not sent: 127.0.0.1:{smtp_server.port} does not offer STARTTLS")


def test_tls_asked_of_a_plain_server(net, kith, smtp_server, ca):
    mail_settings(net, f"to: me@example.org\nhost: 127.0.0.1\nport: {smtp_server.port}\nsecurity: tls\n"
                       f"timeout: 10\ncafile: {ca[1]}\n")
    result = kith(net, "digest", "--send", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: not sent: TLS with 127.0.0.1:{smtp_server.port} failed")
    assert "Traceback" not in result.output


def test_a_refused_recipient(net, kith, smtp_server):
    async def refuse(server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.inbox.handle_RCPT = refuse
    mail_settings(net, plain(smtp_server))
    result = kith(net, "digest", "--send", "--today", TODAY, "--to", "nobody@example.org")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: not sent: 127.0.0.1:{smtp_server.port} refused every recipient: "
        "nobody@example.org (550 no such user here) [mail-failed]\n"
    )


# -- the desktop notification -------------------------------------------------------------


def test_notify_shows_the_digest_with_notify_send(net, kith, tmp_path, monkeypatch):
    out = tmp_path / "shown"
    fake_program(tmp_path / "bin", "notify-send", f"""\
        import sys
        open({str(out)!r}, "w", encoding="utf-8").write("\\n---\\n".join(sys.argv[1:]))
    """)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    result = kith(net, "digest", "--notify", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stderr == "kith digest: shown with notify-send\n"
    args = out.read_text(encoding="utf-8").split("\n---\n")
    assert args == [
        "--app-name=kith",
        "--",
        "kith: 4 people today, 2 overdue (Sun 22 Nov)",
        "4 people to get in touch with today, 2 of them overdue.\n"
        "Overdue: Ada Lovelace, Dee Diaz\n"
        "Met, not followed up yet: Cy Chen\n"
        "Open tasks: Bea Brown",
    ]
    assert CANARY not in out.read_text(encoding="utf-8")


def test_notify_escapes_markup_in_names(repo, kith, tmp_path, monkeypatch):
    repo.person("x", "name: '<b>Bold</b> & co'\ncadence: 1w")
    out = tmp_path / "shown"
    fake_program(tmp_path / "bin", "notify-send", f"""\
        import sys
        open({str(out)!r}, "w", encoding="utf-8").write(sys.argv[-1])
    """)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert kith(repo, "digest", "--notify", "--today", TODAY).exit_code == 0
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in out.read_text(encoding="utf-8")


def test_notify_without_a_notifier_says_so(net, kith, tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = kith(net, "digest", "--notify", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no desktop notifier found: kith shows notifications with notify-send "
        "(Linux; Debian and Ubuntu package libnotify-bin) or osascript (macOS) [notify-failed]\n"
    )


def test_a_notifier_without_a_desktop_session_is_explained(net, kith, tmp_path, monkeypatch):
    fake_program(tmp_path / "bin", "notify-send", """\
        import sys
        print("Cannot autolaunch D-Bus without X11 $DISPLAY", file=sys.stderr)
        sys.exit(1)
    """)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    result = kith(net, "digest", "--notify", "--today", TODAY)
    assert result.exit_code == 1
    assert "notify-send failed with exit code 1: Cannot autolaunch D-Bus" in result.stderr
    assert "DBUS_SESSION_BUS_ADDRESS" in result.stderr
