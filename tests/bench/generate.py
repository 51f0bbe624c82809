"""A deterministic, realistic kith network of N people, for benchmarks.

    python -m tests.bench.generate --n 5000 --out /tmp/net

writes /tmp/net/people/<slug>.md (one file per person) and a mkdocs.yml, so
the folder is a kith repository that `kith validate` and `mkdocs build` take
as is. The same N (and seed) always gives byte-identical files: every choice
comes from one `random.Random` seeded from (seed, N), and nothing reads the
clock.

What makes it realistic enough to measure: every front-matter key, logs of
5 to 20 entries, open and done tasks, `[[slug]]` mentions, notes of a few
hundred words, a few hundred organisations and events shared by many
people, and relationships whose degree is heavy-tailed (a few hubs, many
people with one or two ties), as in an imported LinkedIn network.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
from pathlib import Path

FIRST = (
    "Ada Aisha Alan Amara Ana Anika Arjun Beatriz Ben Callum Chen Clara Dan David Elena Emil "
    "Farah Felix Freya Grace Hana Hugo Ines Imogen Jonas Jose Julia Kai Kwame Lars Lena Leo "
    "Lucia Lukasz Maya Marcus Mina Nadia Nina Noor Oliver Omar Paula Priya Rhys Rosa Ruth "
    "Sam Sara Sofia Soren Theo Tomas Uma Victor Wei Yara Yuki Zoe Zainab"
).split()
LAST = (
    "Adler Asante Berg Brandt Clarke Costa Diallo Dubois Eriksen Ferreira Fischer Garcia Grant "
    "Haddad Hale Hoffmann Ito Jensen Kaur Kim Kjaer Laurent Lindqvist Lopez Martin Mehta Morgan "
    "Nakamura Novak Nowak Okafor Okoye Park Patel Rahman Reid Rossi Santos Schmidt Sharma "
    "Silva Singh Tanaka Varga Webb Whitfield Wong Yilmaz Zhang"
).split()
CITIES = (
    "London Lisbon Berlin Paris Madrid Rome Amsterdam Copenhagen Stockholm Oslo Warsaw Prague "
    "Vienna Zurich Dublin Edinburgh Toronto Boston Austin Seattle Nairobi Lagos Accra Cairo "
    "Mumbai Bangalore Singapore Tokyo Seoul Sydney"
).split()
ORG_WORDS = (
    "Analytical Northwind Bright Harbor Meridian Copper Lantern Orchard Summit Atlas Beacon "
    "Cedar Delta Ember Fable Granite Helix Indigo Juniper Kestrel Lumen Mosaic Nimbus Onyx"
).split()
ORG_KINDS = "Labs Systems Partners Health Energy Studio Capital Foundation Works Group".split()
EVENT_NAMES = [
    "PyCon", "EuroPython", "Web Summit", "SXSW", "Strange Loop", "FOSDEM", "RustConf",
    "DjangoCon", "JSConf", "Climate Week", "Founders Forum", "Data Council", "Open Source Summit",
    "KubeCon", "Design Week", "Health Tech Forum",
]
TITLES = (
    "Engineer", "Senior Engineer", "Designer", "Product Manager", "Founder", "CTO", "Researcher",
    "Data Scientist", "Investor", "Teacher", "Writer", "Recruiter", "Director", "Consultant",
)
TAGS = (
    "python rust climate founders investors design open-source health music hiking books "
    "data ml security community teaching writing photography cycling chess"
).split()
INTERESTS = (
    "solar energy", "jazz", "distributed systems", "poetry", "sailing", "urban gardening",
    "board games", "type theory", "public health", "film", "running", "cooking", "history",
    "small business", "accessibility", "languages", "astronomy", "ceramics",
)
OFFERS = (
    "code review", "pitch feedback", "intros to investors", "hiring advice", "design critique",
    "market insight", "mentoring", "a spare desk", "conference tickets", "editing",
)
NEEDS = (
    "a cofounder", "seed investors", "a publisher", "a new job", "beta users", "a mentor",
    "a designer", "speaking slots", "a flat in Berlin", "hiring help",
)
KINDS_GIVING = ("intro", "shared", "gift", "help", "favour")
KINDS_OTHER = ("coffee", "call", "email", "lunch", "met", "chat", "ask")
REL_TYPES = (
    "colleague", "colleague", "colleague", "friend", "friend", "mentor", "mentee",
    "manager", "report", "introduced-by", "partner", "sibling",
)
CIRCLE_WEIGHTS = (("inner", 1), ("close", 4), ("friend", 15), ("acquaintance", 80))
WORDS = (
    "the a of and to in she he they we is was met talked about project work team new idea "
    "plans city family weekend book recommended startup funding product launch research paper "
    "conference talk coffee walk river kids moved job hiring remote office garden music band "
    "trip summer winter loves hates wants learning teaching grant community open source climate "
    "data model health school university friend brother sister parent cooking running marathon "
    "bike photos dog cat apartment renovation deadline client contract prototype design review"
).split()

TODAY = dt.date(2026, 11, 22)  # fixed, so the files never depend on the clock


def _names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n distinct (slug, name) pairs; repeats of a name get a number, as in a big network."""
    seen: dict[str, int] = {}
    out = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"{first} {last}"
        count = seen.get(base, 0) + 1
        seen[base] = count
        name = base if count == 1 else f"{base} {count}"
        out.append((name.lower().replace(" ", "-"), name))
    return out


