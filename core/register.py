"""The register of agencies: each agency once, with its names over the years.

A report names its agency as printed ("洪泽区人民政府" one year, "淮安市洪泽区人民政府"
the next). The register maps every name ever seen to one agency, so that the cross-year
checks find the agency's previous report, the overview does not show a false 未报送,
and the charts follow one line per agency.

- A name that differs from a known one only by an administrative-division prefix
  (淮安市 + 洪泽区人民政府) joins that agency automatically (:func:`same_but_prefix`).
- Other merges and splits are the inspector's (:meth:`Register.merge`,
  :meth:`Register.split`); each is recorded in ``agency_changes`` and can be undone.
- The level (部门 / 政府本级) is the report's own (the extractor's, from the title and
  body) unless the inspector sets it here; the deadline check follows the register's
  level, so changing it re-checks the agency's reports.
- ``expected``: the agency must report (it is on the office's units list).

The low-level functions take a sqlite3 connection (the store calls them inside its
own transactions); :class:`Register` is what the CLI and the window use.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.overview import Unit, normalise

if TYPE_CHECKING:
    from core.store import ReportStore

DEPARTMENT, GOVERNMENT = "部门", "政府本级"
LEVELS = (DEPARTMENT, GOVERNMENT)

# One administrative division: a name of one to eight characters and its kind.
_DIVISION = (r"[\u4e00-\u9fff]{1,8}?"
             r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)")
_PREFIX = re.compile(f"(?:{_DIVISION})+")
_STARTS_WITH_DIVISION = re.compile(f"{_DIVISION}[\u4e00-\u9fff]{{2,}}")


class RegisterError(ValueError):
    """The register cannot do what was asked; the message (Chinese) says why."""


def same_but_prefix(a: str, b: str) -> bool:
    """True when one name is the other with administrative divisions put in front.

    "淮安市洪泽区人民政府" and "洪泽区人民政府": yes. The shorter name must itself start
    with a division ("财政局" alone names no agency in particular, so "淮安市财政局"
    and "洪泽区财政局" are not both taken for it).
    """
    ka, kb = normalise(a), normalise(b)
    if ka == kb or not ka or not kb:
        return ka == kb and bool(ka)
    short, long_ = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return long_.endswith(short) and short in stems_of(long_)


def stems_of(key: str) -> list[str]:
    """A normalised name and what is left of it after each leading division that leaves a
    name starting with a division: 淮安市洪泽区人民政府 → [itself, 洪泽区人民政府]."""
    out = [key]
    for i in range(1, len(key)):
        rest = key[i:]
        if _PREFIX.fullmatch(key[:i]) and _STARTS_WITH_DIVISION.match(rest):
            out.append(rest)
    return out


def level_from_text(text: str | None) -> str | None:
    """A units list's 层级 column (市直部门, 县(区)政府, 政府本级 …) as a register level."""
    t = normalise(text)
    if not t:
        return None
    if t in LEVELS:
        return t
    if "政府" in t or "本级" in t:
        return GOVERNMENT
    if "部门" in t or "单位" in t or "机关" in t:
        return DEPARTMENT
    return None


# --- low level, on a connection inside the caller's transaction ----------------------------


