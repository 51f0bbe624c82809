"""The benchmark's generated network is valid and deterministic (no timing here)."""

from __future__ import annotations

from click.testing import CliRunner

from kith.cli import main
from kith.load import load_network
from tests.bench.generate import generate


def test_generated_network_passes_validate(tmp_path):
    generate(50, tmp_path)
    result = CliRunner().invoke(main, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors, 0 warnings in 50 files")


def test_generated_network_uses_every_feature(tmp_path):
    generate(50, tmp_path)
    network = load_network(tmp_path)
    people = list(network.people.values())
    assert len(people) == 50
    assert all(5 <= len(p.log) <= 20 for p in people)
    assert any(p.relationships for p in people)
    assert any(p.tasks for p in people)
    assert any(p.mentions for p in people)
    assert any(p.private for p in people)
    assert all(p.company and p.tags and p.met for p in people)
    assert min(len(p.notes.split()) for p in people) >= 150


def test_same_n_same_files(tmp_path):
    first = generate(30, tmp_path / "a")
    second = generate(30, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
