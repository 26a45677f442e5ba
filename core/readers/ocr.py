"""OCR of scanned pages: page images into rows of positioned words, like a text PDF's.

Engine: RapidOCR 3.x on onnxruntime. Its wheel ships the PP-OCR detection and
recognition models, so nothing is downloaded at run time. It needs only
``opencv-python-headless``; never install ``rapidocr-onnxruntime`` or ``opencv-python``,
whose GUI build of cv2 breaks Qt.

One page, step by step (:func:`recognise` then :func:`page_rows`):

* the page is rendered by PDFium (under ``PDFIUM_LOCK``) in greyscale at :data:`DPI`
  (the corpus scans are 150 dpi images), or an image file is loaded (scaled down when
  its long side exceeds :data:`MAX_IMAGE_SIDE`);
* skew: the angle that makes the horizontal projection profile of the dark pixels
  sharpest (text lines and table rules turn into narrow peaks) is searched within
  ±:data:`MAX_SKEW` degrees (the corpus scans are turned by 0.2-0.6°). The image is
  rotated back once, before recognition: the ruling lines are then straight for the
  line finder and every printed line gives one row. Token boxes are mapped back onto the
  page as printed for :class:`Location` (the page image the GUI draws), while x0/x1 and
  the rows' y0/y1 stay in the straightened frame the extractor compares positions in;
* ruling lines: long horizontal and vertical runs of dark pixels (morphological
  opening). The vertical rules are erased before recognition (a rule beside a digit is
  read as "1"; erasing them took dev report 023 from 185 to 200 right cells), except
  their pieces that a stroke crosses (a character touching the rule); a recognised box
  that still crosses one is cut there. Horizontal rules stay: erasing them let the
  detector merge the digits of two stacked cells into one box;
* recognition: RapidOCR detects text boxes and reads each. The angle classifier is off
  (pages are upright) and the recogniser's minimum input width is lowered from 320 to
  :data:`REC_WIDTH` pixels: the one- and two-digit boxes that fill the tables were each
  padded to 320 px, and reading them took 2.4 times longer with the same text. Reads
  down to :data:`TEXT_SCORE` are kept (and flagged) rather than dropped. Dark blobs of
  text size that no detected box covers (a lone "0" the detector missed) are read by
  the recogniser alone, with their confidence capped at :data:`RECOVERED_CONFIDENCE`;
* words: a box holding several numbers separated by spaces ("0 0 1") becomes one token
  per number, with x extents estimated from the characters' widths; in a token that is
  otherwise a number, the letters OCR confuses with digits (O/o→0, l/I/|/丨→1, S→5,
  B→8) are replaced and the token's confidence is lowered to :data:`CONFUSED_CONFIDENCE`.
  Text set one char under the other (narrow table headers) gives one row per char;
* rows: boxes whose vertical centres lie within :data:`LINE_TOLERANCE` of their height
  form one row (the detector pads boxes, so the boxes of a wrapped label's two lines
  overlap, but their centres are a line apart); every token keeps the recogniser's score
  as ``Token.confidence``, which the extractor passes on to the cell.

Coordinates are PDF points from the page's top-left corner, as for text PDFs.

Workers: :class:`OcrPool` runs one page per task, with ``progress(done, total)``. By
default (one worker) the pages run in the calling process: the models load once per
process and stay, and a single-file CLI call pays no process start. With more workers
(``NIANBAO_OCR_WORKERS``), spawned processes each load the models once (initializer) and
are kept until exit, with ``cores // workers`` onnxruntime threads each.
benchmarks/ocr_speed.py measures both.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile, ScannedDocument
from core.offline import no_telemetry
from core.textwidth import is_wide

Progress = Callable[[int, int], None]

# Rendering resolution of scanned PDF pages (the scans in the corpus are 150 dpi images).
DPI = 150
# Skew search range and the smallest turn worth rotating the image for (degrees).
MAX_SKEW = 3.0
MIN_SKEW = 0.05
# A dark run this long (pixels at DPI) is a ruling line, not a stroke of a character: a
# 22 pt title glyph is about 46 px tall at 150 dpi.
MIN_RULE_PX = 60
# Erase the vertical rules before recognition (see find_rules).
ERASE_RULES = True
# Two boxes are on one line when their centres are within this share of their heights.
LINE_TOLERANCE = 0.35
# Reads scoring under this are dropped (RapidOCR's default is 0.5).
TEXT_SCORE = 0.3
# Confidence of a blob the detector missed and the recogniser read alone: flagged.
RECOVERED_CONFIDENCE = 0.85
# Let onnxruntime's idle threads spin (its default); see _no_spinning.
ALLOW_SPINNING = os.environ.get("NIANBAO_OCR_SPIN", "0") == "1"
# Minimum width of the recogniser's input (RapidOCR's default is 320).
REC_WIDTH = 96
# Crops per recogniser call (RapidOCR's default): larger batches pad more of the prose
# lines to the longest of the batch and took more CPU (16: +40 % on a page of prose).
REC_BATCH = 6
# Confidence of a token whose letters were read as digits (O→0 …): under the threshold
# of the cell.low_confidence check, so the inspector looks at it.
CONFUSED_CONFIDENCE = 0.6
# The check's threshold (core/checks/ocr.py): cells read with less are shown for review.
LOW_CONFIDENCE = 0.9
# Images larger than this (pixels on the long side) are scaled down before OCR.
MAX_IMAGE_SIDE = 2400
# Environment variable overriding the number of OCR worker processes (0: in-process).
WORKERS_ENV = "NIANBAO_OCR_WORKERS"
# How a page is read: "scaled" (default: the text detector runs on the page scaled to
# its text height, the recogniser on crops of the full-resolution page, in batches) or
# "page" (the old path: RapidOCR's own pipeline on the whole page at full resolution),
# kept so that benchmarks/ocr_speed.py can time both in one run.
PATH_ENV = "NIANBAO_OCR_PATH"
# The detector finds text lines best when they are about this tall (pixels): the page is
# scaled for detection so that its median text height comes out at this.
DET_TEXT_PX = 14.0
# Never scale the detector's input down more than this, nor up: below, the detector
# began to miss lone digits of a table (read then by _recover, but flagged).
MIN_DET_SCALE = 0.6
# A page with a ruled table is detected at least at this scale: its one-digit cells are
# smaller than the prose that sets the page's text height.
TABLE_DET_SCALE = 0.7
# Lines longer than this many times their height (prose) are read LONG_REC_BATCH at a
# time: the recogniser's memory grows faster than the line's width, and six long lines
# at once took the worker from 360 to 590 MiB.
LONG_LINE_RATIO = 8.0
LONG_REC_BATCH = 1

_CONFUSABLE = str.maketrans({
    "O": "0", "o": "0", "〇": "0", "D": "0", "Q": "0",
    "l": "1", "I": "1", "|": "1", "丨": "1", "i": "1", "!": "1",
    "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2",
})
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*%?$")
_DIGITS = re.compile(r"\d")
_LONE_CONFUSABLE = frozenset("Oo〇l|丨SB")


def available() -> bool:
    """Whether the OCR engine is installed (without importing it)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("rapidocr", "onnxruntime", "cv2"))


