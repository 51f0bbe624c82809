"""Desktop notifications: the digest at a glance, where the desktop offers a
way to show one. notify-send (libnotify) on Linux and the BSDs, osascript on
macOS; anywhere else kith says there is none rather than pretend."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys

TIMEOUT = 20
"""Seconds a notifier may take: it only hands the text to the desktop."""


class NotifyError(Exception):
    """No notification could be shown; the text says why and what to do."""


def find_notifier() -> list[str] | None:
    """The command that shows a notification here, or None."""
    found = shutil.which("notify-send")
    if found:
        return [found]
    found = shutil.which("osascript")
    if found and sys.platform == "darwin":
        return [found]
    return None


def notify(title: str, body: str) -> str:
    """Show a notification; returns the notifier's name. The texts are passed
    as arguments, never through a shell or into a script's source."""
    command = find_notifier()
    if command is None:
        raise NotifyError(
            "no desktop notifier found: kith shows notifications with notify-send "
            "(Linux; Debian and Ubuntu package libnotify-bin) or osascript (macOS)"
        )
    program = command[0]
    if program.endswith("osascript"):
        # The texts arrive as `argv`, so no quote in a name can end the
        # AppleScript string it would otherwise be pasted into.
        args = [
            program,
            "-e", "on run argv",
            "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
            "-e", "end run",
            title, body,
        ]  # fmt: skip
    else:
        # Notification servers may read the body as simple markup: escape it.
        args = [program, "--app-name=kith", "--", title, html.escape(body, quote=False)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise NotifyError(f"{program} did not finish within {TIMEOUT} s") from None
    except OSError as exc:
        raise NotifyError(f"cannot run {program}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = " / ".join(done.stderr.decode("utf-8", "replace").strip().splitlines()[:3])
        hint = (
            " (run from cron, it needs the desktop session's DBUS_SESSION_BUS_ADDRESS; "
            "a systemd user timer has it)"
            if "dbus" in said.lower() or "display" in said.lower()
            else ""
        )
        raise NotifyError(f"{program} failed with exit code {done.returncode}: {said or 'no message'}{hint}")
    return program.rsplit("/", 1)[-1]
