"""Hostile HTML and DOCX are parsed, never executed or fetched: no network access at all.

The files point at a listening socket on 127.0.0.1 and at outside hosts from every place
a browser or a careless parser would fetch: remote images, stylesheets (<link>,
@import, url()), scripts, iframes, objects, meta refresh, <base>, an external DTD, an
XML external entity and a DOCX image linked by URL. They are
read, extracted and checked in a child process in its own network namespace
(``unshare -rn``: nothing can leave the machine even by mistake), in-process and through
the command line's worker processes, while

* the listener counts connections (any fetch of a 127.0.0.1 URL, by Python or by a C
  library such as libxml2, would reach it),
* a Python audit hook records every socket, DNS, urllib and http event,
* strace (when installed) records every connect() of the child and its workers.

All three must stay empty. No code of ours is mocked.

OCR (onnxruntime) is checked apart, without the namespace: a scanned page drawn by the
test is read under a fresh ``HOME`` by the command line, once in a forked child
(``extract``) and once in a spawned sandbox worker (``import``); nothing may appear in
that HOME (onnxruntime's telemetry keeps its device id and event queue in
``~/.cache/Microsoft``) and strace, when installed, must see no internet connect() or
sendto() at all (not even a DNS lookup).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS

REPO = Path(__file__).resolve().parent.parent
HTML = DEV_CORPUS / "017_5028cec6.html"
DOCX = DEV_CORPUS / "001_10e7db0a.docx"


def _namespace_works() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_namespace = pytest.mark.skipif(not _namespace_works(),
                                     reason="needs `unshare -rn` (user and network namespaces)")

CHILD = r'''
import io, json, os, re, socket, sys, threading, time, zipfile


def child():
    from pathlib import Path

    repo, work, html_src, docx_src = map(Path, sys.argv[1:5])
    sys.path.insert(0, str(repo))

    # A listener that counts every connection made to it.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    port = server.getsockname()[1]
    connections = []

    def serve():
        while True:
            try:
                conn, addr = server.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                connections.append(conn.recv(200).decode("latin-1"))
            except OSError:
                connections.append("(nothing sent)")
            conn.close()

    listener = threading.Thread(target=serve, daemon=True)
    listener.start()

    local = f"http://127.0.0.1:{port}"
    remote = "http://tracker.example.invalid"
    bait = f"""
    <base href="{local}/base/">
    <link rel="stylesheet" href="{local}/style.css"><link rel="stylesheet" href="{remote}/s.css">
    <link rel="preload" href="{local}/font.woff2" as="font">
    <link rel="dns-prefetch" href="{remote}">
    <link rel="import" href="{local}/import.html"><link rel="icon" href="{local}/favicon.ico">
    <style>@import url("{local}/import.css"); @font-face {{ src: url({local}/f.ttf); }}
    body {{ background: url({local}/bg.png); }}</style>
    <script src="{local}/app.js"></script><script src="{remote}/track.js"></script>
    <script>fetch("{local}/fetch"); new Image().src = "{local}/beacon";
    document.write('<img src="{local}/written.png">');</script>
    <meta http-equiv="refresh" content="0; url={local}/refresh">
    <img src="{local}/logo.png" srcset="{local}/2x.png 2x"><img src="{remote}/pixel.gif">
    <iframe src="{local}/frame.html"></iframe><object data="{local}/object.swf"></object>
    <embed src="{local}/embed.swf"><video poster="{local}/poster.jpg" src="{local}/v.mp4"></video>
    <svg><image href="{local}/svg.png"/><use href="{local}/sprite.svg#a"/></svg>
    <table background="{local}/table-bg.png">
    <tr><td style="background:url({local}/td.png)">x</td></tr></table>
    <form action="{local}/form"><input type="image" src="{local}/input.png"></form>
    <a href="{local}/link" ping="{local}/ping">link</a>
    """
    doctype = f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "{local}/xhtml.dtd">\n'
    page = html_src.read_text(encoding="utf-8")
    page = re.sub(r"<!DOCTYPE[^>]*>", "", page, flags=re.I)
    page = doctype + re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bait, page, count=1,
                            flags=re.I)
    html = work / "hostile.html"
    html.write_text(page, encoding="utf-8")

    def rewrite_docx(src, out, edit):
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, edit(item.filename, zin.read(item.filename)))

    def linked(name, data):
        if name == "word/_rels/document.xml.rels":
            rel = (f'<Relationship Id="rIdEvil" TargetMode="External" Target="{local}/linked.png" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>')
            return data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        return data

    def xxe(name, data):
        if name == "word/document.xml":
            head, sep, rest = data.partition(b"?>")
            dtd = (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{local}/xxe">'
                   f'<!ENTITY % p SYSTEM "{local}/param.dtd"> %p;]>').encode()
            data = head + sep + dtd + rest
            return data.replace(b"<w:t>", b"<w:t>&xxe;", 1)
        return linked(name, data)

    docx_linked = work / "linked.docx"
    rewrite_docx(docx_src, docx_linked, linked)
    docx_xxe = work / "xxe.docx"
    rewrite_docx(docx_src, docx_xxe, xxe)

    events = []
    # Every network event of the standard library; socket.__new__ alone is left out, since
    # multiprocessing's pipes to the worker processes are socket pairs.
    watched = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")

    def audit(event, args):
        if event.startswith(watched) and event != "socket.__new__" \
                and threading.get_ident() != listener.ident:
            events.append(f"{event} {args!r}"[:200])

    sys.addaudithook(audit)

    from cli import main
    from core.pipeline import analyse
    from core.errors import ReportError

    outcomes = {}
    for path in (html, docx_linked, docx_xxe):
        try:
            report = analyse(path)
            outcomes[path.name] = sum(c.value is not None for c in report.cells.values())
        except ReportError as e:
            outcomes[path.name] = f"{type(e).__name__}: {e}"
    # The command line reads several files in its sandboxed worker processes.
    out, err = io.StringIO(), io.StringIO()
    code = main(["extract", "--no-details", str(html), str(docx_linked), str(docx_xxe)], out, err)
    time.sleep(0.5)
    print(json.dumps({"connections": connections, "events": events, "outcomes": outcomes,
                      "cli": [code, len(out.getvalue().splitlines()), err.getvalue()]}))


if __name__ == "__main__":  # the CLI's worker processes import this file again
    child()
'''


@needs_namespace
def test_hostile_html_and_docx_make_no_network_access(tmp_path: Path) -> None:
    child = tmp_path / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    trace = tmp_path / "connect.log"
    python = [sys.executable, str(child), str(REPO), str(tmp_path), str(HTML), str(DOCX)]
    if shutil.which("strace"):
        python = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace)] + python
    # Loopback is down in a new network namespace: bring it up for the listener.
    up = "ip link set lo up 2>/dev/null || true; " if shutil.which("ip") else ""
    cmd = ["unshare", "-rn", "sh", "-c", up + 'exec "$@"', "sh", *python]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    assert result["connections"] == []
    assert result["events"] == []
    # The files were really read: the bait did not stop the report from being found.
    assert result["outcomes"]["hostile.html"] > 150, result
    assert result["outcomes"]["linked.docx"] > 150
    assert isinstance(result["outcomes"]["xxe.docx"], int | str)  # read or refused, never fetched
    code, lines, err = result["cli"]
    assert lines >= 2 and "Traceback" not in err
    if trace.exists():
        connects = [line for line in trace.read_text().splitlines()
                    if "connect(" in line and ("AF_INET" in line or "AF_INET6" in line)]
        assert connects == []


def _scan_png(path: Path) -> None:
    """A 150 dpi page image with a few printed lines: enough to load the OCR engine."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(("2023 annual report", "12  34  56", "7  8  9")):
        draw.text((80, 80 + 60 * i), line, fill=0)
    img.save(path, dpi=(150, 150))


def _internet_calls(trace: Path) -> list[str]:
    return [line for line in trace.read_text(errors="replace").splitlines()
            if ("connect(" in line or "sendto(" in line)
            and ("AF_INET" in line or "AF_INET6" in line)]


@pytest.mark.skipif(not __import__("core.readers.ocr", fromlist=["available"]).available(),
                    reason="OCR engine not installed")
@pytest.mark.parametrize("command", ["extract", "import"])
def test_ocr_sends_nothing_and_writes_nothing_to_home(tmp_path: Path, command: str) -> None:
    scan = tmp_path / "scan.png"
    _scan_png(scan)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "ORT_")) and k != "NIANBAO_DATA_DIR"}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    args = [str(REPO / "main.py"), command, str(scan)]
    if command == "import":
        args += ["--db", str(tmp_path / "data" / "reviews.sqlite")]
    cmd = [sys.executable, *args]
    trace = tmp_path / "net.log"
    if shutil.which("strace"):
        cmd = ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
               *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    # The page was really read by OCR: it holds no report, and says so.
    assert proc.returncode != 0 and "scan.png" in proc.stderr, proc.stderr[-3000:]
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []
    if trace.exists():
        assert _internet_calls(trace) == []
