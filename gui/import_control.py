"""Import control for the main window: files in (dialogs, recent files, paste), the worker
batch (start, progress, cancel, queue) and each result saved in the database.

Files reach the window by drag and drop (anywhere on it), 文件 ▸ 打开…, the recent
files menu or Ctrl+V with paths on the clipboard; they all go through
``MainWindow.dropped`` to :meth:`ImportControl.start_import`, which runs the import
pipeline (core.pipeline.read_files, in sandboxed worker processes, see gui/workers.py)
and saves each report in the database here, on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from core.errors import ReportError
from core.pipeline import DONE as PARSED
from core.pipeline import REPORT_SUFFIXES, SKIPPED, STARTED, FileEvent
from gui.models.imports import CANCELLED, DONE, FAILED, PRESENT, READING, WAITING

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.workers import ImportJob

# The kinds a folder import picks up (core.pipeline.REPORT_SUFFIXES), for the open dialog.
REPORT_FILE_FILTER = ("年报文件 (" + " ".join(f"*{s}" for s in sorted(REPORT_SUFFIXES))
                      + ");;所有文件 (*)")
OPEN_DIR_KEY = "files/openDir"  # the folder the last file dialog was left in


def local_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """The local files (or folders) a drag carries."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


def paths_from_text(text: str) -> list[str]:
    """File paths in pasted text: one per line, plain or file:// URLs, quotes stripped."""
    out = []
    for line in text.splitlines():
        s = line.strip().strip('"').strip("'")
        if not s:
            continue
        if s.startswith("file:"):
            s = QUrl(s).toLocalFile()
        if s and Path(s).exists():
            out.append(s)
    return out


