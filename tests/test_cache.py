"""The on-disk cache of parsed files: reused while files are unchanged, never
stale, and never able to break or take over a command."""

from __future__ import annotations

import os
import pickle

from kith import cache as cache_module
from kith.cache import DiskCache, cache_path
from kith.load import load_network

ADA = "---\nname: Ada Lovelace\nemails: [ada@example.org]\nsnooze: 2026-02-30\n---\n\nNotes on [[bob]].\n\n## Log\n\n- 2026-11-02 coffee: hello\n"
BOB = "---\nname: Bob\n---\n"


def _age(path, seconds=60):
    """Make a file older than the cache's racy window."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def _repo(repo):
    for name, text in (("ada", ADA), ("bob", BOB)):
        _age(repo.write(f"people/{name}.md", text))
    return repo.root


def _load(root):
    cache = DiskCache.open(root, "people")
    network = load_network(root, "people", cache)
    cache.save()
    return cache, network


def test_second_load_reuses_the_cache_and_gives_the_same_network(repo):
    root = _repo(repo)
    first_cache, first = _load(root)
    assert list(cache_path(root, "people").glob("*.pickle"))
    second_cache, second = _load(root)
    assert not second_cache.changed  # nothing parsed again
    assert second.people["ada"] == first.people["ada"]
    assert second.people["ada"].path == root / "people" / "ada.md"
    assert second.findings == first.findings  # the invalid snooze, from the cache


def test_an_edited_file_is_read_again(repo):
    root = _repo(repo)
    _load(root)
    path = root / "people" / "bob.md"
    stat = path.stat()
    path.write_text("---\nname: Rob\n---\n", encoding="utf-8")  # same size, new content
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime
    _, network = _load(root)
    assert network.people["bob"].name == "Rob"


def test_removed_and_added_files_are_noticed(repo):
    root = _repo(repo)
    _load(root)
    (root / "people" / "bob.md").unlink()
    repo.write("people/cy.md", "---\nname: Cy\n---\n")
    _, network = _load(root)
    assert sorted(network.people) == ["ada", "cy"]


def test_a_file_changed_just_now_is_not_stored(repo):
    root = _repo(repo)
    repo.write("people/cy.md", "---\nname: Cy\n---\n")  # mtime: now
    cache, _ = _load(root)
    assert cache.changed  # cy is still to be stored once it is old enough
    _, network = _load(root)
    assert network.people["cy"].name == "Cy"


def test_a_corrupt_cache_is_ignored_and_rewritten(repo):
    root = _repo(repo)
    _load(root)
    for path in cache_path(root, "people").glob("*.pickle"):
        path.write_bytes(b"\x80\x05 not a pickle at all")
    cache, network = _load(root)
    assert network.people["ada"].name == "Ada Lovelace"
    assert cache.changed is False  # written again
    assert DiskCache.open(root, "people")._entries  # and readable


def test_a_cache_naming_other_code_is_refused(repo, tmp_path):
    root = _repo(repo)
    _load(root)
    canary = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {canary}",))

    cache = DiskCache.open(root, "people")
    for path in cache_path(root, "people").glob("*.pickle"):
        with open(path, "wb") as handle:
            pickle.dump(cache.header, handle)
            pickle.dump({"x": Evil()}, handle)
    _, network = _load(root)
    assert not canary.exists()
    assert network.people["bob"].name == "Bob"


def test_a_cache_from_another_kith_is_dropped(repo, monkeypatch):
    root = _repo(repo)
    _load(root)
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
    cache = DiskCache.open(root, "people")
    assert cache._entries == {}


def test_an_unwritable_cache_folder_only_means_no_cache(repo):
    root = _repo(repo)
    (root / ".kith-cache").write_text("a file where the folder should be")
    cache, network = _load(root)
    assert network.people["ada"].name == "Ada Lovelace"
    assert cache.changed  # could not save; nothing raised


def test_one_edit_rewrites_one_shard(repo):
    root = _repo(repo)
    for index in range(40):
        _age(repo.write(f"people/p{index}.md", f"---\nname: P {index}\n---\n"))
    _load(root)
    shards = {p: p.stat().st_mtime_ns for p in cache_path(root, "people").glob("*.pickle")}
    assert len(shards) > 10
    _age(repo.write("people/p7.md", "---\nname: Seven\n---\n"))
    _load(root)
    rewritten = [p for p, m in shards.items() if p.stat().st_mtime_ns != m]
    assert len(rewritten) == 1


def test_the_cli_writes_the_cache_and_reads_it(repo, kith):
    root = _repo(repo)
    first = kith(repo, "validate")
    assert list(cache_path(root, "people").glob("*.pickle"))
    second = kith(repo, "validate")
    assert first.output == second.output
    assert "snooze" in second.output


def test_the_cache_ignores_itself_in_git(repo):
    root = _repo(repo)
    _load(root)
    assert (root / ".kith-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_folder_listings_are_reused_only_while_the_folder_is_unchanged(repo, monkeypatch):
    import kith.load
    from kith.load import FileCache, load_network

    # Folders made just now are "racy" (a second change could share their
    # timestamp) and never kept; here the window is closed to test the reuse.
    monkeypatch.setattr(kith.load, "RACY_NS", 0)
    repo.person("ada", "name: Ada", folder="a")
    repo.person("alan", "name: Alan", folder="a")
    cache = FileCache()
    assert sorted(load_network(repo.root, cache=cache).people) == ["ada", "alan"]
    assert cache.listings  # kept
    repo.person("amy", "name: Amy", folder="a")  # a new entry: the folder's times change
    assert sorted(load_network(repo.root, cache=cache).people) == ["ada", "alan", "amy"]
    (repo.root / "people" / "a" / "ada.md").unlink()
    assert sorted(load_network(repo.root, cache=cache).people) == ["alan", "amy"]
    repo.person("bob", "name: Bob", folder="b")
    assert sorted(load_network(repo.root, cache=cache).people) == ["alan", "amy", "bob"]


# -- the cache is never believed over the files (trust issue) ---------------------


def _private_repo(repo):
    _age(repo.write("people/secret.md", "---\nname: Secret Person\nprivate: true\n---\n"))
    _age(repo.write("people/bob.md", BOB))
    return repo.root


def test_a_crafted_shard_cannot_publish_a_private_person(repo):
    root = _private_repo(repo)
    _load(root)

    def flip(loaded):
        if loaded.person is not None:
            loaded.person.private = False

    for path in cache_path(root, "people").glob("*.pickle"):
        data = path.read_bytes()
        payload = data[len(cache_module.MAGIC) + 32 :]
        import io

        unpickler = cache_module._SafeUnpickler(io.BytesIO(payload))
        header, entries = unpickler.load(), unpickler.load()
        for _key, loaded in entries.values():
            flip(loaded)
        buffer = io.BytesIO()
        pickler = cache_module._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(header)
        pickler.dump(entries)
        forged = buffer.getvalue()
        # A valid header and a well-formed pickle, but no key: its own MAC.
        import hashlib
        import hmac

        path.write_bytes(cache_module.MAGIC + hmac.new(b"x" * 32, forged, hashlib.sha256).digest() + forged)
    _, network = _load(root)
    assert network.people["secret"].private is True


def test_a_shard_with_the_key_but_odd_types_is_dropped(repo):
    """Even a shard the MAC accepts is checked: a name that is not text
    (it crashed the build) makes the files be parsed again."""
    import hashlib
    import hmac
    import io

    root = _private_repo(repo)
    _load(root)
    key = cache_module.cache_key()
    for path in cache_path(root, "people").glob("*.pickle"):
        payload = path.read_bytes()[len(cache_module.MAGIC) + 32 :]
        unpickler = cache_module._SafeUnpickler(io.BytesIO(payload))
        header, entries = unpickler.load(), unpickler.load()
        for _key, loaded in entries.values():
            if loaded.person is not None:
                loaded.person.name = 12345
                loaded.person.private = "no"
        buffer = io.BytesIO()
        pickler = cache_module._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(header)
        pickler.dump(entries)
        forged = buffer.getvalue()
        path.write_bytes(cache_module.MAGIC + hmac.new(key, forged, hashlib.sha256).digest() + forged)
    _, network = _load(root)
    assert network.people["secret"].name == "Secret Person" and network.people["secret"].private is True
    assert network.people["bob"].name == "Bob"


def test_a_shard_that_is_a_fifo_or_a_link_to_dev_zero_is_ignored(repo):
    import subprocess
    import sys

    root = _repo(repo)
    _load(root)
    shards = sorted(cache_path(root, "people").glob("*.pickle"))
    assert len(shards) >= 2
    shards[0].unlink()
    os.mkfifo(shards[0])
    shards[1].unlink()
    shards[1].symlink_to("/dev/zero")
    # In a process of its own, with a time limit: a hang is the failure.
    code = (
        "from kith.cache import DiskCache; from kith.load import load_network; from pathlib import Path; "
        f"root = Path({str(root)!r}); c = DiskCache.open(root, 'people'); "
        "n = load_network(root, 'people', c); print(sorted(n.people))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['ada', 'bob']"


def test_the_key_lives_outside_the_repository_and_only_its_owner_reads_it(repo):
    root = _repo(repo)
    _load(root)
    key = cache_module.key_path()
    assert root not in key.parents
    assert key.stat().st_mode & 0o077 == 0
