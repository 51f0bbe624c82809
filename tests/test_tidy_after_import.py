"""The issue's "done means", end to end through the real CLI: the sample
exports imported twice under different names (as a phone and a laptop would
each bring them in), `kith dupes` lists every pair, `kith merge` joins them
with nothing lost, and `kith triage`, driven through a pseudo-terminal,
gives everyone a circle and a cadence without a file being opened."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pexpect

from conftest import Repo
from kith.importers.sniff import sniff
from kith.load import load_network

SAMPLES = Path(__file__).resolve().parent / "samples"
KITH = str(Path(sys.executable).parent / "kith")


def import_all(repo: Repo, kith) -> None:
    for sample in sorted(SAMPLES.glob("*/*")):
        if sample.suffix not in (".csv", ".vcf") or sniff(sample) is None:
            continue  # Thunderbird's CSV is not a format kith reads
        result = kith(repo, "import", "auto", str(sample))
        # Some samples hold a card kith cannot read: reported, the rest imported.
        assert result.exit_code in (0, 1), (sample.name, result.output)
        assert "created" in result.output or "updated" in result.output


def facts(person) -> dict:
    """What a person holds that a merge must not lose."""
    return {
        "emails": {e.lower() for e in person.emails},
        "phones": set(person.phones),
        "links": set(person.links.values()),
        "tags": {t.lower() for t in person.tags},
        "names": {person.name, *person.aka},
        "company": person.company,
        "title": person.title,
        "birthday": person.birthday,
        "notes": {line for line in person.notes.splitlines() if line.strip()},
    }


def test_import_twice_then_dupes_merge_and_triage(tmp_path, kith) -> None:
    phone, laptop = Repo(tmp_path / "phone"), Repo(tmp_path / "laptop")
    import_all(phone, kith)
    import_all(laptop, kith)
    first = load_network(phone.root)
    # The laptop's people join the phone's under other file names.
    for path in sorted((laptop.root / "people").glob("*.md")):
        shutil.copy(path, phone.root / "people" / f"{path.stem}-laptop.md")
    slugs = sorted(first.people)
    assert len(slugs) > 25
    # The journal names the laptop's copies; a merge moves those links too.
    phone.write("journal/2026-12-01.md", "".join(f"- call: with [[{slug}-laptop]]\n" for slug in slugs))
    before = load_network(phone.root)
    assert kith(phone, "validate").exit_code == 1  # shared emails: validate keeps erroring

    found = json.loads(kith(phone, "dupes", "--format", "json").stdout)
    pairs = {(p["a"], p["b"]): [r["code"] for r in p["reasons"]] for p in found}
    for slug in slugs:
        reasons = pairs[(slug, f"{slug}-laptop")]
        assert "name" in reasons
        if before.people[slug].emails:
            assert "email" in reasons
    assert found[0]["score"] >= found[-1]["score"]

    for slug in slugs:
        result = kith(phone, "merge", slug, f"{slug}-laptop")
        assert result.exit_code == 0, (slug, result.output)
    after = load_network(phone.root)
    assert sorted(after.people) == slugs
    for slug in slugs:
        merged, one, two = facts(after.people[slug]), facts(before.people[slug]), facts(before.people[f"{slug}-laptop"])
        for key in ("emails", "phones", "links", "tags", "names", "notes"):
            assert merged[key] >= one[key] | two[key], (slug, key)
        assert merged["company"] == one["company"] and merged["birthday"] == one["birthday"], slug
        # The same export twice: the merged file is the first one, unchanged.
        assert (phone.root / "people" / f"{slug}.md").read_bytes() == before.people[slug].path.read_bytes()
    assert phone.read("journal/2026-12-01.md") == "".join(f"- call: with [[{slug}]]\n" for slug in slugs)
    check = json.loads(kith(phone, "validate", "--format", "json").stdout)
    assert [f for f in check if f["severity"] == "error"] == []

    env = {**os.environ, "KITH_TODAY": "2026-12-03", "TERM": "dumb", "EDITOR": "false", "VISUAL": "false"}
    child = pexpect.spawn(KITH, ["--root", str(phone.root), "triage"], env=env, encoding="utf-8", timeout=60)
    while True:
        index = child.expect_exact(["circle? ", "cadence? ", pexpect.EOF])
        if index == 2:
            break
        child.send("f" if index == 0 else "3")
    child.close()
    assert child.exitstatus == 0
    assert f"triage: {len(slugs)} decided, 0 skipped, 0 left" in child.before
    final = load_network(phone.root)
    assert all(p.circle == "friend" and p.cadence.text == "3m" for p in final.people.values())
    check = json.loads(kith(phone, "validate", "--format", "json").stdout)
    assert [f for f in check if f["severity"] == "error"] == []
