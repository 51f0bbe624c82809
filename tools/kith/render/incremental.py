"""The site kept between builds, so that a `mkdocs serve` rebuild after one
edit renders only the pages that edit can change.

Every person's data is split in two:

- their *structure*, `structure_key`: who they are (slug, file, name,
  privacy) and how they tie into the network (organisation, tags, circle,
  events, relationships, mentions, introductions, what they offer and
  need). The graph, the suggestions, the organisation/tag/event/place
  groups and every link to them are made of it;
- their *own data*, the rest (log, tasks, notes, title, contact details,
  cadence...), which only the pages whose `Page.reads` names them show,
  and the pages that read everyone (`reads=None`: home, follow-ups...).

A rebuild compares each file's new Person with the last one. When files
were added or removed, or any structure changed, or the settings or the day
did, everything is rendered again. Otherwise the structure-only results are
carried over (`SiteContext.shared(refresh=...)`), per-person results of
unchanged people too (`SiteContext.for_person`), and only the pages that
read a changed person, or everyone, are rendered again; the others keep
their HTML. Tests compare such rebuilds with fresh builds, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass

from ..config import Settings
from ..graph import INTRO_KIND
from ..load import paused_gc
from ..model import Network, Person
from .context import SiteContext
from .gitdates import dates as git_dates
from .html import Linker
from .pages import Asset, Page, Rendered, site_assets, site_pages
from .templating import Templates, default_templates

# Person fields that are the person's own data (see the module docstring).
# Every other field is structure; tests fail when a field of Person is in
# neither list, so a new field cannot be forgotten here.
OWN_FIELDS = frozenset(
    {
        "aka",
        "title",
        "location",
        "emails",
        "phones",
        "links",
        "cadence",
        "snooze",
        "birthday",
        "log",  # but its introductions are structure: see structure_key
        "tasks",
        "notes",
        "withheld",
        "notes_plain",
        "body_line",
        "meta",
        "key_lines",
        "extra",
        "path",  # relpath, which is structure, says where the file is
        # Entries elsewhere that count as contact with them: made of others'
        # mentions (structure, below) and of the journal (see _changes).
        "credits",
    }
)
STRUCTURE_FIELDS = frozenset(
    {
        "slug",
        "relpath",
        "name",
        "company",
        "tags",
        "circle",
        "met",
        "interests",
        "offers",
        "needs",
        "relationships",
        "private",
        "mentions",
    }
)


def structure_key(person: Person) -> Hashable:
    """What pages other than the person's own may show or derive from them.

    Line numbers are left out: no page shows them, and the order of things
    within the file, which sorting by line keeps, is in the key. So writing
    a log line above a mention does not count as a change of structure."""
    met = person.met
    return (
        person.slug,
        person.relpath,
        person.name,
        person.company,
        tuple(person.tags),
        person.circle,
        None if met is None else (met.date, met.where, met.event, met.via),
        tuple(person.interests),
        tuple(person.offers),
        tuple(person.needs),
        tuple((r.other, r.type) for r in person.relationships),
        person.private,
        tuple((m.slug, m.context, m.private) for m in person.mentions),
        tuple(
            (x.date, x.text, x.mentions, x.private) for x in person.log if x.kind == INTRO_KIND
        ),
        # What others' pages show of the entries that mention someone
        # (kith.contact): a mention's context is cut at a length, this is not.
        tuple((x.date, x.kind, x.text, x.private) for x in person.log if x.mentions),
    )


@dataclass(frozen=True)
class Update:
    """What one `IncrementalSite.update` did, for the log and the tests."""

    full: bool  # everything rendered again
    reason: str  # why everything, or "" when incremental
    changed: frozenset[str]  # people whose file changed (incremental only)
    stale: int  # pages and assets to render again
    total: int  # pages and assets in the site
    structural: frozenset[str] = frozenset()  # of `changed`, those whose structure changed

    def describe(self) -> str:
        if self.full:
            return f"kith: rendering all {self.total} pages ({self.reason})"
        if self.structural:
            return (
                f"kith: the structure of {len(self.structural)} file(s) changed; rendering {self.stale} of "
                f"{self.total} pages and files again"
            )
        return (
            f"kith: {len(self.changed)} changed file(s); rendering {self.stale} of "
            f"{self.total} pages and files again"
        )


def _changes(old: Network, new: Network) -> tuple[str, frozenset[str], frozenset[str]]:
    """("", people whose own data changed, people whose structure changed),
    or (why everything is rendered again, ∅, ∅)."""
    nothing: frozenset[str] = frozenset()
    if old.root != new.root:
        return "another repository", nothing, nothing
    if old.people.keys() != new.people.keys():
        return "people added or removed", nothing, nothing
    if old.journal != new.journal:
        # A note's entries are contact with the people they mention (their
        # `credits`, shown on their pages), and its pages list names.
        return "the journal changed", nothing, nothing
    own, structure = [], []
    for slug, person in new.people.items():
        before = old.people[slug]
        if before is person:
            continue
        (structure if structure_key(before) != structure_key(person) else own).append(slug)
    return "", frozenset(own), frozenset(structure)


class IncrementalSite:
    """The generated pages and their HTML, kept from one build to the next.

    Use: `update(...)` once per build (it renders what is stale), then
    `indexed_html`, `unindexed_html`, `search_html` and `asset_bytes` for
    what MkDocs asks. One instance per site (the plugin keeps it across the
    rebuilds of `mkdocs serve`)."""

    def __init__(self) -> None:
        self.ctx: SiteContext | None = None
        self.pages: dict[str, Page] = {}
        self.assets: dict[str, Asset] = {}
        self._rendered: dict[str, Rendered] = {}
        self._bytes: dict[str, bytes] = {}
        self.last: Update | None = None
        # src or path -> a fingerprint of everything kith hands MkDocs for it
        # (the Markdown, title, tags, meta and every part of its HTML; an
        # asset's bytes), to tell a page rendered again from a page that
        # changed: MkDocs' dirty rebuilds write only the pages that changed.
        self._fingerprints: dict[str, int] = {}
        self.changed_outputs: frozenset[str] = frozenset()
        self._one_off: SiteContext | None = None  # the context of a one-off build
        # Pages of a one-off build whose search text was handed out alone
        # (see search_html): rendered without it, since nobody asks again.
        self._searched: set[str] = set()
        self._credits: dict[str, tuple] = {}  # slug -> credits as the last build saw them

    def update(
        self,
        network: Network,
        settings: Settings,
        today: dt.date,
        directory_urls: bool = True,
        templates: Templates | None = None,
        keep: bool = True,
    ) -> Update:
        """Bring the pages up to date with `network`. `keep=False` (a one-off
        `mkdocs build`): render nothing now, each page when it is asked for,
        and let the caller `release` it once used, so that the pages' HTML
        is never all in memory at once (at 30,000 people it was 1.6 GB)."""
        templates = templates or default_templates()
        self._searched.clear()
        if not keep:
            self.ctx = None
            self._rendered.clear()
            self._bytes.clear()
            self._fingerprints.clear()
            # The collector waits here too (see load.paused_gc): building the
            # graph, groups and page list allocates in bursts, and each
            # collection walked the whole network (0.4 s at 5,000 people).
            with paused_gc():
                update = self._update(network, settings, today, directory_urls, templates, "a one-off build", frozenset())
            # Nothing is carried into a next build from this context.
            self._one_off, self.ctx = self.ctx, None
            self.changed_outputs = frozenset(self.pages) | frozenset(self.assets)
            return update
        # Building the graph, the groups and the pages makes hundreds of
        # thousands of long-lived objects; see load.paused_gc for why the
        # collector waits meanwhile.
        # Rendering every stale page now, rather than as MkDocs asks for each,
        # lets it run in one stretch with the collector paused too: spread
        # over the build, the collector kept walking the whole network as
        # the rendered pages' memos piled up (a quarter of the render time
        # at 5,000 people). The HTML would be kept between builds anyway.
        self._one_off = None
        reason, changed, structural = self._why_full(self.ctx, network, settings, today, directory_urls, templates)
        # Paused only for a full render: after an edit to someone's own data
        # a few pages allocate little, and a pause would only gather the
        # collector's work into one lump for whatever code runs next.
        with paused_gc(when=bool(reason or structural)):
            stale_before = set(self.pages) | set(self.assets)
            update = self._update(network, settings, today, directory_urls, templates, reason, changed, structural)
            fresh = [src for src in self.pages if src not in self._rendered]
            fresh_assets = [path for path in self.assets if path not in self._bytes]
            for src in self.pages:
                self.rendered(src)
            for path in self.assets:
                self.asset_bytes(path)
            self.changed_outputs = self._outputs_changed(fresh, fresh_assets, stale_before)
        return update

    def _outputs_changed(self, pages: list[str], assets: list[str], before: set[str]) -> frozenset[str]:
        """The pages and assets whose output differs from the last build's:
        of those rendered again, the ones whose fingerprint moved, and the
        new ones. (A page not rendered again is the same by construction.)"""
        changed = set()
        for src in pages:
            page = self.pages[src]
            mark = hash(
                (page.markdown, page.title, page.tags, page.in_nav, page.search, repr(page.meta), self._rendered[src])
            )
            if self._fingerprints.get(src) != mark:
                changed.add(src)
                self._fingerprints[src] = mark
        for path in assets:
            mark = hash(self._bytes[path])
            if self._fingerprints.get(path) != mark:
                changed.add(path)
                self._fingerprints[path] = mark
        for gone in before - set(self.pages) - set(self.assets):
            self._fingerprints.pop(gone, None)
        return frozenset(changed)

    def _update(
        self,
        network: Network,
        settings: Settings,
        today: dt.date,
        directory_urls: bool,
        templates: Templates,
        reason: str,
        changed: frozenset[str],
        structural: frozenset[str] = frozenset(),
    ) -> Update:
        previous = self.ctx
        old_reads = {src: page.reads for src, page in self.pages.items()}
        kept: set[str] | None = None  # a change of structure: the person pages that stay
        if reason:
            ctx = SiteContext(
                network=network, settings=settings, today=today, directory_urls=directory_urls, templates=templates
            )
            self._rendered.clear()
            self._bytes.clear()
        elif structural:
            assert previous is not None
            # Whose contact from others' logs changed with them: their last
            # contact, their due items and rows show it, though their own
            # file is as it was (credits are recomputed on the same object).
            credited = frozenset(
                slug for slug, person in network.people.items() if self._credits.get(slug, ()) != person.credits
            )
            ctx, kept = self._restructured(previous, network, changed | structural | credited)
            changed = changed | structural | credited | _git_changes(previous, ctx)
            kept -= changed
        else:
            assert previous is not None
            ctx = previous.carried_into(network, changed)
            changed = changed | _git_changes(previous, ctx)
        self.ctx = ctx
        self.pages = {page.src: page for page in site_pages(ctx)}
        self.assets = {asset.path: asset for asset in site_assets(ctx)}
        stale = 0
        for src, page in self.pages.items():
            if kept is None:
                again = bool(reason) or _reads_any(page.reads, changed)
            elif page.kind == "person":
                again = page.slug not in kept
            else:
                # A page that reads anyone, or only structure (reads nothing
                # of anyone's own data), shows what changed; a listing shows
                # it when one of its people changed or its people did.
                again = not page.reads or not page.reads.isdisjoint(changed) or old_reads.get(src) != page.reads
            if again or src not in self._rendered:
                self._rendered.pop(src, None)
                stale += 1
        for path, asset in self.assets.items():
            if reason or _reads_any(asset.reads, changed) or (kept is not None and asset.reads is None) or path not in self._bytes:
                self._bytes.pop(path, None)
                stale += 1
        for gone in set(self._rendered) - set(self.pages):
            del self._rendered[gone]
        # Credits are recomputed on the same Person objects when others'
        # files change: what each page was made from is kept as it was.
        self._credits = {slug: person.credits for slug, person in network.people.items() if person.credits}
        self.last = Update(
            full=bool(reason),
            reason=reason,
            changed=changed if not reason else frozenset(),
            stale=stale,
            total=len(self.pages) + len(self.assets),
            structural=structural if not reason else frozenset(),
        )
        return self.last

    def _restructured(
        self, previous: SiteContext, network: Network, files: frozenset[str]
    ) -> tuple[SiteContext, set[str]]:
        """A context for `network` after a change of structure in `files`
        (slugs), with what may be kept carried into it, and the public
        people whose pages stay as they were: their file is unchanged and
        everything of others their page shows is too (inputs.py)."""
        from .inputs import person_inputs  # a change of structure only

        ctx = previous.like(network)
        kept: set[str] = set()
        suspects = _could_change(previous, ctx, files)
        for slug, person in network.people.items():
            if slug in files or person.private or previous.network.people.get(slug) is not person:
                continue
            if slug not in suspects:
                kept.add(slug)  # nothing of what their page reads could have moved
                continue
            before = person_inputs(person, previous, self._credits.get(slug, ()))
            if before == person_inputs(person, ctx, person.credits):
                kept.add(slug)
        # Per-person results that read only that person are kept for every
        # unchanged file (for_person checks the Person object); those that
        # also read others (their names, the graph) only for the kept pages.
        for key, entries in previous.person_memo.items():
            if key in OTHERS_READ:
                ctx.person_memo[key] = {slug: hit for slug, hit in entries.items() if slug in kept}
            elif key in SELF_ONLY or key.startswith(SELF_ONLY_PREFIXES):
                ctx.person_memo[key] = {slug: hit for slug, hit in entries.items() if slug not in files}
        return ctx, kept

    @staticmethod
    def _why_full(
        previous: SiteContext | None,
        network: Network,
        settings: Settings,
        today: dt.date,
        directory_urls: bool,
        templates: Templates,
    ) -> tuple[str, frozenset[str], frozenset[str]]:
        nothing: frozenset[str] = frozenset()
        if previous is None:
            return "first build", nothing, nothing
        if previous.settings != settings or previous.today != today:
            return "the settings or the day changed", nothing, nothing
        if previous.directory_urls != directory_urls:
            return "use_directory_urls changed", nothing, nothing
        if previous.templates != templates:
            return "the templates changed", nothing, nothing
        if _broken(previous.network) != _broken(network):
            return "a file with errors changed", nothing, nothing
        return _changes(previous.network, network)

    # -- what MkDocs asks for, rendered at most once per change --------------

    def release(self, src: str) -> None:
        """Forget a page's HTML (after a one-off build has used it)."""
        self._rendered.pop(src, None)
        self._searched.discard(src)

    def rendered(self, src: str) -> Rendered:
        found = self._rendered.get(src)
        if found is None:
            ctx = self.ctx or self._one_off
            assert ctx is not None
            # Worked out twice, a person's search text was a sixth of kith's
            # share of a one-off build at 5,000 people.
            found = self._rendered[src] = self.pages[src].render(ctx, search=src not in self._searched)
        return found

    def indexed_html(self, src: str, body_html: str = "") -> str:
        """What search may index: the page's HTML before the Markdown's, the
        Markdown's (`body_html`, as MkDocs rendered it), and after."""
        return self.rendered(src).indexed(body_html)

    def page_html(self, src: str, body_html: str = "") -> str:
        """The page as shown: `indexed_html` then `unindexed_html`, in one join."""
        return self.rendered(src).page(body_html)

    def search_html(self, src: str) -> str | None:
        """What search should index in place of the page's own HTML around
        the Markdown (`Page.search_text`), or None to index the page as shown."""
        if self.ctx is None and (src not in self._rendered or src in self._searched):
            # A one-off build: the search text alone, now; the rest of the
            # page when it is written (so no page's HTML waits in memory
            # while MkDocs reads every other page).
            page = self.pages[src]
            if page.search_text is not None:
                self._searched.add(src)
                return page.search_text(self._one_off, Linker(src, self._one_off.directory_urls))
        return self.rendered(src).search

    def unindexed_html(self, src: str) -> str:
        return self.rendered(src).unindexed

    def asset_bytes(self, path: str) -> bytes:
        content = self._bytes.get(path)
        if content is None:
            ctx = self.ctx or self._one_off
            assert ctx is not None
            content = self._bytes[path] = self.assets[path].content(ctx)
        return content