def agency_of(conn: sqlite3.Connection, name: str | None) -> int | None:
    """The agency a name belongs to, if the register knows the name."""
    if not name:
        return None
    row = conn.execute("SELECT agency_id FROM agency_names WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else None


def names_of(conn: sqlite3.Connection, agency_id: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM agency_names WHERE agency_id = ? ORDER BY rowid", [agency_id])]


def sibling_names(conn: sqlite3.Connection, name: str | None) -> list[str]:
    """Every name of the agency that ``name`` belongs to (``[name]`` when unregistered)."""
    if not name:
        return []
    aid = agency_of(conn, name)
    return [name] if aid is None else names_of(conn, aid)


def level_override(conn: sqlite3.Connection, name: str | None) -> str | None:
    """The level the inspector set for this name's agency, if any."""
    aid = agency_of(conn, name)
    if aid is None:
        return None
    row = conn.execute("SELECT level FROM agencies WHERE id = ?", [aid]).fetchone()
    return row[0] if row else None


def ensure_name(conn: sqlite3.Connection, name: str | None, how: str = "report") -> int | None:
    """The agency of ``name``, registering the name (and a new agency) when it is new.

    A new name joins the agency of a known name that is the same once normalised or
    differs only by a division prefix, when exactly one agency has such a name.
    """
    if not name or not name.strip():
        return None
    aid = agency_of(conn, name)
    if aid is not None:
        return aid
    key = normalise(name)
    live = ("SELECT DISTINCT n.agency_id FROM agency_names n JOIN agencies a"
            " ON a.id = n.agency_id WHERE a.merged_into IS NULL AND ")
    same = {int(r[0]) for r in conn.execute(live + "n.key = ?", [key])}
    if not same:
        # Known names this one extends by a prefix (their keys are its stems), and known
        # names that extend this one (their keys end with it): both through the index
        # on key, or one short scan for the second, never a comparison with every name.
        stems = stems_of(key)[1:]
        marks = ", ".join("?" * len(stems))
        if stems:
            same = {int(r[0]) for r in conn.execute(live + f"n.key IN ({marks})", stems)}
        if _STARTS_WITH_DIVISION.match(key):
            same |= {int(a) for k, a in conn.execute(
                "SELECT n.key, n.agency_id FROM agency_names n JOIN agencies a"
                " ON a.id = n.agency_id WHERE a.merged_into IS NULL AND n.key LIKE ?"
                " AND n.key != ?", ["%" + key, key]) if key in stems_of(k)}
        how = "prefix" if len(same) == 1 else how
    if len(same) == 1:
        aid = same.pop()
    else:
        cur = conn.execute("INSERT INTO agencies (name) VALUES (?)", [name])
        aid = int(cur.lastrowid or 0)
    conn.execute("INSERT INTO agency_names (name, key, agency_id, how) VALUES (?, ?, ?, ?)",
                 [name, key, aid, how])
    return aid


def register_existing_reports(conn: sqlite3.Connection) -> None:
    """Every agency name of the stored reports, oldest report first (the upgrade to v6)."""
    for (name,) in conn.execute(
            "SELECT agency FROM reports WHERE agency IS NOT NULL AND agency != ''"
            " GROUP BY agency ORDER BY min(id)").fetchall():
        ensure_name(conn, name)


# --- the register as the CLI and the window see it -----------------------------------------


@dataclass
class AgencyName:
    name: str
    how: str  # report | list | prefix | merge | split
    years: list[int] = field(default_factory=list)


@dataclass
class Agency:
    id: int
    name: str  # the name of its latest report, else the first name registered
    names: list[AgencyName]
    level: str  # effective: the inspector's, else the latest report's, else from the name
    level_set: bool  # the inspector set the level
    area: str
    expected: bool
    reports: dict[int, list[int]] = field(default_factory=dict)  # year → report ids

    @property
    def years(self) -> list[int]:
        return sorted(self.reports)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "level": self.level,
                "level_set_by_inspector": self.level_set, "area": self.area,
                "expected": self.expected, "years": self.years,
                "names": [{"name": n.name, "how": n.how, "years": n.years} for n in self.names],
                "reports": {str(y): ids for y, ids in sorted(self.reports.items())}}

    def unit(self) -> Unit:
        return Unit(self.name, self.level, self.area)


@dataclass
class Change:
    id: int
    at: str
    action: str
    summary: str
    undone: bool


_HOW_ZH = {"report": "报告", "list": "名单", "prefix": "自动（行政区划前缀）", "merge": "人工合并",
           "split": "人工拆分"}


def how_text(how: str) -> str:
    return _HOW_ZH.get(how, how)


class Register:
    """The agencies of a review database (opened by :func:`core.store.open_store`)."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.store.db.conn

    # --- reading -------------------------------------------------------------------------
    def agencies(self, *, include_merged: bool = False) -> list[Agency]:
        """Every agency, by name; merged-away agencies only when asked."""
        rows = self.store._dicts(
            "SELECT id, name, level, area, expected, merged_into FROM agencies ORDER BY id")
        names = self.store._dicts(
            "SELECT n.name, n.agency_id, n.how FROM agency_names n ORDER BY n.rowid")
        reports = self.store._dicts(
            "SELECT id, agency, year, is_government FROM reports WHERE complete = 1"
            " AND agency IS NOT NULL ORDER BY year, revision, id")
        by_name: dict[str, list[dict[str, Any]]] = {}
        for r in reports:
            by_name.setdefault(r["agency"], []).append(r)
        out = []
        for a in rows:
            if a["merged_into"] is not None and not include_merged:
                continue
            own = [n for n in names if n["agency_id"] == a["id"]]
            entry = Agency(a["id"], a["name"], [], a["level"] or "", a["level"] is not None,
                           a["area"] or "", bool(a["expected"]))
            latest: dict[str, Any] | None = None
            for n in own:
                rs = by_name.get(n["name"], [])
                entry.names.append(AgencyName(n["name"], n["how"],
                                              sorted({r["year"] for r in rs if r["year"]})))
                for r in rs:
                    if r["year"] is not None:
                        entry.reports.setdefault(int(r["year"]), []).append(int(r["id"]))
                    if latest is None or (r["year"] or 0, r["id"]) >= (latest["year"] or 0,
                                                                       latest["id"]):
                        latest = r
            if latest is not None:
                entry.name = latest["agency"]
            if not entry.level:
                entry.level = self._guessed_level(entry.name, latest)
            out.append(entry)
        return sorted(out, key=lambda a: (not a.expected, a.name))

    def _guessed_level(self, name: str, latest: dict[str, Any] | None) -> str:
        from core.checks.common import is_government
        from core.model import Report

        probe = Report(file="", sha256="", kind="", pages=None, format=None, year=None,
                       published=None, title=None, agency=name, sections={}, cells={},
                       is_government=bool(latest and latest["is_government"]))
        return GOVERNMENT if is_government(probe) else DEPARTMENT

    def find(self, text: str) -> Agency:
        """The agency named ``text`` (any of its names, or its number)."""
        agencies = self.agencies(include_merged=True)
        if text.strip().isdigit():
            for a in agencies:
                if a.id == int(text):
                    return a
        key = normalise(text)
        hits = [a for a in agencies if any(normalise(n.name) == key for n in a.names)]
        live = [a for a in hits if not self._merged_into(a.id)]
        if len(live) == 1:
            return live[0]
        if not hits:
            raise RegisterError(f"机关名录中没有「{text}」")
        raise RegisterError(f"「{text}」对应多个机关，请改用编号")

    def _merged_into(self, agency_id: int) -> int | None:
        row = self._conn.execute("SELECT merged_into FROM agencies WHERE id = ?",
                                 [agency_id]).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def display_names(self) -> dict[str, str]:
        """Each registered name → its agency's name (that of the agency's latest report).

        What lists and charts need to put one agency's reports together, in one query."""
        rows = self._conn.execute(
            "SELECT n.name, n.agency_id, a.name,"
            " (SELECT max(r.year * 1000000 + r.id) FROM reports r WHERE r.agency = n.name"
            "  AND r.complete = 1) FROM agency_names n JOIN agencies a ON a.id = n.agency_id"
        ).fetchall()
        latest: dict[int, tuple[int, str]] = {}
        for name, aid, own, rank in rows:
            best = latest.get(aid)
            candidate = (rank or -1, name if rank is not None else own)
            if best is None or candidate[0] > best[0]:
                latest[aid] = candidate
        return {name: latest[aid][1] for name, aid, _, _ in rows}

    def changes(self) -> list[Change]:
        return [Change(r["id"], r["at"], r["action"], r["summary"], bool(r["undone"]))
                for r in self.store._dicts(
                    "SELECT c.id, c.at, c.action, c.summary, EXISTS (SELECT 1 FROM"
                    " agency_changes u WHERE u.undoes = c.id) AS undone FROM agency_changes c"
                    " ORDER BY c.id")]

    # --- changing ------------------------------------------------------------------------
    def merge(self, keep: str, other: str) -> str:
        """``other`` becomes part of ``keep``: its names, reports, and what it lacks."""
        a, b = self.find(keep), self.find(other)
        if a.id == b.id:
            raise RegisterError(f"「{keep}」和「{other}」已是同一机关")
        with self.store._write():
            c = self._conn
            before = self._row(a.id)
            moved = names_of(c, b.id)
            c.execute("UPDATE agency_names SET agency_id = ? WHERE agency_id = ?", [a.id, b.id])
            c.execute("UPDATE agencies SET merged_into = ? WHERE id = ?", [a.id, b.id])
            c.execute("UPDATE agencies SET level = coalesce(level, ?),"
                      " area = CASE WHEN area = '' THEN ? ELSE area END,"
                      " expected = max(expected, ?) WHERE id = ?",
                      [b.level if b.level_set else None, b.area, int(b.expected), a.id])
            summary = f"合并：「{b.name}」并入「{a.name}」"
            self._record("merge", summary, {"keep": a.id, "other": b.id, "names": moved,
                                            "keep_before": before})
            self._recheck_agency(a.id)
        return summary

    def split(self, name: str) -> str:
        """One name leaves its agency and becomes an agency of its own."""
        a = self.find(name)
        exact = next((n.name for n in a.names if normalise(n.name) == normalise(name)), name)
        if len(a.names) < 2:
            raise RegisterError(f"「{exact}」是该机关唯一的名称，无需拆分")
        with self.store._write():
            c = self._conn
            cur = c.execute("INSERT INTO agencies (name, area) VALUES (?, ?)", [exact, a.area])
            new_id = int(cur.lastrowid or 0)
            c.execute("UPDATE agency_names SET agency_id = ?, how = 'split' WHERE name = ?",
                      [new_id, exact])
            old_how = next(n.how for n in a.names if n.name == exact)
            summary = f"拆分：「{exact}」从「{a.name}」中分出"
            self._record("split", summary, {"from": a.id, "new": new_id, "name": exact,
                                            "how": old_how})
            self._recheck_agency(a.id)
            self._recheck_agency(new_id)
        return summary

    def set_level(self, name: str, level: str | None) -> str:
        """The inspector's level (None: back to the report's own); re-checks the reports."""
        if level is not None and level not in LEVELS:
            raise RegisterError(f"层级只能是「{DEPARTMENT}」或「{GOVERNMENT}」")
        a = self.find(name)
        with self.store._write():
            before = self._row(a.id)
            self._conn.execute("UPDATE agencies SET level = ? WHERE id = ?", [level, a.id])
            summary = f"层级：「{a.name}」设为{level or '按报告判断'}"
            self._record("set-level", summary, {"agency": a.id, "before": before})
            self._recheck_agency(a.id)
        return summary

    def set_area(self, name: str, area: str) -> str:
        a = self.find(name)
        with self.store._write():
            before = self._row(a.id)
            self._conn.execute("UPDATE agencies SET area = ? WHERE id = ?", [area.strip(), a.id])
            summary = f"地区：「{a.name}」设为「{area.strip()}」"
            self._record("set-area", summary, {"agency": a.id, "before": before})
        return summary

    def set_expected(self, name: str, expected: bool) -> str:
        a = self.find(name)
        with self.store._write():
            before = self._row(a.id)
            self._conn.execute("UPDATE agencies SET expected = ? WHERE id = ?",
                               [int(expected), a.id])
            summary = f"应报：「{a.name}」{'应报送' if expected else '不要求报送'}"
            self._record("set-expected", summary, {"agency": a.id, "before": before})
        return summary

    def import_units(self, units: Iterable[Unit]) -> int:
        """The office's units list: each unit becomes (or marks) an agency expected to
        report, with the list's level and region when it gives them. One transaction."""
        n = 0
        with self.store._write():
            c = self._conn
            touched: list[dict[str, Any]] = []
            for u in units:
                aid = ensure_name(c, u.name, "list")
                if aid is None:
                    continue
                while (m := self._merged_into(aid)) is not None:
                    aid = m
                touched.append(self._row(aid))
                level = level_from_text(u.level)
                c.execute("UPDATE agencies SET expected = 1,"
                          " level = coalesce(?, level),"
                          " area = CASE WHEN ? != '' THEN ? ELSE area END WHERE id = ?",
                          [level, u.region, u.region, aid])
                n += 1
            self._record("import", f"导入应报单位名单 {n} 个", {"rows": touched})
            for row in touched:
                self._recheck_agency(row["id"])
        return n

    def undo(self) -> str | None:
        """Undo the latest change not yet undone; None when there is none."""
        with self.store._write():
            c = self._conn
            row = c.execute(
                "SELECT id, action, summary, data FROM agency_changes c WHERE undoes IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM agency_changes u WHERE u.undoes = c.id)"
                " ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            cid, action, summary, data = row[0], row[1], row[2], json.loads(row[3])
            recheck: list[int] = []
            if action == "merge":
                c.execute("UPDATE agency_names SET agency_id = ? WHERE name IN (SELECT value"
                          " FROM json_each(?))", [data["other"], json.dumps(data["names"])])
                c.execute("UPDATE agencies SET merged_into = NULL WHERE id = ?", [data["other"]])
                self._restore(data["keep_before"])
                recheck = [data["keep"], data["other"]]
            elif action == "split":
                c.execute("UPDATE agency_names SET agency_id = ?, how = ? WHERE name = ?",
                          [data["from"], data["how"], data["name"]])
                c.execute("UPDATE agencies SET merged_into = ? WHERE id = ?",
                          [data["from"], data["new"]])
                recheck = [data["from"]]
            elif action in ("set-level", "set-area", "set-expected"):
                self._restore(data["before"])
                recheck = [data["agency"]]
            elif action == "import":
                for before in reversed(data["rows"]):
                    self._restore(before)
                    recheck.append(before["id"])
            text = f"撤销{summary}"
            self._record("undo", text, {}, undoes=cid)
            for aid in dict.fromkeys(recheck):
                self._recheck_agency(aid)
        return text

    # --- plumbing ------------------------------------------------------------------------
    def _row(self, agency_id: int) -> dict[str, Any]:
        return self.store._dicts("SELECT id, level, area, expected FROM agencies WHERE id = ?",
                                 [agency_id])[0]

    def _restore(self, row: dict[str, Any]) -> None:
        self._conn.execute("UPDATE agencies SET level = ?, area = ?, expected = ? WHERE id = ?",
                           [row["level"], row["area"], row["expected"], row["id"]])

    def _record(self, action: str, summary: str, data: dict[str, Any],
                undoes: int | None = None) -> None:
        self._conn.execute(
            "INSERT INTO agency_changes (at, action, summary, data, undoes) VALUES (?, ?, ?, ?, ?)",
            [self.store._stamp(), action, summary, json.dumps(data, ensure_ascii=False), undoes])

    def _recheck_agency(self, agency_id: int) -> None:
        """Re-check every report of the agency: its previous report or its level changed."""
        names = names_of(self._conn, agency_id)
        if not names:
            return
        marks = ",".join("?" * len(names))
        for (rid,) in self._conn.execute(
                f"SELECT id FROM reports WHERE complete = 1 AND agency IN ({marks})"
                " ORDER BY year, revision", names).fetchall():
            self.store._recheck(int(rid))
