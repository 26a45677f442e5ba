"""The report under review: its cells, findings, verdicts and each cell's state.

One :class:`ReviewSession` per window. The tables, the findings panel and the source
view all read the same session and follow its signals, so an edit anywhere updates
colours, tooltips and the findings list together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from core.model import Finding, Report, Value
from core.values import same_value
from gui.backend import DISMISSED, StoreBackend, Verdict, is_error
from gui.edits import CellEdit

LOW_CONFIDENCE = 0.8

ERROR = "error"
WARNING = "warning"
CORRECTED = "corrected"
LOW = "low_confidence"
OK = "ok"


@dataclass
class CellState:
    """How one cell looks: its main state and what the tooltip says."""

    state: str = OK  # error > warning > corrected > low_confidence > ok
    messages: list[str] = field(default_factory=list)
    corrected: bool = False
    original: Value = None
    low_confidence: bool = False


class ReviewSession(QObject):
    """The current report of the window and everything derived from it."""

    reportLoaded = Signal(object)  # report id, or None when nothing is open
    cellsChanged = Signal(list)  # keys whose value or state changed
    findingsChanged = Signal()
    summaryChanged = Signal(int)  # a report's counts or review status changed
    notice = Signal(str)  # something the inspector should read (status bar)

    def __init__(self, backend: StoreBackend, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.report_id: int | None = None
        self.report: Report | None = None
        self.findings: list[Finding] = []
        self.verdicts: dict[str, Verdict] = {}
        self.original: dict[str, Value] = {}
        self.states: dict[str, CellState] = {}
        self.closed = False  # marked 已审: the cells are read only until it is reopened

    # --- loading ------------------------------------------------------------------------
    def load(self, report_id: int | None) -> None:
        if report_id is None:
            self.report_id = self.report = None
            self.findings, self.verdicts, self.original, self.states = [], {}, {}, {}
            self.closed = False
            self.reportLoaded.emit(None)
            return
        self.report_id = report_id
        self.report = self.backend.report(report_id)
        self.original = self.backend.original_values(report_id)
        self.verdicts = self.backend.verdicts(report_id)
        self.findings = list(self.report.findings)
        self.states = self._compute_states()
        self.closed = self.backend.summary(report_id).reviewed
        self.reportLoaded.emit(report_id)

    def refresh_closed(self) -> None:
        """Read again whether the report is marked 已审 (after the mark changed)."""
        if self.report_id is not None:
            self.closed = self.backend.summary(self.report_id).reviewed

    # --- queries ------------------------------------------------------------------------
    def state(self, key: str) -> CellState:
        return self.states.get(key) or CellState()

    def is_dismissed(self, finding: Finding) -> bool:
        v = self.verdicts.get(finding.fingerprint)
        return v is not None and v.verdict == DISMISSED

    def findings_for(self, key: str) -> list[Finding]:
        return [f for f in self.findings if key in f.cells]

    def _compute_states(self) -> dict[str, CellState]:
        report = self.report
        if report is None:
            return {}
        states: dict[str, CellState] = {}
        for key, cell in report.cells.items():
            orig = self.original.get(key, cell.value)
            corrected = not same_value(orig, cell.value)
            low = cell.confidence < LOW_CONFIDENCE and not corrected
            states[key] = CellState(CORRECTED if corrected else LOW if low else OK, [],
                                    corrected, orig, low)
        for f in self.findings:
            if self.is_dismissed(f):
                continue
            for key in f.cells:
                st = states.setdefault(key, CellState())
                st.messages.append(f.message)
                if is_error(f):
                    st.state = ERROR
                elif st.state != ERROR:
                    st.state = WARNING
        return states

    def _refresh(self, extra_keys: tuple[str, ...] = ()) -> None:
        old = self.states
        self.states = self._compute_states()
        changed = [k for k, st in self.states.items() if old.get(k) != st]
        changed += [k for k in extra_keys if k not in changed]
        self.cellsChanged.emit(changed)
        self.findingsChanged.emit()
        if self.report_id is not None:
            self.summaryChanged.emit(self.report_id)

    # --- changes ------------------------------------------------------------------------
    def new_edit(self, key: str, value: Value, user: str = "", reason: str = "") -> CellEdit:
        assert self.report is not None and self.report_id is not None
        return CellEdit(self.report_id, key, self.report.cells[key].value, value, user, reason)

    def run_edit(self, edit: CellEdit, forward: bool = True) -> None:
        """Apply (or revert) ``edit``; re-check at once and tell every view."""
        findings = edit.apply(self.backend) if forward else edit.revert(self.backend)
        if edit.report_id != self.report_id:
            self.summaryChanged.emit(edit.report_id)
            return
        self.report = self.backend.report(edit.report_id)
        self.original = self.backend.original_values(edit.report_id)
        self.findings = list(findings)
        self._refresh((edit.key,))

    def set_verdict(self, finding: Finding, verdict: str | None, reason: str = "",
                    user: str = "") -> None:
        if self.report_id is None:
            return
        self.backend.set_verdict(self.report_id, finding.fingerprint, verdict, reason=reason,
                                 user=user)
        self.verdicts = self.backend.verdicts(self.report_id)
        self._refresh()