def _broken(network: Network) -> list:
    # Files that gave no person have pages of their own (see render/problems.py)
    # that read nothing else: any change to one renders everything again. A
    # file read again gives new Finding objects (an unchanged one, the cached
    # ones): compared by identity, an edit that keeps the same error (a new
    # name above it, say) is a change too.
    errors = [f for f in network.findings if f.severity == "error"]
    if not errors:
        return errors
    read = {person.relpath for person in network.people.values()}
    return [id(f) for f in errors if f.path not in read]


def _could_change(previous: SiteContext, ctx: SiteContext, files: frozenset[str]) -> set[str]:
    """The people whose page may show something else after the files of
    `files` (slugs) changed in structure; everyone else's page reads nothing
    that moved (see inputs.py for what a page reads of others):

    - the graph: a page shows its person's links in order and, through
      each, that person's nearest; so whoever is one link from either end
      of a link that came, went or changed is a suspect, and whoever is
      within two links of a changed name or privacy (names, relationships,
      backlinks, introductions, credits and `met.via` are all links);
    - suggestions: whoever's suggestions differ, compared whole, or name a
      changed person;
    - groups: whoever is in an organisation, event, place or tag whose
      page, name or people changed.
    """
    from . import directory
    from .relations import site_graph, site_suggestions

    before_graph, after_graph = site_graph(previous), site_graph(ctx)
    # A page shows the people one link away in order (Graph.nearest ranks a
    # person's own links) and, through each, that person's nearest: so a
    # link that came, went or changed reaches the pages of whoever is one
    # link from either end; a new name or privacy reaches two links.
    touched = set(files)
    renamed = set()
    for slug in files:
        old, new = before_graph.links(slug), after_graph.links(slug)
        touched.update(other for other in old.keys() | new.keys() if old.get(other) != new.get(other))
        was, now = previous.network.people.get(slug), ctx.network.people.get(slug)
        if was is None or now is None or (was.name, was.private) != (now.name, now.private):
            renamed.add(slug)
    suspects = before_graph.within(touched, 1) | after_graph.within(touched, 1)
    suspects |= before_graph.within(renamed, 2) | after_graph.within(renamed, 2)
    before, after = site_suggestions(previous), site_suggestions(ctx)
    for slug in before.keys() | after.keys():
        old, new = before.get(slug, []), after.get(slug, [])
        if old != new or any(s.a in files or s.b in files for s in (*old, *new)):
            suspects.add(slug)  # other suggestions, or one naming a changed person
    for kind in directory.KINDS:
        old = {group.slug: group for group in directory.groups(previous, kind)}
        new = {group.slug: group for group in directory.groups(ctx, kind)}
        for slug in old.keys() | new.keys():
            if old.get(slug) != new.get(slug):  # its name, its people or their order moved
                for group in (old.get(slug), new.get(slug)):
                    if group is not None:
                        suspects.update(group.slugs)
    return suspects


# `ctx.for_person` keys (see context.py) whose values read only that person
# (their own file, the settings, the day): kept across a change of
# structure for everyone whose file did not change ...
SELF_ONLY = frozenset({"followups.items", "give_ask", "recent:1"})
SELF_ONLY_PREFIXES = ("row\0",)
# ... and those that also read others (names, privacy, the graph around
# them: what inputs.person_inputs covers), only for the pages kept.
OTHERS_READ = frozenset({"page", "notes_markdown", "ics.events"})


def _reads_any(reads: frozenset[str] | None, changed: frozenset[str]) -> bool:
    if not changed:
        return False
    return reads is None or not reads.isdisjoint(changed)


def _git_changes(previous: SiteContext, ctx: SiteContext) -> frozenset[str]:
    """People whose "last changed" date from git moved (a commit since the
    last build): their pages show it."""
    before = previous.memo.get("git-dates")
    if before is None:
        return frozenset()  # no page showed a date yet
    after = git_dates(ctx)
    moved = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    return frozenset(p.slug for p in ctx.network.people.values() if p.relpath in moved)


def field_names() -> set[str]:
    """Every field of Person (for the test that each is classified)."""
    return {f.name for f in dataclasses.fields(Person)}
