"""Mutation fuzzer: the sample files with bytes flipped, inserted and deleted (issue 10).

Every mutant is parsed by both parsers; whenever the fast one answers it must give the exact
parser's table (cells and row numbers), and the whole import must keep its counts. A few
hundred mutants run in the normal suite; ``make fuzz`` runs 20,000
(``REHAB_FUZZ_MUTANTS``). The seed is printed on failure, so a mutant can be replayed.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from rehab.importer import import_file
from rehab.importer.decode import decode_bytes
from rehab.importer.dialect import header_line, sniff_delimiter
from rehab.importer.parse import parse_exact, parse_fast
from rehab.importer.report import FileProblem

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted([*ROOT.glob("sample_data/*.csv"), *ROOT.glob("docs/examples/*.csv")])
MUTANTS = int(os.environ.get("REHAB_FUZZ_MUTANTS", "300"))
# Bytes worth inserting: line ends (a lone CR), blank lines, quotes, delimiters, controls,
# a BOM, invalid UTF-8 and invisible characters.
PIECES = [
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b'"',
    b",",
    b";",
    b"\t",
    b"\x00",
    b"\x0b",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xe2\x80\x8b",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Return ``data`` with one to four random flips, insertions or deletions."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(out) + 1)
        action = rng.random()
        if action < 0.3 and where < len(out):
            out[where] ^= 1 << rng.randrange(8)
        elif action < 0.8:
            out[where:where] = rng.choice(PIECES)
        else:
            del out[where : where + rng.randint(1, 8)]
    return bytes(out)


def check_mutant(name: str, data: bytes, full: bool) -> None:
    try:
        decoded = decode_bytes(data)
    except FileProblem:
        return
    delimiter = sniff_delimiter(header_line(decoded.utf8))
    fast = parse_fast(decoded.utf8, delimiter)
    if fast is not None:
        exact = parse_exact(decoded.text(), delimiter)
        assert fast.header == exact.header
        assert fast.rows.tolist() == exact.rows.tolist()
        assert [c.to_pylist() for c in fast.columns] == [c.to_pylist() for c in exact.columns]
    if full:
        report = import_file(name, data).report
        assert report.rows == report.accepted + report.rejected + report.duplicates


@pytest.mark.skipif(not SAMPLES, reason="no sample files")
def test_mutated_sample_files_parse_the_same_both_ways():
    seed = int(os.environ.get("REHAB_FUZZ_SEED", "10"))
    rng = random.Random(seed)
    originals = [(path.name, path.read_bytes()) for path in SAMPLES]
    for index in range(MUTANTS):
        name, data = originals[index % len(originals)]
        mutant = mutate(data, rng)
        try:
            # The whole import on one mutant in ten: the parsers are the point here.
            check_mutant(name, mutant, full=index % 10 == 0)
        except AssertionError:
            pytest.fail(f"mutant {index} of {name} (REHAB_FUZZ_SEED={seed}) parses differently")