class ImportControl(QObject):
    """Runs imports for ``window``: one worker batch at a time, later hand-ins queued."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: ImportJob | None = None
        self.queue: list[str] = []
        self.batch: dict[str, int] = {}

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.done

    # --- files in --------------------------------------------------------------------------
    def last_folder(self) -> str:
        """Where the file dialogs start: the folder used last, else the home folder."""
        folder = str(self.window.ctx.settings.value(OPEN_DIR_KEY, "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_folder(self, folder: str | Path) -> None:
        self.window.ctx.settings.setValue(OPEN_DIR_KEY, str(folder))

    def open_files(self) -> None:
        w = self.window
        paths, _ = QFileDialog.getOpenFileNames(w, "打开年报文件", self.last_folder(),
                                                REPORT_FILE_FILTER)
        if paths:
            self.remember_folder(Path(paths[0]).parent)
            self.hand_in(paths)

    def open_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "导入文件夹中的年报",
                                                self.last_folder())
        if path:
            self.remember_folder(Path(path).parent)
            self.hand_in([path])

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self.window.ctx.recent_files()
        if not recent:
            a = menu.addAction("（无）")
            a.setEnabled(False)
            return
        for p in recent:
            a = menu.addAction(Path(p).name or p)
            a.setToolTip(p)
            a.setEnabled(Path(p).exists())
            a.triggered.connect(lambda _c=False, p=p: self.hand_in([p]))

    def paste_paths(self) -> None:
        """Import the files whose paths (or file:// URLs) are on the clipboard."""
        mime = QGuiApplication.clipboard().mimeData()
        paths: list[str] = []
        if mime is not None and mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if not paths and mime is not None and mime.hasText():
            paths = paths_from_text(mime.text())
        if paths:
            self.hand_in(paths)
        else:
            self.window.statusBar().showMessage("剪贴板中没有可导入的文件路径", 4000)

    def hand_in(self, paths: list[str]) -> None:
        self.window.statusBar().showMessage(f"收到 {len(paths)} 个文件或文件夹")
        self.window.dropped.emit(paths)

    # --- the batch -------------------------------------------------------------------------
    def start_import(self, paths: list[str]) -> None:
        """Parse ``paths`` (files or folders) off the GUI thread and store each report."""
        w = self.window
        paths = [p for p in paths if p]
        if not paths:
            return
        w.ctx.add_recent(paths)
        if self.running:
            self.queue.extend(paths)
            return
        job = w.ctx.workers.new_import(paths, known=w.backend.known_sha256())
        s = job.signals
        s.started.connect(self._on_import_started)
        s.fileStarted.connect(self._on_file_started)
        s.fileDone.connect(self._on_file_done)
        s.progress.connect(self._on_progress)
        s.finished.connect(self._on_import_finished)
        self.job = job
        self.batch = {"ok": 0, "present": 0, "failed": 0}
        w.import_panel.set_running(True)
        w.import_panel.label.setText("正在读取…")
        w.import_dock.show()
        w.import_dock.raise_()
        w.status_progress.setRange(0, 0)
        w.status_progress.show()
        w.ctx.workers.start_import(job)

    def import_now(self, paths: list[str]) -> list[FileEvent]:
        """Parse and store ``paths`` here, blocking (screenshots and scripts, not the UI)."""
        from core.pipeline import expand_paths, read_files

        w = self.window
        files = expand_paths(paths)
        self.batch = {"ok": 0, "present": 0, "failed": 0}
        w.import_panel.model.add_files([str(f) for f in files])
        results = []
        for ev in read_files(files, w.ctx.workers.pool(), known=w.backend.known_sha256(),
                             ordered=True):
            if ev.kind == STARTED:
                continue
            self._on_file_done(ev)
            results.append(ev)
            self._on_progress(len(results), len(files))
        self._on_import_finished(False)
        return results

    def cancel_import(self) -> None:
        self.queue.clear()
        if self.job is not None:
            self.job.cancel()
            self.window.import_panel.label.setText("正在取消…")

    def _on_import_started(self, files: list[str]) -> None:
        self.window.import_panel.model.add_files(files)
        self._on_progress(0, len(files))

    def _on_file_started(self, path: str) -> None:
        self.window.import_panel.model.set_status(path, READING)

    def _on_progress(self, done: int, total: int) -> None:
        w = self.window
        w.import_panel.set_progress(done, total)
        w.status_progress.setRange(0, max(1, total))
        w.status_progress.setValue(done)
        if total:
            w.import_panel.label.setText(f"正在导入：{done} / {total}")

    def _on_file_done(self, ev: FileEvent) -> None:
        """A file's event from the pipeline: skipped (already stored), done (its report is
        saved here, with the bytes and hash it was read from) or failed."""
        w = self.window
        model = w.import_panel.model
        path = str(ev.path)
        rid: int | None = None
        if ev.kind == SKIPPED and ev.sha256:
            rid = w.backend.find_sha256(ev.sha256)
            model.set_status(path, PRESENT, "同一文件已导入过", report_id=rid)
            self.batch["present"] += 1
        elif ev.kind == PARSED and ev.report is not None and ev.content is not None:
            try:
                added = w.backend.add_report(ev.report, ev.path, ev.content, ev.sha256)
            except ReportError as e:
                model.set_status(path, FAILED, e.message_zh, str(e))
                self.batch["failed"] += 1
                return
            rid = added.report_id
            s = w.backend.summary(rid)
            note = f"{s.agency or '?'} {s.year or '?'} 年度 · 错误 {s.errors} · 提示 {s.warnings}"
            model.set_status(path, DONE if added.created else PRESENT, note, report_id=rid)
            self.batch["ok" if added.created else "present"] += 1
        else:
            model.set_status(path, FAILED, ev.reason_zh or "无法读取", ev.reason)
            self.batch["failed"] += 1
            return
        if rid is not None:
            w.report_list.upsert(rid)
            w.views_changed()
            if w.session.report_id is None:
                w.select_report(rid)

    def _on_import_finished(self, cancelled: bool) -> None:
        w = self.window
        model = w.import_panel.model
        if cancelled:
            for it in list(model.items):
                if it.status in (WAITING, READING):
                    model.set_status(it.path, CANCELLED)
        b = self.batch
        text = (f"导入{'已取消' if cancelled else '完成'}：新增 {b.get('ok', 0)} 份，"
                f"已在库中 {b.get('present', 0)} 份，失败 {b.get('failed', 0)} 份")
        w.import_panel.label.setText(text)
        w.import_panel.set_running(False)
        w.status_progress.hide()
        if not cancelled and not b.get("failed") and not self.queue:
            # A clean batch: the panel folds away (视图 ▸ 导入 brings it back); with
            # failures it stays, their reasons are in it.
            w.import_dock.hide()
        w.statusBar().showMessage(text, 8000)
        self.job = None
        w.importFinished.emit(cancelled)
        if self.queue:
            queued, self.queue = self.queue, []
            self.start_import(queued)
