"""Fuzz the whole analysis (read + extract + check) with mutants of real reports.

    python tests/fuzz/fuzz_readers.py [-n 1000] [--seed 1] [--jobs 2] [--timeout 60]
                                      [--keep DIR] [--quick] [--ocr]

Mutants are made from the reports in ``tests/data/`` (``tests/datapaths.py``: the seeds,
the dev corpus's PDF/DOCX/HTML/TXT files, the real PDFs) by generic and format-aware
operators: bit flips, truncation, zeroed and duplicated ranges, shuffled and deleted
PDF objects, broken xref offsets, huge numbers in PDF objects and in table cells, text
re-encoded as GBK or UTF-16 without a BOM, a flipped ``<meta charset>``, very long
lines, deeply nested HTML, rows of 100,000 cells, huge rowspan/colspan, XML entity
bombs, DOCX members with huge declared sizes or odd header fields (version, flags,
compression method), damaged or missing members and deeply nested tables. Scanned
PDFs are left out unless ``--ocr`` is given (each one costs seconds of OCR per page).

Every mutant goes through :func:`core.pipeline.read_files` in a
:class:`core.sandbox.SandboxPool` (time and memory limits), the pipeline a file dropped
into the window or given to ``main.py import`` goes through, with the checks run too.
The outcome must be a report or a clear ReportError: an :class:`InternalError` (an
unexpected exception, i.e. a traceback), a :class:`FileTimeout` (a hang) or a
:class:`WorkerCrashed` (a crash) is a failure; the mutant is kept (``--keep``, default
``fuzz-failures/``) and the run exits 1.
Figures printed: mutants, outcomes by kind, outcomes by operator, slowest files.
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import re
import shutil
import struct
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for _path in (REPO, REPO / "tests"):  # the program, tests/datapaths.py and hostile_files.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from datapaths import DEV_CORPUS, REAL_DIR, SEEDS_DIR  # noqa: E402

from core.errors import (  # noqa: E402
    FileTimeout,
    InternalError,
    WorkerCrashed,
)
from core.pipeline import STARTED, read_files  # noqa: E402
from core.sandbox import SandboxPool  # noqa: E402

FAILURES = (InternalError, FileTimeout, WorkerCrashed)
SCANNED = {"000_882c3d0f.pdf", "023_2b16b40c.pdf", "025_19c57c45.pdf", "032_3994feac.pdf",
           "034_a45d349a.pdf", "035_9deb3a08.pdf"}


def seed_files(ocr: bool = False) -> list[Path]:
    """Real reports to mutate: seeds, dev corpus (born-digital unless ``ocr``), real PDFs."""
    files = sorted(SEEDS_DIR.glob("*.txt"))
    for p in sorted(DEV_CORPUS.iterdir()):
        if p.suffix in (".pdf", ".docx", ".html", ".txt") and (ocr or p.name not in SCANNED):
            files.append(p)
    files += sorted(REAL_DIR.glob("*.pdf"))
    files += sorted(REAL_DIR.glob("*.docx"))
    return files


# --- mutation operators ------------------------------------------------------------------------

Mutator = Callable[[bytes, random.Random, bool], bytes]


def bit_flips(data: bytes, rng: random.Random, quick: bool) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 2, 5, 20, 100))):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncate(data: bytes, rng: random.Random, quick: bool) -> bytes:
    return data[:rng.randrange(1, max(2, len(data)))]


def zero_range(data: bytes, rng: random.Random, quick: bool) -> bytes:
    i = rng.randrange(len(data))
    n = rng.randint(1, max(1, len(data) // 10))
    return data[:i] + b"\x00" * n + data[i + n:]


def random_range(data: bytes, rng: random.Random, quick: bool) -> bytes:
    i = rng.randrange(len(data))
    n = rng.randint(1, 512)
    return data[:i] + rng.randbytes(n) + data[i + n:]


def duplicate_range(data: bytes, rng: random.Random, quick: bool) -> bytes:
    i = rng.randrange(len(data))
    chunk = data[i:i + rng.randint(1, 4096)]
    j = rng.randrange(len(data))
    return data[:j] + chunk * rng.randint(1, 20 if quick else 200) + data[j:]


def image_bomb(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """The file replaced by an image that asks for too much (issue 12): a PNG or TIFF
    declaring hundreds of millions of pixels, a 1 × 5,000,000 sliver, a TIFF of
    thousands of frames. The name keeps the report's extension (a PNG named .pdf)."""
    import hostile_files as hostile

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "x"
        op = rng.randrange(4)
        if op == 0:
            side = rng.choice((8000, 20000, 65000))
            hostile.png(f, side, 64 if quick else side)
            if quick:  # same header, few rows: the size is declared, not decoded
                raw = bytearray(f.read_bytes())
                raw[20:24] = side.to_bytes(4, "big")
                f.write_bytes(bytes(raw))
        elif op == 1:
            hostile.tiff_bomb(f, rng.choice((12000, 60000)), rng.choice((12000, 60000)))
        elif op == 2:
            hostile.png(f, 1, 200_000 if quick else 5_000_000)
        else:
            hostile.tiff_frames(f, 100 if quick else rng.choice((100, 2000)))
        return f.read_bytes()


