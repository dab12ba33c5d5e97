"""opshelpers.assess: per-candidate data, packages without answers, sandboxed grading."""

import json

import nbformat
import pandas as pd
import pytest

from opshelpers import assess, synth
from opshelpers.cli import main

SECRET = "test-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("assess")
    key = out / "key.txt"
    key.write_text(SECRET)
    blank = assess.new_package("junior_ops", "c001", key, out)
    solution = assess.solution_package("junior_ops", "c001", key, out)
    return out, key, blank, solution


def test_candidates_get_different_data_and_answers():
    a = assess.expected_answers(SECRET, "junior_ops", "c001")
    b = assess.expected_answers(SECRET, "junior_ops", "c002")
    assert a["q1_uv"] != b["q1_uv"] and a["q4_paid_aov"] != b["q4_paid_aov"]
    s1, sc1, f1 = assess.derive(SECRET, "growth_analyst", "c001")
    s2, sc2, f2 = assess.derive(SECRET, "growth_analyst", "c002")
    assert s1 != s2 and f1 != f2 and sc1 != sc2
    assert assess.derive(SECRET, "growth_analyst", "c001") == (s1, sc1, f1)   # stable


@pytest.mark.parametrize("candidate", ["c001", "c002", "c003"])
def test_growth_answers_recover_each_candidates_planted_drop(candidate):
    seed, scenario, _ = assess.derive(SECRET, "growth_analyst", candidate)
    ans = assess.expected_answers(SECRET, "growth_analyst", candidate)
    assert ans["q1_drop_channel"] == scenario.traffic.drop_channel
    gap = abs((pd.Timestamp(ans["q2_drop_date"]) -
               pd.Timestamp(scenario.traffic.xhs_drop_date)).days)
    # at 4,000 users a low-volume channel's change day is off by ≤ 2 days in ~89 % of
    # draws and by ≤ 7 in 99 % (the answer key is the data's, not the plan's)
    assert gap <= 7


def test_package_holds_no_answers_and_no_seed(packages):
    _, _, blank, _ = packages
    text = (blank / "exercise.ipynb").read_text()
    nb = nbformat.reads(text, as_version=4)
    answers = assess.expected_answers(SECRET, "junior_ops", "c001")
    assert all(f"{q} = None" in text for q in answers)
    assert str(answers["q1_uv"]) not in text and str(answers["q7_march_buyers"]) + "\n" not in text
    seed, _, fingerprint = assess.derive(SECRET, "junior_ops", "c001")
    assert str(seed) not in text and set(nb.metadata["opslab"]) == {"exercise", "candidate",
                                                                    "fingerprint"}
    assert sorted(p.stem for p in (blank / "data").glob("*.csv")) == sorted(
        assess.EXERCISES["junior_ops"].tables)


def test_full_cycle_solution_scores_100_blank_scores_0(packages):
    out, key, blank, solution = packages
    before = (solution / "exercise.ipynb").read_bytes()
    good = assess.grade(solution / "exercise.ipynb", "c001", key, out=out / "reports")
    assert good["score"] == 1.0 and good["problems"] == [] and good["seconds"] < 30
    assert (solution / "exercise.ipynb").read_bytes() == before        # untouched
    report = json.loads((out / "reports" / "junior_ops_c001.json").read_text())
    assert report["score"] == 1.0 and (out / "reports" / "junior_ops_c001.md").exists()
    empty = assess.grade(blank / "exercise.ipynb", "c001", key)
    assert empty["score"] == 0.0
    assert {q["verdict"] for q in empty["questions"]} == {"no answer"}


def _edit(src, dst, replace: dict):
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        for a, b in replace.items():
            cell.source = cell.source.replace(a, b)
    nbformat.write(nb, dst)
    return dst


def test_partial_credit_and_errors_are_recorded(packages, tmp_path):
    out, key, blank, solution = packages
    exp = assess.expected_answers(SECRET, "junior_ops", "c001")
    nb = solution / "exercise.ipynb"
    near = exp["q3_cvr"] + 0.002          # outside 0.001, inside 3 × 0.001
    far = exp["q4_paid_aov"] + 10
    sub = _edit(nb, tmp_path / "s.ipynb", {
        f"q3_cvr = {exp['q3_cvr']!r}": f"q3_cvr = {near!r}",
        f"q4_paid_aov = {exp['q4_paid_aov']!r}": f"q4_paid_aov = {far!r}",
        "# your working here\nq6_top_channel": "1 / 0\nq6_top_channel"})
    r = assess.grade(sub, "c001", key)
    points = {q["question"]: q["points"] for q in r["questions"]}
    assert points["q3_cvr"] == 0.5 and points["q4_paid_aov"] == 0.0
    assert points["q6_top_channel"] == 0.0                    # its cell raised first
    assert any("ZeroDivisionError" in e["error"] for e in r["cell_errors"])
    assert points["q1_uv"] == 1.0                             # the rest still counts


