"""A review database on a read-only disk (a CD, a write-protected USB stick, a read-only
network share): never modified, and refused with one clear line where writing is asked.

tests/test_store_open.py covers a read-only *file* (chmod a-w); here the whole file
system is read-only, as root cannot override: a tmpfs remounted read-only inside a user
and mount namespace (``unshare -rm``). The database is made by the program (WAL mode, as
always), then every subcommand runs on it through ``python main.py``.

Reading it works too (the issue: "opened read-only or refused"): SQLite cannot open a
WAL database where it cannot create the -shm file, so the store opens it as immutable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR

REPO = Path(__file__).resolve().parent.parent
SEEDS = SEEDS_DIR


def _namespace_works() -> bool:
    if not sys.platform.startswith("linux") or not shutil.which("unshare") \
            or not shutil.which("mount"):
        return False
    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                                "d=$(mktemp -d) && mount -t tmpfs none $d && "
                                "mount -o remount,ro $d && umount $d && rmdir $d"],
                               capture_output=True, timeout=20)
        return probe.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not _namespace_works(),
                                reason="needs `unshare -rm` and mount (user namespaces)")

CHILD = r"""
import hashlib, json, os, subprocess, sys, tempfile
repo, seed, other = sys.argv[1:4]
disk = tempfile.mkdtemp()
subprocess.run(["mount", "-t", "tmpfs", "none", disk], check=True)
db = os.path.join(disk, "review.sqlite")

def run(*args):
    p = subprocess.run([sys.executable, "main.py", *args, "--db", db], cwd=repo,
                       capture_output=True, text=True, timeout=120)
    return [p.returncode, p.stdout, p.stderr]

made = run("import", seed)
subprocess.run(["mount", "-o", "remount,ro", disk], check=True)

def state():
    files = sorted(os.listdir(disk))
    return files, hashlib.sha256(open(db, "rb").read()).hexdigest()

before = state()
results = {name: run(*args) for name, args in {
    "list": ["list"], "show": ["show", "1"], "search": ["search", "大渡口"],
    "history": ["history", "1"],
    "export": ["export", "--json", os.path.join(tempfile.mkdtemp(), "all.json")],
    "import": ["import", other], "correct": ["correct", "1", "t3.new.natural", "5"],
    "undo": ["undo", "1"], "status": ["status", "1", "已审"],
    "verdict": ["verdict", "1", "x", "confirmed"]}.items()}
print(json.dumps({"made": made, "before": before, "after": state(), "results": results}))
"""


@pytest.fixture(scope="module")
def on_read_only_disk(tmp_path_factory: pytest.TempPathFactory) -> dict:
    child = tmp_path_factory.mktemp("rodisk") / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    seeds = sorted(SEEDS.glob("*.txt"))
    p = subprocess.run(["unshare", "-rm", sys.executable, str(child), str(REPO), str(seeds[0]),
                        str(seeds[1])], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["made"][0] == 0, result["made"]
    return result


WRITES = ("import", "correct", "undo", "status", "verdict")
READS = ("list", "show", "search", "history", "export")


def test_nothing_on_a_read_only_disk_is_modified_or_crashes(on_read_only_disk: dict) -> None:
    r = on_read_only_disk
    assert r["after"] == r["before"]  # same bytes, no -wal/-shm/journal left behind
    for name, (code, _out, err) in r["results"].items():
        assert "Traceback" not in err, (name, err)
        if code != 0:
            assert code == 2 and len(err.strip().splitlines()) == 1, (name, err)
            assert err.startswith("错误："), (name, err)
    for name in WRITES:
        assert r["results"][name][0] == 2, name


def test_a_database_on_a_read_only_disk_can_be_read(on_read_only_disk: dict) -> None:
    r = on_read_only_disk["results"]
    for name in READS:
        assert r[name][0] == 0, (name, r[name][2])
    assert "大渡口" in r["list"][1]
    for name in WRITES:  # and writing is refused as read-only, not as "cannot open"
        assert "read-only" in r[name][2] or "只读" in r[name][2], (name, r[name][2])
