"""Telling an export's format from its name and first lines (`kith import auto`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import google, outlook, thunderbird
from .csvfile import Header, decode
from .linkedin import HEADER as LINKEDIN_HEADER

HEAD_BYTES = 64 * 1024
FORMATS = ("linkedin", "vcard", "google", "outlook", "thunderbird")


def sniff(path: Path) -> str | None:
    """`linkedin`, `vcard`, `google`, `outlook`, `thunderbird`, or None when it is not obvious."""
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    return sniff_bytes(path.name, head)


def sniff_bytes(name: str, head: bytes) -> str | None:
    lowered = name.lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 ("Unicode" in Windows' save dialog): look at it as UTF-8.
        head = head[: len(head) - len(head) % 2].decode("utf-16", errors="ignore").encode("utf-8")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:11].upper()
    if start == b"BEGIN:VCARD" or (lowered.endswith((".vcf", ".vcard")) and not head.strip()):
        return "vcard"
    try:
        text, _ = decode(head)
    except Exception:  # a head that cannot be decoded is not obviously anything
        return None
    lines = text.splitlines()[:20]
    if len(head) >= HEAD_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut off
    first = lines[0] if lines else ""
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:
        return None
    for cells in rows:
        header = Header(cells)
        if header.has(*LINKEDIN_HEADER):
            return "linkedin"
        if google.looks_like(header):
            return "google"
        if outlook.looks_like(header):
            return "outlook"
        if thunderbird.looks_like(header):
            return "thunderbird"
    if lowered == "connections.csv":
        return "linkedin"
    return None