GENERIC: list[Mutator] = [bit_flips, truncate, zero_range, random_range, duplicate_range,
                          image_bomb]

_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b.*?endobj", re.S)


def pdf_shuffle_objects(data: bytes, rng: random.Random, quick: bool) -> bytes:
    objs = list(_OBJ.finditer(data))
    if len(objs) < 3:
        return bit_flips(data, rng, quick)
    bodies = [m.group(0) for m in objs]
    rng.shuffle(bodies)
    out, last = [], 0
    for m, body in zip(objs, bodies, strict=True):
        out += [data[last:m.start()], body]
        last = m.end()
    return b"".join(out) + data[last:]


def pdf_delete_object(data: bytes, rng: random.Random, quick: bool) -> bytes:
    objs = list(_OBJ.finditer(data))
    if not objs:
        return truncate(data, rng, quick)
    m = rng.choice(objs)
    return data[:m.start()] + data[m.end():]


def pdf_break_xref(data: bytes, rng: random.Random, quick: bool) -> bytes:
    def offset(m: re.Match[bytes]) -> bytes:
        return b"%010d" % rng.choice((0, 1, 10 ** 9, rng.randrange(10 ** 10))) + m.group(2)
    return re.sub(rb"(\d{10})( \d{5} [nf])", offset, data)


def pdf_huge_numbers(data: bytes, rng: random.Random, quick: bool) -> bytes:
    huge = rng.choice((b"99999999999999999999", b"-2147483649", b"1e308", b"4294967296",
                       b"0", b"-1", b"340282366920938463463374607431768211456"))
    keys = (rb"/Count", rb"/Length", rb"/Size", rb"/W", rb"/Columns", rb"/Width", rb"/Height",
            rb"/MediaBox\s*\[", rb"/Kids\s*\[", rb"/First", rb"/N", rb"/Rotate",
            rb"/BitsPerComponent")
    key = rng.choice(keys)
    matches = list(re.finditer(key + rb"\s*(-?\d+)", data))
    if not matches:
        return pdf_shuffle_objects(data, rng, quick)
    m = rng.choice(matches)
    return data[:m.start(1)] + huge + data[m.end(1):]


