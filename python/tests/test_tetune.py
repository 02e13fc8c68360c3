"""The Python bindings against the C library and the tetune command: each
result is checked against an independent computation (brute force, the
CLI's own output, the database read with sqlite3)."""
import itertools
import json
import math
import os
import re
import sqlite3
import subprocess

import pytest

import tetune

SRC = os.path.join(os.path.dirname(__file__), "..", "..")
CLI = os.environ.get("TT_CLI")


def test_version_matches_the_headers():
    text = open(os.path.join(SRC, "include", "tetune", "version.h")).read()
    assert tetune.version() == re.search(r'#define TT_VERSION_STRING "(.*)"', text).group(1)
    assert tetune.strategies()[0] == "bo" and "grid" in tetune.strategies()


def small_space():
    return (tetune.Space().add_ordinal("tile", [8, 16, 32, 64]).add_int("unroll", 1, 4)
            .add_categorical("order", ["ij", "ji"]).add_constraint("tile * unroll <= 128"))


def test_space_counts_and_converts():
    s = small_space()
    assert s.knobs == ["tile", "unroll", "order"]
    brute = [c for c in itertools.product([8, 16, 32, 64], [1, 2, 3, 4], ["ij", "ji"])
             if c[0] * c[1] <= 128]
    assert s.valid_size() == len(brute) == 28
    cfg = {"tile": 32, "unroll": 4, "order": "ji"}
    assert s.to_dict(s.from_dict(cfg)) == cfg and s.is_valid(cfg)
    assert not s.is_valid({"tile": 64, "unroll": 4, "order": "ij"})
    with pytest.raises(tetune.TetuneError):
        tetune.Space().add_ordinal("a", [1, 2]).add_constraint("b > 1")


def test_grid_asks_every_valid_configuration_once():
    s = small_space()
    st = tetune.Strategy(s, "grid")
    seen = []
    while (c := st.ask()) is not None:
        seen.append((c["tile"], c["unroll"], c["order"]))
        st.tell(c, 1.0 + len(seen))
    assert len(seen) == len(set(seen)) == 28
    assert all(t * u <= 128 for t, u, _ in seen)


def cost(c):
    return abs(c["tile"] - 20) * c["unroll"] + (0.5 if c["order"] == "ij" else 1.0)


def test_tune_a_python_objective():
    s = small_space()
    best = min((dict(tile=t, unroll=u, order=o) for t, u, o in
                itertools.product([8, 16, 32, 64], [1, 2, 3, 4], ["ij", "ji"]) if t * u <= 128),
               key=cost)
    r = tetune.tune(cost, s, budget=28, strategy="grid")
    assert r["best"] == best and r["value"] == cost(best) and len(r["history"]) == 28
    r = tetune.tune(cost, s, budget=15, strategy="bo", seed=3)
    assert r["value"] == min(v for _, v in r["history"])
    assert len({json.dumps(c, sort_keys=True) for c, _ in r["history"]}) == 15  # never twice

    def flaky(c):  # failures are observations, not the end of tuning
        if c["order"] == "ji":
            raise RuntimeError("crashed")
        return cost(c)
    r = tetune.tune(flaky, s, budget=28, strategy="grid")
    assert sum(v is None for _, v in r["history"]) == 14 and r["best"]["order"] == "ij"


def test_replay_agrees_with_the_command(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b,time\n4,16,6.0\n1,8,5.0\n2,16,1.0\n1,16,4.0\n4,8,2.0\n2,8,3.0\n")
    r = tetune.replay(str(csv), "grid", budget=6, seeds=2)
    assert r["optimum"] == 1.0 and r["curves"][0] == [5.0, 4.0, 3.0, 1.0, 1.0, 1.0]
    if CLI:
        out = json.loads(subprocess.run([CLI, "replay", str(csv), "--strategies", "random", "--budget",
                                         "4", "--seeds", "5", "--json"], capture_output=True,
                                        text=True, check=True).stdout)
        mine = tetune.replay(str(csv), "random", budget=4, seeds=5)
        assert mine["score"] == pytest.approx(out["strategies"]["random"]["score"], abs=1e-12)
        assert mine["best_mean"] == pytest.approx(out["strategies"]["random"]["best_mean"])
    with pytest.raises(tetune.TetuneError, match="unknown synthetic function"):
        tetune.replay("synthetic:nosuch")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    if not CLI:
        pytest.skip("TT_CLI (the tetune command) is not set")
    d = tmp_path_factory.mktemp("store")
    env = dict(os.environ, TETUNE_CACHE_DIR=str(d / "cache"))
    path = str(d / "t.db")
    os.environ["TETUNE_CACHE_DIR"] = str(d / "cache")
    summary = tetune.tune_kernel("gesummv", size="mini", trials=4, strategy="random", db=path,
                                 cli=CLI, threads=1)
    assert summary["best"]["time_s"] > 0, summary
    subprocess.run([CLI, "tune", "gemm", "--size", "mini", "--trials", "3", "--strategy", "grid",
                    "--db", path], check=True, capture_output=True, env=env)
    return path


def test_store_into_dicts(db):
    con = sqlite3.connect(db)
    ss = tetune.sessions(db)
    assert [(s["kernel"], s["strategy"], s["trials"]) for s in ss] == [
        ("gesummv", "random", 4), ("gemm", "grid", 3)]
    rows = con.execute("select id, outcome, time_median_s, config from trials order by id").fetchall()
    ts = sorted(tetune.trials(db), key=lambda t: t["id"])
    assert [(t["id"], t["outcome"], t["time_median_s"], t["config"]) for t in ts] == [
        (i, o, tm, json.loads(c)) for i, o, tm, c in rows]
    assert len(tetune.trials(db, kernel="gemm")) == 3
    best = min(t["time_median_s"] for t in ts if t["task_id"] == ss[0]["task_id"]
               and t["outcome"] == "ok")
    assert ss[0]["best_time_s"] == best


def test_store_into_pandas(db):
    pd = pytest.importorskip("pandas")
    f = tetune.trials_frame(db, kernel="gemm")
    assert isinstance(f, pd.DataFrame) and len(f) == 3 and {"nc", "time_median_s"} <= set(f.columns)