def test_hanging_notebook_is_stopped(packages, tmp_path):
    _, key, blank, _ = packages
    sub = _edit(blank / "exercise.ipynb", tmp_path / "hang.ipynb",
                {"# your working here\nq1_uv = None": "while True:\n    pass"})
    r = assess.grade(sub, "c001", key, cell_timeout=3, total_timeout=60)
    assert r["score"] == 0.0
    assert any("execution stopped" in p or "exceeded" in p for p in r["problems"])


def test_overall_time_limit_kills_the_run(packages, tmp_path):
    _, key, blank, _ = packages
    sub = _edit(blank / "exercise.ipynb", tmp_path / "slow.ipynb",
                {"# your working here\nq1_uv = None": "import time\ntime.sleep(60)"})
    r = assess.grade(sub, "c001", key, cell_timeout=120, total_timeout=8)
    assert "execution exceeded 8 s and was stopped" in r["problems"]
    assert r["seconds"] < 30


def test_tampered_and_broken_notebooks(packages, tmp_path):
    _, key, blank, solution = packages
    renamed = _edit(solution / "exercise.ipynb", tmp_path / "r.ipynb",
                    {"q2_pv =": "pv_total ="})
    r = assess.grade(renamed, "c001", key)
    assert "answer cell for q2_pv was deleted or renamed" in r["problems"]
    assert {q["question"]: q["points"] for q in r["questions"]}["q2_pv"] == 0.0
    broken = tmp_path / "b.ipynb"
    broken.write_text("{not json")
    r = assess.grade(broken, "c001", key, exercise="junior_ops")
    assert r["score"] == 0.0 and r["problems"][0].startswith("not a readable notebook")


def test_secret_and_ids_are_checked(packages, tmp_path):
    _, _, _, solution = packages
    with pytest.raises(ValueError, match="not generated for this candidate with this secret"):
        assess.grade(solution / "exercise.ipynb", "c001", "another-secret-123456")
    with pytest.raises(ValueError, match="at least 16 bytes"):
        assess.derive("fifteen-bytes-x", "junior_ops", "c001")
    assert assess.derive("sixteen-bytes-xx", "junior_ops", "c001")       # exactly 16 is enough
    with pytest.raises(KeyError, match="unknown exercise"):
        assess.derive(SECRET, "senior_ops", "c001")
    with pytest.raises(ValueError, match="must be letters, digits"):
        assess.derive(SECRET, "junior_ops", "../etc")


def test_cli_and_batch(packages, tmp_path, capsys):
    out, key, blank, solution = packages
    assert main(["assess", "new", "--exercise", "content_ops", "--candidate", "c9",
                 "--secret", str(key), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "content_ops_c9" / "exercise.ipynb").exists()
    assert main(["assess", "new", "--exercise", "nope", "--candidate", "c9",
                 "--secret", str(key), "--out", str(tmp_path)]) == 2
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "c001.ipynb").write_bytes((solution / "exercise.ipynb").read_bytes())
    (folder / "c002.ipynb").write_bytes((solution / "exercise.ipynb").read_bytes())
    table = assess.grade_batch(folder, "junior_ops", key, tmp_path / "scores.csv")
    scores = table.set_index("candidate")["score"]
    assert scores["c001"] == 1.0
    assert pd.isna(scores["c002"])                  # c001's notebook under c002's name
    assert "not generated" in table.set_index("candidate").loc["c002", "problems"]
    assert (tmp_path / "scores.csv").exists()


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
    import hashlib
    import hmac

    _, _, fingerprint = assess.derive(SECRET, "junior_ops", "c001")
    slow = hashlib.scrypt(SECRET.encode(), salt=b"opslab-fingerprint:junior_ops:c001",
                          n=2 ** 14, r=8, p=1, dklen=16).hex()
    fast = hmac.new(SECRET.encode(), b"fingerprint:junior_ops:c001", hashlib.sha256)
    assert fingerprint == slow and fast.hexdigest()[:16] not in fingerprint


def test_a_missing_fingerprint_or_file_is_reported_not_graded(packages, tmp_path, capsys):
    out, key, _, solution = packages
    nb = nbformat.read(solution / "exercise.ipynb", as_version=4)
    del nb.metadata["opslab"]["fingerprint"]
    stripped = tmp_path / "stripped.ipynb"
    nbformat.write(nb, stripped)
    r = assess.grade(stripped, "c001", key)
    assert r["score"] == 0.0 and r["fatal"].startswith("the notebook's fingerprint is missing")
    assert main(["assess", "grade", str(stripped), "--candidate", "c001", "--secret", str(key),
                 "--out", str(tmp_path / "rep")]) == 2
    anyway = assess.grade(stripped, "c001", key, unverified=True)
    assert anyway["score"] == 1.0 and anyway["fatal"] is None
    assert "fingerprint missing: graded at the manager's request" in anyway["problems"]
    with pytest.raises(FileNotFoundError, match="no submission at"):
        assess.grade(tmp_path / "nope.ipynb", "c001", key)
    assert main(["assess", "grade", str(tmp_path / "nope.ipynb"), "--candidate", "c001",
                 "--secret", str(key)]) == 2
    assert "no submission at" in capsys.readouterr().err