def pdf_self_reference(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """Point /Kids, /Parent or /Contents references at themselves or at the catalog."""
    refs = list(re.finditer(rb"(/Kids\s*\[\s*|/Parent\s+|/Contents\s+|/Pages\s+)(\d+)(\s+0\s+R)",
                            data))
    if not refs:
        return pdf_delete_object(data, rng, quick)
    m = rng.choice(refs)
    target = rng.choice((b"1", b"2", m.group(2)))
    return data[:m.start(2)] + target + data[m.end(2):]


PDF: list[Mutator] = [pdf_shuffle_objects, pdf_delete_object, pdf_break_xref, pdf_huge_numbers,
                      pdf_self_reference]


def _text(data: bytes) -> str | None:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def reencode(data: bytes, rng: random.Random, quick: bool) -> bytes:
    text = _text(data)
    if text is None:
        return bit_flips(data, rng, quick)
    codec = rng.choice(("gbk", "gb18030", "utf-16-le", "utf-16-be", "big5", "utf-8-sig",
                        "utf-32", "shift_jis"))
    return text.encode(codec, "replace")


def flip_charset(data: bytes, rng: random.Random, quick: bool) -> bytes:
    new = rng.choice((b"gbk", b"utf-8", b"utf-16", b"big5", b"x-unknown", b"iso-8859-1", b""))
    out, n = re.subn(rb"(charset\s*=\s*[\"']?)([A-Za-z0-9_\-]*)", lambda m: m.group(1) + new,
                     data, flags=re.I)
    if n == 0:
        out = b'<meta charset="' + new + b'">' + data
    if rng.random() < 0.5:  # and the bytes in the other encoding
        text = _text(out)
        if text is not None:
            out = text.encode(rng.choice(("gbk", "utf-8", "utf-16-le")), "replace")
    return out


def huge_numbers(data: bytes, rng: random.Random, quick: bool) -> bytes:
    text = _text(data)
    if text is None:
        return bit_flips(data, rng, quick)
    choices = ("9" * rng.choice((20, 400, 5000)), "1e309", "-99999999999", "NaN", "Infinity",
               "９９９９９９９９９９９９", "0x7fffffff", "1" + "0" * 30 + ".5万元", "-0",
               "12,34,5.6.7")
    numbers = list(re.finditer(r"\d+", text))
    for m in rng.sample(numbers, min(len(numbers), rng.choice((1, 5, 50)))):
        text = text[:m.start()] + rng.choice(choices).ljust(m.end() - m.start()) + text[m.end():]
    return text.encode("utf-8")


def long_lines(data: bytes, rng: random.Random, quick: bool) -> bytes:
    text = _text(data)
    if text is None:
        return duplicate_range(data, rng, quick)
    size = 200_000 if quick else rng.choice((1_000_000, 5_000_000))
    if rng.random() < 0.5:
        joined = text.replace("\r", "").replace("\n", rng.choice(("", " ", "\t")))
        return joined.encode("utf-8")
    i = rng.randrange(len(text))
    filler = rng.choice(("本年度新收政府信息公开申请", "\t0", "1", "<b>", " ", "一、"))
    line = (filler * (size // len(filler) + 1))[:size]
    return (text[:i] + line + text[i:]).encode("utf-8")


def deep_nesting(data: bytes, rng: random.Random, quick: bool) -> bytes:
    text = _text(data)
    if text is None:
        return bit_flips(data, rng, quick)
    depth = rng.choice((300, 3000) if quick else (300, 5000, 50_000))
    tag = rng.choice(("div", "font", "span", "table><tr><td", "b", "ul><li", "p"))
    opening = f"<{tag}>" * depth
    closing = "".join(f"</{t}>" for t in reversed(tag.split("><"))) * depth \
        if rng.random() < 0.5 else ""
    m = re.search(r"<body[^>]*>", text, re.I)
    at = m.end() if m else 0
    return (text[:at] + opening + text[at:] + closing).encode("utf-8")


def huge_spans(data: bytes, rng: random.Random, quick: bool) -> bytes:
    value = rng.choice((b"0", b"-1", b"99999999", b"2147483648", b"1e9", b"65535", b"abc"))
    out, n = re.subn(rb"(rowspan|colspan)\s*=\s*[\"']?\d+", lambda m: m.group(1) + b'="' + value
                     + b'"', data, count=rng.choice((1, 3, 0)), flags=re.I)
    if n == 0:
        out = re.sub(rb"<td", b'<td colspan="' + value + b'" rowspan="' + value + b'"', data,
                     count=5, flags=re.I)
    return out


def many_tables(data: bytes, rng: random.Random, quick: bool) -> bytes:
    tables = re.findall(rb"<table.*?</table>", data, re.S | re.I)
    if not tables:
        return deep_nesting(data, rng, quick)
    copies = rng.choice((10, 50) if quick else (50, 500))
    return data.replace(tables[0], tables[0] * copies, 1)


def wide_rows(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """A table row of tens of thousands of cells (no text limit is hit by empty cells)."""
    cells = rng.choice((2000,) if quick else (20_000, 100_000))
    cell = rng.choice((b"<td>0</td>", b"<td></td>", b'<td colspan="3">1</td>', b"<td>/</td>"))
    row = b"<tr>" + cell * cells + b"</tr>"
    out, n = re.subn(rb"(<tr[^>]*>)", lambda m: row + m.group(1), data, count=1, flags=re.I)
    return out if n else data + b"<table>" + row + b"</table>"


TEXT: list[Mutator] = [reencode, huge_numbers, long_lines]
HTML: list[Mutator] = [reencode, flip_charset, huge_numbers, long_lines, deep_nesting,
                       huge_spans, many_tables, wide_rows]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def docx_huge_declared_size(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """Claim huge uncompressed sizes in the central directory (and local headers)."""
    b = bytearray(data)
    size = rng.choice((0xFFFFFFFF, 0x7FFFFFFF, 10 ** 9, 0))
    for sig, field in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        for m in re.finditer(re.escape(sig), data):
            if rng.random() < 0.6 and m.start() + field + 4 <= len(b):
                b[m.start() + field:m.start() + field + 4] = struct.pack("<I", size)
    return bytes(b)


def docx_header_fields(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """Odd values in the zip headers: version needed, flags (encrypted), compression method."""
    b = bytearray(data)
    for sig, fields in ((b"PK\x03\x04", (4, 6, 8)), (b"PK\x01\x02", (6, 8, 10))):
        for m in re.finditer(re.escape(sig), data):
            if rng.random() < 0.3:
                at = m.start() + rng.choice(fields)
                value = rng.choice((0xFFFF, 63, 99, 1, 0x0041, 14, 12, 0))
                b[at:at + 2] = struct.pack("<H", value)
    return bytes(b)


def docx_bomb_member(data: bytes, rng: random.Random, quick: bool) -> bytes:
    members = _members(data)
    size = (5 if quick else rng.choice((20, 150))) << 20
    target = rng.choice(("word/document.xml", "word/styles.xml", "docProps/core.xml", "x.bin"))
    members[target] = members.get(target, b"")[:200] + b" " * size
    return _zip(members)


def docx_mutate_xml(data: bytes, rng: random.Random, quick: bool) -> bytes:
    try:
        members = _members(data)
    except (zipfile.BadZipFile, OSError, ValueError):
        return bit_flips(data, rng, quick)
    xml = members.get("word/document.xml")
    if xml is None:
        return data
    op = rng.randrange(6)
    if op == 0:  # huge numbers in table cells
        xml = re.sub(rb"(<w:t(?: [^>]*)?>)(\d+)(</w:t>)", lambda m: m.group(1) + rng.choice(
            (b"9" * 400, b"1e309", b"-99999999999", b"\xef\xbc\x99" * 20)) + m.group(3), xml,
            count=rng.choice((1, 20, 0)))
    elif op == 1:  # huge spans and merges
        xml = re.sub(rb'w:gridSpan w:val="\d+"', b'w:gridSpan w:val="' + rng.choice(
            (b"0", b"-5", b"99999999", b"abc")) + b'"', xml)
        xml = re.sub(rb"<w:tcPr>", b'<w:tcPr><w:vMerge w:val="restart"/>', xml, count=30)
    elif op == 2:  # deeply nested tables
        depth = 200 if quick else rng.choice((500, 3000))
        nest = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
        xml = xml.replace(b"<w:body>", b"<w:body>" + nest, 1)
    elif op == 3:  # billion laughs (entities must never be expanded)
        head, sep, rest = xml.partition(b"?>")
        lol = b'<!DOCTYPE w:document [<!ENTITY a "lollollollol">' + b"".join(
            b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(9)
        ) + b"]>"
        xml = head + sep + lol + rest.replace(b"<w:t>", b"<w:t>&j;", 3)
    elif op == 4:  # broken XML
        i = rng.randrange(len(xml))
        xml = xml[:i] + rng.choice((b"<", b"&", b"]]>", b"\x00", b"</w:body>", b"<w:t>")) + xml[i:]
    else:  # member removed or renamed
        victim = rng.choice(sorted(members))
        body = members.pop(victim)
        if rng.random() < 0.5:
            members[victim.upper()] = body
    if op != 5:
        members["word/document.xml"] = xml
    return _zip(members, rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)))


def docx_dangling_relationship(data: bytes, rng: random.Random, quick: bool) -> bytes:
    """A relationship to a part missing from the zip, used by the body (issue 12)."""
    import hostile_files as hostile

    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.docx", Path(tmp) / "out.docx"
        src.write_bytes(data)
        return hostile.docx_dangling_relationship(out, src).read_bytes()


DOCX: list[Mutator] = [docx_huge_declared_size, docx_header_fields, docx_bomb_member,
                       docx_mutate_xml, docx_mutate_xml, docx_mutate_xml,
                       docx_dangling_relationship]


def operators_for(path: Path) -> list[Mutator]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return GENERIC + PDF + PDF
    if suffix == ".docx":
        return GENERIC + DOCX + DOCX
    if suffix == ".html":
        return GENERIC + HTML + HTML
    return GENERIC + TEXT + TEXT


@dataclass
class Mutant:
    index: int
    seed: Path
    operators: list[str]
    path: Path


def mutants(n: int, seed: int, folder: Path, quick: bool = False, ocr: bool = False
            ) -> Iterator[Mutant]:
    """``n`` mutant files written into ``folder`` (one or two operators each)."""
    rng = random.Random(seed)
    seeds = seed_files(ocr)
    originals = {p: p.read_bytes() for p in seeds}
    for i in range(n):
        src = seeds[i % len(seeds)] if i < len(seeds) else rng.choice(seeds)
        data = originals[src]
        names = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            op = rng.choice(operators_for(src))
            try:
                data = op(data, rng, quick) or data
            except Exception:  # noqa: BLE001 - e.g. the previous operator broke the zip
                data = bit_flips(data, rng, quick)
            names.append(op.__name__)
        # The extension is kept (mostly): the reader must not trust it anyway.
        suffix = src.suffix if rng.random() < 0.9 else rng.choice((".pdf", ".docx", ".html",
                                                                   ".txt", ".doc"))
        path = folder / f"m{i:05d}_{src.stem[:24]}{suffix}"
        path.write_bytes(data)
        yield Mutant(i, src, names, path)


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Result:
    mutant: Mutant
    outcome: str
    seconds: float
    detail: str


def run(n: int = 1000, seed: int = 1, jobs: int = 2, timeout: float = 60.0,
        memory: int | None = None, quick: bool = False, ocr: bool = False,
        keep: Path | None = None, out=sys.stdout) -> list[Result]:
    from core.sandbox import DEFAULT_MEMORY

    results: list[Result] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nianbao-fuzz-") as tmp, \
            SandboxPool(workers=jobs, timeout=timeout, memory=memory or DEFAULT_MEMORY) as pool:
        by_path: dict[Path, Mutant] = {}

        def paths() -> Iterator[Path]:
            for m in mutants(n, seed, Path(tmp), quick, ocr):
                by_path[m.path] = m
                yield m.path

        # The window's import pipeline, with the checks run in the worker too.
        for ev in read_files(paths(), pool, run_checks=True):
            if ev.kind == STARTED:
                continue
            m = by_path.pop(ev.path)
            kind, seconds = "ok", ev.seconds
            if ev.report is not None:
                cells = sum(c.value is not None for c in ev.report.cells.values())
                detail = f"{ev.report.kind}, {cells} cells"
            else:
                outcome = ev.error
                kind = type(outcome).__name__
                detail = str(outcome)[:300] + ("\n" + outcome.detail if isinstance(
                    outcome, InternalError) else "")
            result = Result(m, kind, seconds, detail)
            results.append(result)
            failed = kind in {c.__name__ for c in FAILURES}
            if failed and keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy2(m.path, keep / m.path.name)
                (keep / (m.path.name + ".txt")).write_text(
                    f"seed: {m.seed}\noperators: {m.operators}\noutcome: {kind}\n{detail}\n",
                    encoding="utf-8")
            if failed:
                print(f"FAIL {m.path.name} ({m.seed.name}, {'+'.join(m.operators)}): {kind}: "
                      f"{detail[:2000]}", file=out)
            m.path.unlink(missing_ok=True)
            done = len(results)
            if done % 100 == 0:
                print(f"… {done}/{n} in {time.monotonic() - started:.0f} s", file=out)
    report(results, time.monotonic() - started, out)
    return results


def report(results: list[Result], elapsed: float, out=sys.stdout) -> None:
    kinds = collections.Counter(r.outcome for r in results)
    print(f"\n{len(results)} mutants in {elapsed:.0f} s", file=out)
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()), file=out)
    by_op: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in results:
        by_op["+".join(r.mutant.operators)][r.outcome] += 1
    print("by operator:", file=out)
    for op, counts in sorted(by_op.items()):
        print(f"  {op}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()), file=out)
    print("slowest:", file=out)
    for r in sorted(results, key=lambda r: -r.seconds)[:5]:
        print(f"  {r.seconds:6.2f} s  {r.mutant.path.name} ({'+'.join(r.mutant.operators)}): "
              f"{r.outcome} {r.detail[:120]}", file=out)
    failures = [r for r in results if r.outcome in {c.__name__ for c in FAILURES}]
    print(f"failures (traceback, hang or crash): {len(failures)}", file=out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=1000, help="number of mutants (default 1000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per file")
    p.add_argument("--quick", action="store_true", help="smaller blow-ups (for the smoke test)")
    p.add_argument("--ocr", action="store_true", help="mutate the scanned PDFs too")
    p.add_argument("--keep", type=Path, default=Path("fuzz-failures"),
                   help="folder for failing mutants (default: fuzz-failures/)")
    args = p.parse_args(argv)
    results = run(args.n, args.seed, args.jobs, args.timeout, quick=args.quick, ocr=args.ocr,
                  keep=args.keep)
    return 1 if any(r.outcome in {c.__name__ for c in FAILURES} for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

