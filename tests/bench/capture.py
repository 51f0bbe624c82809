"""Capture at scale: `kith import mail` on a generated mbox of 100,000
messages (about 1 GB) and `kith import calendar` on a calendar of 5,000
events, each in a child process (wall time and peak memory).

    python -m tests.bench.capture             # the issue's sizes
    python -m tests.bench.capture --quick     # 10,000 messages, 1,000 events

The files are generated into bench-out/capture/ (never into the repository)
and reused while their parameters are unchanged. Each run imports into a
fresh copy of the generated people, so every run writes the same entries.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

from . import measure

OUT = measure.PROJECT / "bench-out" / "capture"
TODAY = dt.date(2026, 11, 22)
ME = "me@example.org"
PEOPLE = 2000
MAIL_TARGET_RATE = 2000.0  # messages a second
MAIL_TARGET_RSS = 300.0  # MB
CALENDAR_TARGET = 10.0  # seconds


def people(root: Path, n: int = PEOPLE) -> None:
    folder = root / "people"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"p{i:05d}.md").write_text(
            f"---\nname: Person {i}\nemails: [p{i}@example.org]\ncadence: 1m\n---\n\nNotes.\n\n## Log\n\n- 2025-01-0{1 + i % 9} call: x\n",
            encoding="utf-8",
        )
    (root / "mkdocs.yml").write_text(f"site_name: bench\nplugins:\n  - kith:\n      me: [{ME}]\n", encoding="utf-8")


def _stamp(path: Path, params: dict) -> bool:
    marker = path.with_suffix(path.suffix + ".json")
    if path.exists() and marker.exists() and json.loads(marker.read_text()) == params:
        return True
    return False


def _mark(path: Path, params: dict) -> None:
    path.with_suffix(path.suffix + ".json").write_text(json.dumps(params))


def mbox(path: Path, messages: int, seed: int = 14) -> int:
    """An mbox of `messages` messages of about 10 KB each (a fifth with an
    attachment, a tenth from mailing lists, some bulk, some broken)."""
    params = {"messages": messages, "seed": seed, "version": 3}
    if _stamp(path, params):
        return path.stat().st_size
    rng = random.Random(seed)
    attachment = base64.encodebytes(bytes(rng.getrandbits(8) for _ in range(24_000))).decode()
    filler = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n" * 110)
    start = dt.datetime(2024, 11, 22, tzinfo=dt.timezone.utc)
    span = int((dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc) - start).total_seconds())
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(messages):
            when = start + dt.timedelta(seconds=rng.randrange(span))
            other = f"Person {rng.randrange(PEOPLE + 500)} <p{rng.randrange(PEOPLE + 500)}@example.org>"
            sent = rng.random() < 0.5
            frm, to = (f"Me <{ME}>", other) if sent else (other, f"Me <{ME}>")
            stamp = when.strftime("%a %b %d %H:%M:%S %Y")
            headers = [
                f"From {ME if sent else 'x@example.org'} {stamp}",
                f"From: {frm}",
                f"To: {to}",
                f"Subject: =?UTF-8?Q?Re:_note_{i}_caf=C3=A9?=",
                f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
                f"Message-ID: <{i}@bench.example>",
            ]
            kind = rng.random()
            if kind < 0.1:
                headers.append("List-Id: <dev.lists.example.org>")
            elif kind < 0.13:
                headers.append("Precedence: bulk")
            elif kind < 0.14:
                headers[4] = "Date: not a date at all"  # the From line's date stands in
            elif kind < 0.145:
                del headers[1]  # no sender: reported and skipped
            if rng.random() < 0.2:
                headers += ["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="b"']
                body = f"--b\nContent-Type: text/plain\n\n{filler[:3000]}\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{attachment[:7000]}--b--\n"
            else:
                body = filler
            out.write("\n".join(headers) + "\n\n" + body + "\n")
    _mark(path, params)
    return path.stat().st_size


def ics(path: Path, events: int, seed: int = 14) -> None:
    """A calendar of `events` events (a tenth weekly for ten weeks, some
    cancelled or declined), over the last two years, in three zones."""
    params = {"events": events, "seed": seed, "version": 1}
    if _stamp(path, params):
        return
    rng = random.Random(seed)
    zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kith bench//EN"]
    start = dt.datetime(2024, 11, 22, 8, 0)
    for i in range(events):
        when = start + dt.timedelta(hours=rng.randrange(2 * 365 * 24))
        zone = zones[i % 3]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{i}@bench",
            f"DTSTART;TZID={zone}:{when:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={zone}:{when + dt.timedelta(hours=1):%Y%m%dT%H%M%S}",
            f"SUMMARY:Meeting {i} about the plan",
            f"ORGANIZER:mailto:{ME}",
            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{rng.randrange(PEOPLE)}@example.org",
            f"ATTENDEE;PARTSTAT={'DECLINED' if i % 17 == 0 else 'ACCEPTED'}:mailto:p{rng.randrange(PEOPLE)}@example.org",
        ]
        if i % 10 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
        if i % 23 == 0:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    _mark(path, params)


def _fresh_people(base: Path) -> Path:
    root = OUT / "repo"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(base, root)
    return root


def run(messages: int = 100_000, events: int = 5_000, runs: int = 1) -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    base = OUT / "people-base"
    if not (base / "people").is_dir():
        people(base)
    mail_file = OUT / f"mail-{messages}.mbox"
    size = mbox(mail_file, messages)
    ics_file = OUT / f"calendar-{events}.ics"
    ics(ics_file, events)
    script = str(Path(sys.executable).parent / "kith")
    mail_runs, calendar_runs = [], []
    for _ in range(runs):
        root = _fresh_people(base)
        mail_runs.append(
            measure.run_child([script, "--quiet", "import", "mail", str(mail_file), "--today", TODAY.isoformat(), "--tz", "UTC"], root)
        )
        root = _fresh_people(base)
        calendar_runs.append(
            measure.run_child([script, "--quiet", "import", "calendar", str(ics_file), "--today", TODAY.isoformat(), "--tz", "UTC"], root)
        )
    mail = sorted(mail_runs, key=lambda r: r.seconds)[len(mail_runs) // 2]
    cal = sorted(calendar_runs, key=lambda r: r.seconds)[len(calendar_runs) // 2]
    rate = messages / mail.seconds
    summary_mail = mail.output.strip().splitlines()[-1]
    summary_cal = cal.output.strip().splitlines()[-1]
    return [
        {
            "figure": f"`kith import mail`, {messages:,} messages ({size / 1e9:.2f} GB mbox)",
            "value": f"{mail.seconds:.1f} s, {rate:,.0f} messages/s, {mail.max_rss_mb:.0f} MB peak",
            "target": f"≥ {MAIL_TARGET_RATE:,.0f} messages/s, < {MAIL_TARGET_RSS:.0f} MB peak",
            "ok": rate >= MAIL_TARGET_RATE and mail.max_rss_mb < MAIL_TARGET_RSS,
            "n": messages,
            "detail": summary_mail,
        },
        {
            "figure": f"`kith import calendar`, {events:,} events (a tenth weekly)",
            "value": f"{cal.seconds:.1f} s, {cal.max_rss_mb:.0f} MB peak",
            "target": f"< {CALENDAR_TARGET:.0f} s",
            "ok": cal.seconds < CALENDAR_TARGET,
            "n": events,
            "detail": summary_cal,
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.capture", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 messages and 1,000 events")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    rows = run(10_000, 1_000, args.runs) if args.quick else run(runs=args.runs)
    for row in rows:
        print(f"{row['figure']}: {row['value']} (target {row['target']}: {'PASS' if row['ok'] else 'FAIL'})")
        print(f"  {row['detail']}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