def _words(rng: random.Random, count: int) -> str:
    """Sentences of filler words, wrapped at about 72 columns like hand-written notes."""
    words = []
    sentence = 0
    for _ in range(count):
        word = rng.choice(WORDS)
        words.append(word.capitalize() if sentence == 0 else word)
        sentence += 1
        if sentence > rng.randint(6, 16):
            words[-1] += "."
            sentence = 0
    if not words[-1].endswith("."):
        words[-1] += "."
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > 72:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _day(rng: random.Random, start_days_ago: int, end_days_ago: int = 0) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randint(end_days_ago, start_days_ago))


def _flow(values) -> str:
    """A YAML flow list of plain or double-quoted strings."""
    return "[" + ", ".join(_quote(v) for v in values) + "]"


def _quote(value: str) -> str:
    plain = value.replace(" ", "").replace("-", "").isalnum() and not value[:1].isdigit()
    return value if plain else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Popularity:
    """Who gets linked to: Pareto-weighted, so degree is heavy-tailed."""

    def __init__(self, rng: random.Random, n: int) -> None:
        weights = [rng.paretovariate(1.2) for _ in range(n)]
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]
        self.rng = rng

    def pick(self) -> int:
        return bisect.bisect_left(self.cumulative, self.rng.random() * self.total)