def missing_message(name: str) -> ScannedDocument:
    return ScannedDocument(
        f"{name}: scanned document: OCR is needed, but the OCR engine is not installed "
        "(pip install 'rapidocr>=3.10,<4' 'onnxruntime>=1.20,<2' opencv-python-headless)",
        "这是扫描件，需要文字识别（OCR），但未安装 OCR 组件（rapidocr、onnxruntime）")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

@dataclass
class PageText:
    """What OCR read on one page: its rows, the skew undone and how many boxes it read."""

    page: int
    rows: list[Row]
    skew: float = 0.0
    boxes: int = 0
    low: int = 0  # tokens under LOW_CONFIDENCE


# ---------------------------------------------------------------------------
# Worker side: one page image to rows
# ---------------------------------------------------------------------------

_ENGINE = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def _no_spinning() -> None:
    """Make onnxruntime's idle threads sleep instead of spinning.

    By default they busy-wait between operators: with other work on the two cores (the
    GUI's second import worker, the window) that burnt CPU the other work needed, and a
    page with two threads took longer than with one (benchmarks/ocr_speed.py). RapidOCR
    builds the session options itself, so its builder is wrapped (rapidocr 3.x).
    """
    try:
        from rapidocr.inference_engine.onnxruntime.main import OrtInferSession
    except ImportError:  # another layout: keep onnxruntime's default
        return
    build = OrtInferSession._init_sess_opts
    if getattr(build, "_nianbao", False):
        return

    def init_sess_opts(cfg):
        opts = build(cfg)
        # The memory pattern plans one block per input shape, and every page and line
        # has its own shape: planned blocks only added to the peak.
        opts.enable_mem_pattern = False
        if not ALLOW_SPINNING:
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return opts

    init_sess_opts._nianbao = True  # type: ignore[attr-defined]
    OrtInferSession._init_sess_opts = staticmethod(init_sess_opts)  # type: ignore[method-assign]


def _libc():
    """glibc, for its allocator's knobs; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def _fewer_malloc_arenas() -> None:
    """At most two malloc arenas: glibc gives each of onnxruntime's threads its own,
    and the freed pages of each stay in the process (M_ARENA_MAX is -8)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(-8, 2)


