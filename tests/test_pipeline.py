"""core.pipeline.read_files: each file's bytes read once, here; the workers parse the bytes.

Python's audit hook sees every open() of this process; the files are deleted as soon as
the pipeline has read them (it reads a file before it asks for the next one), so a worker
that opened a file itself would fail on it. The same bytes and hash go to the database.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from datapaths import DEV_CORPUS, SEEDS_DIR

from core.pipeline import DONE, FAILED, SKIPPED, STARTED, read_files, store_file
from core.sandbox import SandboxPool
from core.store import open_store

SOURCES = [DEV_CORPUS / "001_10e7db0a.docx", DEV_CORPUS / "008_b936ac4b.html",
           DEV_CORPUS / "002_2a29e4d1.pdf", SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"]

_watched: set[str] = set()
_opened: Counter[str] = Counter()


def _count_opens(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], str | Path) and str(args[0]) in _watched:
        _opened[str(args[0])] += 1


sys.addaudithook(_count_opens)  # audit hooks cannot be removed: it watches _watched only


def test_each_file_is_read_once_and_the_workers_parse_its_bytes(tmp_path: Path) -> None:
    copies = [Path(shutil.copy(src, tmp_path / src.name)) for src in SOURCES]
    originals = {p.name: p.read_bytes() for p in copies}
    _watched.update(str(p) for p in copies)
    deleted: list[Path] = []

    def files() -> Iterator[Path]:
        for p in copies:
            yield p
            p.unlink()  # read by now: the pipeline asks for the next file after reading
            deleted.append(p)

    try:
        with SandboxPool(2) as pool:
            events = [e for e in read_files(files(), pool, ordered=True) if e.kind != STARTED]
    finally:
        _watched.clear()
    assert [e.kind for e in events] == [DONE] * len(copies), [e.reason for e in events]
    assert deleted == copies
    assert dict(_opened) == {str(p): 1 for p in copies}
    with open_store(tmp_path / "reviews.sqlite") as store:
        for e in events:
            assert e.report is not None and e.content == originals[e.path.name]
            assert e.sha256 == hashlib.sha256(e.content).hexdigest() == e.report.sha256
            result = store_file(store, e)
            assert store.file_content(result.report_id) == originals[e.path.name]


def test_known_files_are_skipped_and_missing_ones_fail_in_order(tmp_path: Path) -> None:
    seed = Path(shutil.copy(SOURCES[-1], tmp_path / "seed.txt"))
    known = {hashlib.sha256(seed.read_bytes()).hexdigest()}
    with SandboxPool(1) as pool:
        events = [e for e in read_files([seed, tmp_path / "nowhere.pdf", SOURCES[1]], pool,
                                        known=known, ordered=True) if e.kind != STARTED]
    assert [(e.index, e.kind) for e in events] == [(1, SKIPPED), (2, FAILED), (3, DONE)]
    assert events[1].reason == "no such file" and events[1].reason_zh == "文件不存在"


def test_one_file_read_in_one_sandbox_and_parsed_in_another_is_the_workers_report() -> None:
    """each_report on one file reads it in a forked child and extracts and checks it in a
    second one (both cores work): the report is the one a pool worker makes in one go."""
    from datapaths import REAL_DIR

    from core.contract import to_contract
    from core.pipeline import each_report, parse_bytes

    pdf = sorted(REAL_DIR.glob("*.pdf"))[0]
    [(path, report)] = list(each_report([pdf]))
    assert path == pdf
    data = pdf.read_bytes()
    in_one_go = parse_bytes(pdf.name, data, hashlib.sha256(data).hexdigest(), True)
    assert to_contract(report) == to_contract(in_one_go)
    assert report.findings == in_one_go.findings
    assert report.findings  # the real report has findings: the checks ran in both


def test_a_read_document_pickles_as_plain_data_of_every_kind() -> None:
    """The parent of a one-file command unpickles what the reading child read: only the
    document's own classes may be in it (a numpy or lxml value would load that library in
    the parent; numpy starts threads, after which the second step cannot fork)."""
    import pickle
    import pickletools

    from datapaths import DEV_CORPUS, REAL_DIR

    from core.pipeline import read_bytes

    samples = [sorted(DEV_CORPUS.glob(f"*.{ext}"))[0] for ext in ("docx", "html", "txt")]
    for path in [*samples, sorted(REAL_DIR.glob("*.pdf"))[0]]:
        doc = read_bytes(path.name, path.read_bytes())
        modules = {str(arg).split()[0] for op, arg, _ in
                   pickletools.genops(pickle.dumps(doc, 2)) if op.name == "GLOBAL"}
        assert modules == {"core.document"}, (path.name, modules)