def person_file(
    rng: random.Random,
    index: int,
    people: list[tuple[str, str]],
    popular: _Popularity,
    orgs: list[str],
    events: list[tuple[str, str]],
) -> str:
    slug, name = people[index]

    def other() -> str | None:
        for _ in range(5):
            pick = popular.pick()
            if pick != index:
                return people[pick][0]
        return None

    first = name.split()[0]
    lines = ["---", f"name: {name}"]
    if rng.random() < 0.2:
        lines.append(f"aka: [{first[0]}. {name.split()[1]}]")
    lines.append(f"company: {_quote(rng.choice(orgs))}")
    lines.append(f"title: {rng.choice(TITLES)}")
    lines.append(f"location: {rng.choice(CITIES)}")
    lines.append(f"emails: [{slug}@example.org]")
    lines.append(f'phones: ["+44 20 7946 {index % 10000:04d}"]')
    lines.append(
        f'links: {{linkedin: "https://www.linkedin.com/in/{slug}", web: "https://{slug}.example.org"}}'
    )
    lines.append(f"tags: {_flow(rng.sample(TAGS, rng.randint(1, 3)))}")
    circle = rng.choices([c for c, _ in CIRCLE_WEIGHTS], [w for _, w in CIRCLE_WEIGHTS])[0]
    lines.append(f"circle: {circle}")
    if circle != "acquaintance" or rng.random() < 0.2:
        lines.append(f"cadence: {rng.choice(['2w', '1m', '2m', '3m', '6m', '1y'])}")
    if rng.random() < 0.03:
        lines.append(f"snooze: {(TODAY + dt.timedelta(days=rng.randint(5, 60))).isoformat()}")
    event, where = rng.choice(events)
    lines += ["met:", f"  date: {_day(rng, 3000, 1).isoformat()}", f"  where: {where}"]
    if rng.random() < 0.6:
        lines.append(f"  event: {_quote(event)}")
    via = other() if rng.random() < 0.3 else None
    if via:
        lines.append(f"  via: {via}")
    if rng.random() < 0.5:
        birthday = _day(rng, 365 * 60, 365 * 22)
        lines.append(
            f"birthday: {birthday.isoformat()}"
            if rng.random() < 0.7
            else f'birthday: "--{birthday.month:02d}-{birthday.day:02d}"'
        )
    lines.append(f"interests: {_flow(rng.sample(INTERESTS, rng.randint(1, 4)))}")
    if rng.random() < 0.5:
        lines.append(f"offers: {_flow(rng.sample(OFFERS, rng.randint(1, 2)))}")
    if rng.random() < 0.4:
        lines.append(f"needs: {_flow(rng.sample(NEEDS, rng.randint(1, 2)))}")
    # Heavy-tailed out-degree too: most people name 0-2 others, a few name many.
    degree = min(int(rng.paretovariate(1.5)) - 1 + (rng.random() < 0.5), 25)
    targets: list[str] = []
    for _ in range(degree):
        target = other()
        if target and target not in targets:
            targets.append(target)
    if targets:
        lines.append("relationships:")
        lines += [f"  - {{with: {t}, type: {rng.choice(REL_TYPES)}}}" for t in targets]
    if index % 97 == 13:
        lines.append("private: true")
    lines.append("---")
    lines.append("")

    notes = _words(rng, rng.randint(150, 350))
    if rng.random() < 0.4:
        mentioned = other()
        if mentioned:
            notes += f"\nWe talked about [[{mentioned}]] and what they are building."
    lines.append(notes)
    lines.append("")
    if rng.random() < 0.1:
        lines += ["## Private", "", _words(rng, rng.randint(20, 60)), ""]
    lines += ["## Log", ""]
    entries = []
    for _ in range(rng.randint(5, 20)):
        day = _day(rng, 1500)
        kind = rng.choice(KINDS_GIVING if rng.random() < 0.3 else KINDS_OTHER)
        text = _words(rng, rng.randint(4, 14)).replace("\n", " ")
        if kind == "intro" or rng.random() < 0.1:
            mentioned = other()
            if mentioned:
                text += f" with [[{mentioned}]]"
        entries.append((day, f"- {day.isoformat()} {kind}: {text}"))
    entries.sort(reverse=True)
    lines += [line for _, line in entries]
    for _ in range(rng.randint(0, 3)):
        done = rng.random() < 0.6
        due = _day(rng, 200) if done else TODAY + dt.timedelta(days=rng.randint(-20, 60))
        mark = "x" if done else " "
        lines.append(f"- [{mark}] {due.isoformat()} {_words(rng, rng.randint(3, 8))}")
    lines.append("")
    return "\n".join(lines)


MKDOCS_YML = """\
site_name: kith bench ({n} people)
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - kith:
      people_dir: people
      today: 2026-11-22
"""


def generate(n: int, out: Path, seed: int = 7) -> list[Path]:
    """Write a network of `n` people under `out`; return the person files."""
    rng = random.Random(f"kith-bench-{seed}-{n}")
    people = _names(rng, n)
    popular = _Popularity(rng, n)
    org_count = min(400, max(10, n // 15))
    orgs = sorted({f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}" for _ in range(org_count * 2)})
    orgs = orgs[:org_count]
    event_count = min(300, max(5, n // 20))
    events = [
        (f"{rng.choice(EVENT_NAMES)} {2019 + i % 8}", rng.choice(CITIES)) for i in range(event_count)
    ]
    events = sorted(set(events))
    people_dir = out / "people"
    people_dir.mkdir(parents=True, exist_ok=True)
    (out / "docs").mkdir(exist_ok=True)
    (out / "mkdocs.yml").write_text(MKDOCS_YML.format(n=n), encoding="utf-8")
    paths = []
    for index in range(n):
        # A shard folder per first letter, as a big imported network might use.
        slug = people[index][0]
        path = people_dir / slug[0] / f"{slug}.md"
        path.parent.mkdir(exist_ok=True)
        text = person_file(rng, index, people, popular, orgs, events)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged files keep their mtime
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of people (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the repository to")
    parser.add_argument("--seed", type=int, default=7, help="another seed, another network")
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, args.seed)
    print(f"{len(paths)} people in {args.out / 'people'}")


if __name__ == "__main__":
    main()
