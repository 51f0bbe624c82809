"""Files with errors, on the site: a page for each file kith could not read
as a person (kith/broken.html), and the notice on the home and People pages
that lists every file with an error.

What may be shown about a file that did not parse is decided, failing
closed, by `kith.broken` (see there): the errors, and the name only when
the file certainly holds no privacy flag. A file that might be private
has no page and is only counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..broken import BrokenFile, broken_files
from .context import SiteContext
from .html import Linker, edit_url, person_src
from .pages import NO_ONE, Page


def broken(ctx: SiteContext) -> list[BrokenFile]:
    """The network's unreadable files, once per build (a change to any of
    them renders the whole site again: see incremental.py)."""
    return ctx.shared("broken-files", lambda: broken_files(ctx.network))


def shown(ctx: SiteContext) -> list[BrokenFile]:
    """Those that have a page of their own."""
    return [b for b in broken(ctx) if b.shown]


def named(ctx: SiteContext) -> dict[str, BrokenFile]:
    """slug -> the unreadable files whose name could be read: they stay in
    the A to Z, marked."""
    return {b.slug: b for b in shown(ctx) if b.name and b.slug}


def unread_links(ctx: SiteContext, linker: Linker) -> list[dict]:
    """Every file with an error, for the notice on the home and People
    pages: a link to its page, or a count of those that may be private."""
    from .person import errors_by_file

    out = []
    errors = errors_by_file(ctx)
    if errors:
        by_path = {person.relpath: person for person in ctx.public_people}
        for relpath in sorted(errors):
            person = by_path.get(relpath)
            if person is not None:
                out.append({"href": linker.person(person.slug), "label": f"{person.name} ({relpath})"})
    hidden = 0
    for item in broken(ctx):
        if item.shown:
            label = f"{item.name} ({item.relpath})" if item.name else item.relpath
            out.append({"href": linker.person(item.slug), "label": label})
        else:
            hidden += 1
    if hidden:
        out.append(
            {
                "href": "",
                "label": f"{hidden} more {'file' if hidden == 1 else 'files'} that may be private, so "
                "not named here: kith validate names them",
            }
        )
    return out


def _render(item: BrokenFile):
    def render(ctx: SiteContext, linker: Linker) -> str:
        from .person import problems_of

        return ctx.render(
            "broken.html",
            path=item.relpath,
            name=item.name,
            problems=problems_of(list(item.errors)),
            edit_url=edit_url(ctx.settings.edit_root, item.relpath),
        )

    return render


def pages(ctx: SiteContext) -> Iterable[Page]:
    for item in shown(ctx):
        assert item.slug is not None
        yield Page(
            src=person_src(item.slug),
            title=item.name or item.relpath,
            kind="broken",
            before=_render(item),
            in_nav=False,
            search=False,
            slug=None,
            reads=NO_ONE,
        )