def release_memory() -> None:
    """Hand the pages the allocator keeps back to the system, between two pages: a
    page's images and the detector's buffers are freed, but without this they stay in
    the worker's resident memory and the next page's peak comes on top."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _engine(threads: int | None = None):
    """The process's RapidOCR engine, loaded on first use and kept."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _fewer_malloc_arenas()  # before onnxruntime starts its threads
            no_telemetry()  # before onnxruntime loads (core.offline)
            from rapidocr import RapidOCR

            _no_spinning()

            params = {
                "Global.log_level": "error",
                "Global.use_cls": False,
                # Keep weak reads (they are flagged for review) instead of dropping them.
                "Global.text_score": TEXT_SCORE,
                "Rec.rec_img_shape": [3, 48, REC_WIDTH],
                "Rec.rec_batch_num": REC_BATCH,
            }
            if threads:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            _ENGINE = RapidOCR(params=params)
        return _ENGINE


def init_worker(threads: int | None = None) -> None:
    """Process-pool initializer: load the models once per worker process."""
    _engine(threads)


@dataclass
class _Rules:
    vertical: list[tuple[float, float, float]]  # (x, top, bottom) in deskewed pixels
    horizontal: list[tuple[float, float, float]]  # (y, left, right)


@dataclass
class RawPage:
    """The recogniser's output for one page, in deskewed pixels (picklable)."""

    skew: float
    boxes: list[list[list[float]]]  # 4 corners each
    txts: list[str]
    scores: list[float]
    rules: _Rules
    inverse: list[list[float]] | None  # deskewed pixels -> page image pixels (2x3)


def recognise(gray: np.ndarray, threads: int | None = None) -> RawPage:
    """Deskew, find and erase the ruling lines, and run the recogniser on one page."""
    import cv2

    gray = _as_gray(gray)
    skew = estimate_skew(gray)
    h, w = gray.shape
    inverse = None
    if abs(skew) >= MIN_SKEW:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        work = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=255)
        inverse = cv2.invertAffineTransform(matrix).tolist()
    else:
        skew = 0.0
        work = gray
    del gray  # the deskewed copy is the one read from here on
    rules, clean, horiz = find_rules(work)
    del work
    engine = _engine(threads)
    # The engine keeps per-call settings (use_det …) on itself: one caller at a time.
    with _RUN_LOCK:
        if os.environ.get(PATH_ENV, "scaled") == "page":
            result = engine(cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR), use_det=True,
                            use_rec=True)
            boxes = [] if result.boxes is None else [np.asarray(b, dtype=float).tolist()
                                                      for b in result.boxes]
            txts = list(result.txts or ())
            scores = [float(s) for s in (result.scores or ())]
        else:
            boxes, txts, scores = _read_scaled(clean, engine, table=bool(rules.vertical))
        recovered = _recover(clean, horiz, boxes, engine)
    for quad, text, score in recovered:
        boxes.append(quad)
        txts.append(text)
        scores.append(min(score, RECOVERED_CONFIDENCE))
    return RawPage(round(skew, 3), boxes, txts, scores, rules, inverse)


def text_height(gray: np.ndarray) -> float:
    """The page's median height of a printed character's ink (pixels), 0 for no text.

    From the connected dark blobs of character size on a half-size binary image: the
    parts of a Chinese character are counted as they come (a radical is shorter than its
    character), which the median smooths; ruling lines are too long to count.
    """
    import cv2

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    text = h[(h >= 4) & (h <= 50) & (w <= 3 * h) & (w >= 2)]
    # The taller half: the strokes of a character that stand alone (dots, short bars)
    # would pull the median down.
    if text.size < 20:
        return 0.0
    return float(np.percentile(text, 75)) * 2


def det_scale(height: float) -> float:
    """How much to scale a page for the text detector, from its text height."""
    if height <= 0:
        return 1.0
    return float(min(1.0, max(MIN_DET_SCALE, DET_TEXT_PX / height)))


def _read_scaled(clean: np.ndarray, engine, table: bool = False
                 ) -> tuple[list, list[str], list[float]]:
    """Detect text lines on the page scaled to its text height, then read each line from
    the page at full resolution, all lines in batches (the recogniser sorts them by width
    so that a batch pads little).

    Detection on the whole page at full resolution was half of the time and most of the
    memory of a page (the detector's feature maps grow with the pixels); the recogniser
    needs the full resolution for small digits, and gets it.
    """
    import cv2
    from rapidocr.utils.process_img import get_rotate_crop_image

    scale = det_scale(text_height(clean))
    if table:
        scale = max(scale, TABLE_DET_SCALE)
    small = clean if scale >= 0.999 else cv2.resize(
        clean, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    det = engine._load_det_model()(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    del small
    if det.boxes is None or len(det.boxes) == 0:
        return [], [], []
    quads = [np.asarray(b, dtype=np.float32) / scale for b in det.boxes]
    crops = [cv2.cvtColor(get_rotate_crop_image(clean, q), cv2.COLOR_GRAY2BGR)
             for q in quads]
    reads = _recognise_crops(crops, engine)
    del crops
    boxes, txts, scores = [], [], []
    for q, (text, score) in zip(quads, reads, strict=True):
        if float(score) < TEXT_SCORE or not text:
            continue
        boxes.append(q.astype(float).tolist())
        txts.append(text)
        scores.append(float(score))
    return boxes, txts, scores


def _recognise_crops(crops: list[np.ndarray], engine) -> list[tuple[str, float]]:
    """(text, score) of each crop: short ones REC_BATCH at a time, long lines
    LONG_REC_BATCH at a time (see LONG_LINE_RATIO)."""
    rec = engine._load_rec_model()
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    long_ = [c.shape[1] > LONG_LINE_RATIO * max(1, c.shape[0]) for c in crops]
    try:
        for is_long, batch in ((False, REC_BATCH), (True, LONG_REC_BATCH)):
            index = [k for k, flag in enumerate(long_) if flag is is_long]
            if not index:
                continue
            rec.rec_batch_num = batch
            res = engine.recognize_txt([crops[k] for k in index])
            for k, text, score in zip(index, res.txts, res.scores, strict=True):
                out[k] = (text, float(score))
    finally:
        rec.rec_batch_num = REC_BATCH
    return out


def _recover(clean: np.ndarray, horiz: np.ndarray, boxes: list, engine) -> list:
    """Read ink the text detector left out (a lone "0" in a table cell, now and then).

    Dark blobs of text size outside every detected box are read one by one by the
    recogniser alone; thin upright strokes touching a horizontal rule are short table
    rules, not text, and are skipped.
    """
    import cv2

    h, w = clean.shape
    _, ink = cv2.threshold(clean, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink[horiz > 0] = 0
    covered = np.zeros_like(ink)
    for quad in boxes:
        cv2.fillPoly(covered, [np.asarray(quad, dtype=np.int32)], 255)
    covered = cv2.dilate(covered, np.ones((5, 5), np.uint8))
    ink[covered > 0] = 0
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    grouped = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    near_h = cv2.dilate(horiz, np.ones((7, 3), np.uint8))
    found = []
    for i in range(1, n):
        x, y, ww, hh, _area = (int(v) for v in stats[i])
        # The blob's own ink, without the dilation margin.
        x, y, ww, hh = x + 4, y + 2, ww - 8, hh - 4
        if not (10 <= hh <= 60 and 3 <= ww <= 600):
            continue
        region = ink[y:y + hh, x:x + ww]
        if int(np.count_nonzero(region)) < 30:
            continue
        if hh >= 4 * ww and (near_h[max(0, y - 2), min(w - 1, x + ww // 2)]
                             or near_h[min(h - 1, y + hh + 1), min(w - 1, x + ww // 2)]):
            continue  # a short vertical rule of a table cell
        pad = 6
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(w, x + ww + pad), min(h, y + hh + pad)
        crop = cv2.cvtColor(clean[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR)
        res = engine(crop, use_det=False, use_rec=True)
        txts = getattr(res, "txts", None)
        if not txts or not txts[0].strip():
            continue
        quad = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        found.append((quad, txts[0], float(res.scores[0])))
    return found


def page_rows(raw: RawPage, page: int, scale: float) -> PageText:
    """Rows of positioned tokens from one page's OCR output."""
    inverse = np.asarray(raw.inverse) if raw.inverse is not None else None
    tokens: list[tuple[Token, float, float]] = []
    stacked: list[Row] = []
    for quad, text, score in zip(raw.boxes, raw.txts, raw.scores, strict=True):
        q = np.asarray(quad, dtype=float)
        width = q[:, 0].max() - q[:, 0].min()
        height = q[:, 1].max() - q[:, 1].min()
        if len(text.strip()) >= 2 and height > 1.5 * width:
            # Text set one char under the other (narrow table headers such as
            # "三、本年度办理结果"): one row per char, as pdf.py gives it.
            stacked.extend(_stacked_rows(q, text.strip(), score, page, scale, inverse))
            continue
        tokens.extend(_tokens(q, text, score, raw.rules, page, scale, inverse))
    # OCR rows always have their extent on the page (y0/y1 are optional in Row in general).
    rows = sorted(_rows(tokens, page) + stacked,
                  key=lambda r: (r.y0 + r.y1) / 2)  # type: ignore[operator]
    low = sum(1 for t, _, _ in tokens if t.confidence < LOW_CONFIDENCE)
    return PageText(page, rows, raw.skew, len(raw.boxes), low)


def _stacked_rows(q: np.ndarray, text: str, score: float, page: int, scale: float,
                  inverse: np.ndarray | None) -> list[Row]:
    # Plain floats, not numpy's: the document is pickled to a process without numpy.
    x0, x1 = float(q[:, 0].min()), float(q[:, 0].max())
    top, bottom = float(q[:, 1].min()), float(q[:, 1].max())
    step = (bottom - top) / len(text)
    rows = []
    for k, ch in enumerate(text):
        if ch.isspace():
            continue
        a, b = top + k * step, top + (k + 1) * step
        bbox = _page_bbox(x0, a, x1, b, scale, inverse)
        tok = Token(ch, round(x0 * scale, 2), round(x1 * scale, 2), Location(page=page, bbox=bbox),
                    round(float(score), 4))
        rows.append(Row([tok], page=page, y0=round(a * scale, 2), y1=round(b * scale, 2)))
    return rows


def _page_bbox(x0: float, top: float, x1: float, bottom: float, scale: float,
               inverse: np.ndarray | None) -> tuple[float, float, float, float]:
    """A box in deskewed pixels as a bbox in points on the page as printed (for the GUI)."""
    corners = np.array([[x0, top], [x1, top], [x1, bottom], [x0, bottom]])
    if inverse is not None:
        corners = corners @ inverse[:, :2].T + inverse[:, 2]
    bx0, by0 = corners.min(axis=0) * scale
    bx1, by1 = corners.max(axis=0) * scale
    return (round(float(bx0), 2), round(float(by0), 2), round(float(bx1), 2),
            round(float(by1), 2))


def ocr_page(gray: np.ndarray, page: int, scale: float, threads: int | None = None) -> PageText:
    """Read one greyscale page image. ``scale`` converts pixels to PDF points."""
    try:
        return page_rows(recognise(gray, threads), page, scale)
    finally:
        release_memory()


def _as_gray(img: np.ndarray) -> np.ndarray:
    import cv2

    if img.ndim == 3:
        if img.shape[2] == 4:
            img = cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
        else:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(img, dtype=np.uint8)


def estimate_skew(gray: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) that makes the page's lines horizontal.

    The horizontal projection profile of the dark pixels is sharpest when text lines and
    rules lie flat; searched coarse to fine on a half-size binary image (about 30 ms).
    """
    import cv2

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if bw.sum() < 50:
        return 0.0
    h, w = bw.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(prof)).sum())

    best = 0.0
    step = 0.25
    candidates = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, step)
    scores = {float(a): sharpness(float(a)) for a in candidates}
    best = max(scores, key=lambda angle: scores[angle])
    for step in (0.05, 0.01):
        for a in np.arange(best - 5 * step, best + 5 * step + 1e-9, step):
            a = round(float(a), 4)
            if a not in scores:
                scores[a] = sharpness(a)
        best = max(scores, key=lambda angle: scores[angle])
    # A flat profile (a page of noise) has no best angle: keep the page as it is.
    if scores[best] <= scores.get(0.0, sharpness(0.0)) * 1.02:
        return 0.0
    return best


def find_rules(gray: np.ndarray) -> tuple[_Rules, np.ndarray, np.ndarray]:
    """The page's ruling lines, the image without the vertical ones, and the mask of the
    horizontal ones.

    A rule is a straight dark run of at least MIN_RULE_PX pixels (MIN_RULE_PX + 20 for a
    horizontal one). A vertical rule is cut back to the first and last horizontal rule it
    meets, and each of its cell sides (between two horizontal rules) that something
    crosses is left out: that is a character's stroke continuing the rule (the 十 of 计
    right under a rule's end, touching the rules above and below in a tight row). Only
    the vertical rules are erased (a rule beside a digit is read as "1"; without erasing,
    dev report 023 lost 15 cells); the horizontal ones stay, as they keep the digits of
    two stacked cells apart for the text detector. Short vertical rules (cells one line
    high) cannot be told from the strokes of a character by their length: left alone.
    """
    import cv2

    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                               31, 15)
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (MIN_RULE_PX + 20, 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, MIN_RULE_PX)))
    rules = _Rules([], [])
    h, w = gray.shape
    erase = np.zeros_like(vert)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    for i in range(1, n):
        x, y, ww, hh, _area = (int(v) for v in stats[i])
        if ww > 8:
            continue
        top, bottom = y, y + hh
        x_lo, x_hi = max(0, x - 1), min(w, x + ww + 1)
        crossings = np.flatnonzero(horiz[max(0, y - 1):min(h, bottom + 1), x_lo:x_hi].any(axis=1))
        crossings = crossings + max(0, y - 1)
        if crossings.size and crossings[-1] - crossings[0] > 10:
            top, bottom = max(top, int(crossings[0]) - 1), min(bottom, int(crossings[-1]) + 2)
        # Cut at the horizontal rules into cell sides; keep those that are rule, not glyph.
        cuts = [top, *[int(c) for c in crossings if top < c < bottom], bottom]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b - a < 3 or _glyph_stroke(bw, x, ww, a, b):
                continue
            rules.vertical.append((x + ww / 2, float(a), float(b)))
            part = labels[a:b, x:x + ww] == i
            erase[a:b, x:x + ww][part] = 255
    n, _, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    for i in range(1, n):
        x, y, ww, hh, _area = (int(v) for v in stats[i])
        if hh <= 8:
            rules.horizontal.append((y + hh / 2, float(x), float(x + ww)))
    _merge_segments(rules)
    clean = gray
    if rules.vertical and ERASE_RULES:
        clean = gray.copy()
        clean[cv2.dilate(erase, np.ones((3, 3), np.uint8)) > 0] = 255
    return rules, clean, horiz


def _glyph_stroke(bw: np.ndarray, x: int, ww: int, top: int, bottom: int) -> bool:
    """Whether a piece of a vertical run between two horizontal rules is the stroke of a
    character rather than a cell's side: something crosses it (ink just left and just
    right of it on the same pixel row, like the bar of 十), away from the rules."""
    h, w = bw.shape
    a, b = top + 3, bottom - 3
    if b <= a or x < 3 or x + ww + 3 > w:
        return False
    left = bw[a:b, x - 3:x - 1].any(axis=1)
    right = bw[a:b, x + ww + 1:x + ww + 3].any(axis=1)
    return bool((left & right).any())


def _merge_segments(rules: _Rules) -> None:
    """Join the cell sides of one vertical rule again (same x, touching)."""
    merged: list[tuple[float, float, float]] = []
    for x, a, b in sorted(rules.vertical):
        if merged and abs(merged[-1][0] - x) < 0.5 and a <= merged[-1][2] + 3:
            merged[-1] = (merged[-1][0], merged[-1][1], max(merged[-1][2], b))
        else:
            merged.append((x, a, b))
    rules.vertical = merged


def _char_weight(ch: str) -> float:
    return 2.0 if is_wide(ch) else 1.0


def _cut_positions(text: str) -> list[float]:
    """The cumulative relative x of each char boundary: len(text) + 1 values in [0, 1]."""
    weights = [_char_weight(c) for c in text]
    total = sum(weights) or 1.0
    out = [0.0]
    acc = 0.0
    for wgt in weights:
        acc += wgt
        out.append(acc / total)
    return out


def normalise_number(text: str, confidence: float) -> tuple[str, float]:
    """Digits for letters OCR confuses with them, in a token that is otherwise a number.

    "1O" → "10", "l2" → "12", "S" → "5"; the token's confidence drops to
    :data:`CONFUSED_CONFIDENCE` when a letter was replaced. Words ("Sl" is not a
    number: it has no digit and more than one letter) are left alone.
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if _NUMBER.match(t):
        return t, confidence
    compact = t.replace(" ", "")
    mapped = compact.translate(_CONFUSABLE)
    if mapped == compact or not _NUMBER.match(mapped):
        return text, confidence
    if not _DIGITS.search(compact) and not (len(compact) == 1 and compact in _LONE_CONFUSABLE):
        return text, confidence
    return mapped, min(confidence, CONFUSED_CONFIDENCE)


def _numberish(part: str) -> bool:
    t = unicodedata.normalize("NFKC", part)
    return bool(_NUMBER.match(t)) or normalise_number(t, 1.0)[0] != t


def _pieces(text: str, rules_x: Sequence[float], x0: float,
            x1: float) -> list[tuple[str, float, float]]:
    """Cut a recognised box into words: (text, x0, x1) in the same units as x0/x1.

    Cuts at a vertical rule crossing the box and at spaces before a number ("0 0 1" →
    three tokens, "申请数 12" → two), x extents estimated by char widths (a CJK char
    counts twice a Latin one or a digit).
    """
    n = len(text)
    if n == 0:
        return []
    pos = _cut_positions(text)
    width = x1 - x0
    cuts: set[int] = set()
    for rx in rules_x:
        rel = (rx - x0) / width if width > 0 else 0
        # The char boundary nearest the rule, if the rule is inside the box.
        if 0.05 < rel < 0.95:
            k = min(range(1, n), key=lambda i: abs(pos[i] - rel), default=None)
            if k is not None:
                cuts.add(k)
    # A space before a number (as pdf.py cuts): "0 0 1", "申请数 12", not "17.27 万元".
    for m in re.finditer(r"\s+", text):
        before, after = text[:m.start()].split(), text[m.end():].split()
        if before and after and _numberish(after[0]):
            cuts.add(m.start())
            cuts.add(m.end())
    if not cuts:
        return [(text.strip(), x0, x1)]
    out = []
    edges = [0, *sorted(c for c in cuts if 0 < c < n), n]
    for a, b in zip(edges, edges[1:], strict=False):
        piece = text[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        pa, pb = pos[a + lead], pos[b - trail]
        out.append((stripped, x0 + pa * width, x0 + pb * width))
    return out


def _tokens(quad: np.ndarray, text: str, score: float, rules: _Rules, page: int,
            scale: float, inverse: np.ndarray | None) -> list[tuple[Token, float, float]]:
    """The tokens of one recognised box, each with its top and bottom (deskewed, points)."""
    xs, ys = quad[:, 0], quad[:, 1]
    x0, x1, top, bottom = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
    yc = (top + bottom) / 2
    rules_x = [x for x, t, b in rules.vertical if t <= yc <= b and x0 < x < x1]
    out = []
    for piece, a, b in _pieces(text, rules_x, x0, x1):
        t, conf = normalise_number(piece, score)
        bbox = _page_bbox(a, top, b, bottom, scale, inverse)
        tok = Token(t, round(a * scale, 2), round(b * scale, 2), Location(page=page, bbox=bbox),
                    round(float(conf), 4))
        out.append((tok, top * scale, bottom * scale))
    return out


def _rows(tokens: list[tuple[Token, float, float]], page: int) -> list[Row]:
    """Group tokens into visual lines: a token joins a line when its vertical centre is
    within LINE_TOLERANCE of its own height (and the line's) from the line's centre.

    Detected boxes are taller than the glyphs (the detector pads them), so the boxes of
    two lines of a wrapped label overlap; their centres are a line pitch apart, while the
    numbers of a table row share the centre of their label.
    """
    lines: list[list[tuple[Token, float, float]]] = []
    centres: list[float] = []
    heights: list[float] = []
    for item in sorted(tokens, key=lambda it: it[1] + it[2]):
        _, t0, t1 = item
        yc, hh = (t0 + t1) / 2, t1 - t0
        if lines and abs(yc - centres[-1]) <= LINE_TOLERANCE * min(hh, heights[-1]):
            line = lines[-1]
            line.append(item)
            centres[-1] += (yc - centres[-1]) / len(line)
        else:
            lines.append([item])
            centres.append(yc)
            heights.append(hh)
    rows = []
    for line in lines:
        line.sort(key=lambda it: it[0].x0)
        rows.append(Row(tokens=[it[0] for it in line], page=page,
                        y0=round(min(it[1] for it in line), 2),
                        y1=round(max(it[2] for it in line), 2), grid=False))
    return rows


# ---------------------------------------------------------------------------
# Caller side: the pool
# ---------------------------------------------------------------------------

# Peak resident memory of one OCR worker (benchmarks/ocr_speed.py: 370-460 MiB on the
# dev scans with the scaled path), rounded up, and what the rest of the program and the
# system should keep.
WORKER_MIB = 500
RESERVE_MIB = 700


def available_mib() -> int | None:
    """Memory the system can still give (MiB): ``MemAvailable`` of /proc/meminfo on Linux,
    else ``os.sysconf`` free pages where there are; None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages = os.sysconf("SC_AVPHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return pages * size // 2**20 if pages > 0 and size > 0 else None


def workers_for_memory(wanted: int, available: int | None = None) -> int:
    """How many OCR workers (at most ``wanted``, at least 1) fit in the free memory: each
    needs :data:`WORKER_MIB`, and :data:`RESERVE_MIB` stays for the window and the
    system. With the memory unknown, one: a second worker that does not fit makes both
    swap, which is slower than one after the other.

    For the window's import pool (core.pipeline / core.sandbox): ``workers_for_memory(2)``.
    """
    free = available_mib() if available is None else available
    if free is None:
        return 1
    return max(1, min(wanted, (free - RESERVE_MIB) // WORKER_MIB))


def default_workers() -> int:
    """OCR worker processes: NIANBAO_OCR_WORKERS, else 1 (run in this process)."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw.isdigit():
        return int(raw)
    return 1


class OcrPool:
    """One page per task, with ``progress(done, total)``.

    ``workers`` <= 1 runs the pages in this process (the models load once and stay);
    more starts that many worker processes (spawn) on first use, each loading the models
    once (initializer) and using ``cores // workers`` onnxruntime threads, kept until
    :meth:`shutdown` (at exit for :func:`pool`). ``in_process=False`` forces a worker
    process even for one worker (benchmarks/ocr_speed.py compares them)."""

    def __init__(self, workers: int = 1, in_process: bool | None = None) -> None:
        self.workers = max(0, workers)
        cores = os.cpu_count() or 1
        self.threads = max(1, cores // max(1, self.workers))
        # One worker gains nothing from a separate process but its start-up.
        self.in_process = self.workers <= 1 if in_process is None else in_process
        self._executor = None
        self._lock = threading.Lock()

    def _pool(self):
        with self._lock:
            if self._executor is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                ctx = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    max(1, self.workers), mp_context=ctx, initializer=init_worker,
                    initargs=(self.threads,))
            return self._executor

    def run(self, pages: Sequence[tuple[int, np.ndarray, float]],
            progress: Progress | None = None) -> list[PageText]:
        """OCR ``(page number, image, scale)`` items; results in the same order."""
        total = len(pages)
        if progress:
            progress(0, total)
        if self.in_process:
            out = []
            for i, (page, img, scale) in enumerate(pages, start=1):
                out.append(ocr_page(img, page, scale, self.threads))
                if progress:
                    progress(i, total)
            return out
        from concurrent.futures import as_completed

        pool = self._pool()
        futures = {pool.submit(ocr_page, img, page, scale, self.threads): k
                   for k, (page, img, scale) in enumerate(pages)}
        results: list[PageText | None] = [None] * total
        for done, fut in enumerate(as_completed(futures), start=1):
            results[futures[fut]] = fut.result()
            if progress:
                progress(done, total)
        return results  # type: ignore[return-value]

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for measuring their memory)."""
        ex = self._executor
        return list(getattr(ex, "_processes", {}) or {}) if ex is not None else []

    def shutdown(self) -> None:
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=True, cancel_futures=True)


_POOL: OcrPool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> OcrPool:
    """The process's OCR pool (started on first use, stopped at exit)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = OcrPool(default_workers())
            atexit.register(_POOL.shutdown)
        return _POOL


def render_pages(data: bytes, indexes: Sequence[int], dpi: int = DPI) -> list[np.ndarray]:
    """Greyscale images of the given pages (0-based) of a PDF, under PDFIUM_LOCK."""
    import pypdfium2 as pdfium

    from core.readers.pdf import PDFIUM_LOCK

    out = []
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            for i in indexes:
                page = pdf[i]
                try:
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    arr = bitmap.to_numpy()
                    out.append(np.array(arr[:, :, 0] if arr.ndim == 3 else arr, copy=True))
                    bitmap.close()
                finally:
                    page.close()
        finally:
            pdf.close()
    return out


def ocr_pdf_pages(data: bytes, indexes: Sequence[int],
                  progress: Progress | None = None) -> list[PageText]:
    """OCR the given pages (0-based indexes) of a PDF; PageText.page is 1-based."""
    images = render_pages(data, indexes)
    scale = 72 / DPI
    items = [(i + 1, img, scale) for i, img in zip(indexes, images, strict=True)]
    return pool().run(items, progress)


# ---------------------------------------------------------------------------
# Image files
# ---------------------------------------------------------------------------

def read_image(path, data: bytes, progress: Progress | None = None) -> Document:
    """An image file of report pages (PNG, JPEG, TIFF; every frame of a TIFF is a page)."""
    import io
    from pathlib import Path

    from PIL import Image, ImageOps, UnidentifiedImageError

    name = Path(path).name
    if not available():
        raise missing_message(name)
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        what = _IMAGE_NAMES.get(data[:4], "image")
        raise CorruptFile(f"{name}: damaged {what} ({e})", "图片文件已损坏，无法打开") from e
    items = []
    frames = getattr(im, "n_frames", 1)
    fmt = (im.format or "image").lower()
    for k in range(frames):
        try:
            im.seek(k)
        except EOFError:
            break
        frame = ImageOps.exif_transpose(im.copy()).convert("L")
        dpi = _image_dpi(im, frame.size)
        side = max(frame.size)
        factor = 1.0
        if side > MAX_IMAGE_SIDE:
            factor = MAX_IMAGE_SIDE / side
            frame = frame.resize((round(frame.width * factor), round(frame.height * factor)),
                                 Image.Resampling.LANCZOS)
        # Pixels of the (possibly scaled) image to points on the page as printed.
        items.append((k + 1, np.asarray(frame, dtype=np.uint8), 72 / (dpi * factor)))
    pages = pool().run(items, progress)
    doc = Document(kind="scanned-pdf", rows=[], pages=len(items),
                   meta={"image": fmt, "ocr_pages": ",".join(str(p.page) for p in pages)})
    for p in pages:
        doc.rows.extend(p.rows)
        _page_warnings(doc, p)
    return doc


_IMAGE_NAMES = {b"\x89PNG": "PNG image", b"\xff\xd8\xff\xe0": "JPEG image",
                b"\xff\xd8\xff\xe1": "JPEG image", b"II*\x00": "TIFF image",
                b"MM\x00*": "TIFF image", b"GIF8": "GIF image", b"RIFF": "WebP image"}


def _image_dpi(im, size: tuple[int, int]) -> float:
    """The image's resolution: its own dpi tag when plausible, else that of an A4 page."""
    dpi = im.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    if 50 <= d <= 1200:
        return d
    w, h = size
    # No usable tag: take the page for A4 (210 mm wide, or 297 mm when landscape).
    return min(w, h) / (210 / 25.4)


def _page_warnings(doc: Document, p: PageText) -> None:
    if not p.rows:
        doc.warnings.append(f"page {p.page}: OCR found no text")
    if abs(p.skew) >= 0.5:
        doc.warnings.append(f"page {p.page}: scan turned by {p.skew:.1f}°, straightened for OCR")

