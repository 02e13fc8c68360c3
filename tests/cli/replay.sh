#!/usr/bin/env bash
# tetune replay: on a small CSV dataset grid search's curve, its
# evaluations to the optimum and its methodology score equal values worked
# out here by brute force (random search's expected curve by enumerating
# every draw); random search is reproducible under a seed; the recorded
# datasets and a synthetic function replay with the documented JSON; bad
# input is one line on stderr and exit status 2; --restricted keeps only the
# rows that evaluate ok.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Rows out of order: grid follows the knobs' value order, not the file's.
printf 'a,b,time\n4,16,6.0\n1,8,5.0\n2,16,1.0\n1,16,4.0\n4,8,2.0\n2,8,3.0\n' > t.csv
"$TT_CLI" replay t.csv --strategies grid,random --budget 6 --seeds 3 --json > out.json \
  || fail "replay t.csv"
python3 - <<'PY' || fail "replay t.csv: $(cat out.json)"
import itertools, json
d = json.load(open("out.json"))
rows = {(1, 8): 5.0, (1, 16): 4.0, (2, 8): 3.0, (2, 16): 1.0, (4, 8): 2.0, (4, 16): 6.0}
vals = list(rows.values())
def rnd(n):  # expected best of n draws without replacement
    c = list(itertools.combinations(vals, n))
    return sum(min(x) for x in c) / len(c)
grid = [min(rows[k] for k in sorted(rows)[:n]) for n in range(1, 7)]
terms = [(rnd(n) - g) / (rnd(n) - 1.0) for n, g in zip(range(1, 7), grid) if rnd(n) > 1.0]
score = sum(terms) / len(terms)
g = d["strategies"]["grid"]
assert d["optimum"] == 1.0 and d["budget"] == 6 and d["seeds"] == 3, d
assert abs(g["score"] - score) < 1e-9, (g["score"], score)
assert g["evals_to_1pct"] == 4 and g["reached_1pct"] == 3 and g["best_mean"] == 1.0, g
assert g["evals_to_1pct_all"] == 4 and g["evals_to_1pct_all_ci"] == [None, None], g  # 3 seeds
r = d["strategies"]["random"]
assert r["reached_5pct"] == 3 and r["best_median"] == 1.0, r  # 6 of 6 rows seen
# random search's exact median draws to the optimum, over every order
first = sorted(p.index(1.0) + 1 for p in itertools.permutations(vals))
assert d["random_exact"]["evals_to_5pct"] == first[len(first) // 2 - 1], d["random_exact"]
PY
"$TT_CLI" replay t.csv --strategies random --budget 3 --seeds 4 --json > a.json
"$TT_CLI" replay t.csv --strategies random --budget 3 --seeds 4 --json > b.json
cmp -s a.json b.json || fail "random replay not reproducible"
# --first-seed: the table and the JSON say which seeds ran (that they are
# the same runs as those seeds of a longer replay is test_replay's).
"$TT_CLI" replay t.csv --strategies random --budget 3 --seeds 2 --first-seed 3 --json > c.json
"$TT_CLI" replay t.csv --strategies random --budget 3 --seeds 2 --first-seed 3 > c.txt
grep -q '2 seeds (3..4)' c.txt || fail "first seed header: $(cat c.txt)"
python3 -c 'import json; c = json.load(open("c.json"))
assert c["first_seed"] == 3 and c["seeds"] == 2, c
a = json.load(open("a.json")); assert a["first_seed"] == 1, a' || fail "first seed: $(cat c.json)"
# The median's 95% interval over 10 seeds lies between their 2nd and 9th
# values: grid's are all 4.
"$TT_CLI" replay t.csv --strategies grid --budget 6 --seeds 10 --json > g.json
python3 -c 'import json; g = json.load(open("g.json"))["strategies"]["grid"]
assert g["evals_to_1pct_all_ci"] == [4, 4], g' || fail "grid interval: $(cat g.json)"

# --restricted: the space is the rows that evaluate ok. Without (4,16) the
# product has 6 valid configurations, 5 recorded; restricted, grid meets
# no absent one (its 5 evaluations see every row) and random search draws
# from the 5 alone (the optimum first in 1 order of 5: median draw 3).
grep -v '^4,16' t.csv > r.csv
"$TT_CLI" replay r.csv --strategies grid --budget 5 --seeds 1 > un.txt
grep -q '6 valid configurations (5 ok), optimum' un.txt || fail "unrestricted: $(cat un.txt)"
"$TT_CLI" replay r.csv --strategies grid --budget 5 --seeds 1 --restricted > re.txt
grep -q '5 valid configurations (5 ok), restricted to those' re.txt || fail "restricted: $(cat re.txt)"
"$TT_CLI" replay r.csv --strategies grid --budget 5 --seeds 1 --restricted --json > re.json
python3 -c 'import json; d = json.load(open("re.json"))
assert d["restricted"] is True and d["random_exact"]["evals_to_5pct"] == 3, d
assert d["strategies"]["grid"]["reached_5pct"] == 1, d' || fail "restricted: $(cat re.json)"

# The recorded datasets and a synthetic function, a short budget each.
data="$TT_DATA_DIR"
for ds in "$data/pnpoly_RTX_3090.kt-cache.json.gz" "$data/convolution_A4000.t4.json.gz" \
          synthetic:branin; do
  "$TT_CLI" replay "$ds" --strategies "bo,random,grid,ga,xgb" --budget 12 --seeds 2 --json \
    > r.json 2> err || fail "replay $ds: $(cat err)"
  python3 - "$ds" <<'PY' || fail "replay $ds: $(cat r.json)"
import json, math, sys
d = json.load(open("r.json"))
assert d["optimum"] > 0 and d["budget"] == 12 and d["seeds"] == 2, d
assert sorted(d["strategies"]) == ["bo", "ga", "grid", "random", "xgb"], d
keys = {"score", "best_mean", "best_median", "evals_to_1pct", "evals_to_5pct",
        "evals_to_10pct", "reached_5pct"}
for name, m in d["strategies"].items():
    assert keys <= set(m), (name, m)
    assert m["best_mean"] >= d["optimum"] and math.isfinite(m["score"]), (name, m)
    e = m["evals_to_5pct"]
    assert (e is None) == (m["reached_5pct"] == 0) and (e is None or 1 <= e <= 12), (name, m)
PY
done
# Plain output: a header line with the optimum and a row per strategy.
"$TT_CLI" replay synthetic:tiles --strategies bo,random --budget 10 --seeds 1 > plain.txt
grep -q '^synthetic:tiles: .*optimum' plain.txt || fail "plain header: $(cat plain.txt)"
grep -q '^bo ' plain.txt && grep -q '^random ' plain.txt || fail "plain rows: $(cat plain.txt)"

# Bad input: one line on stderr, exit status 2.
bad() {
  local want=$1; shift
  set +e; "$TT_CLI" replay "$@" > /dev/null 2> err; rc=$?; set -e
  [ "$rc" = 2 ] || fail "replay $*: exit $rc, want 2"
  [ "$(wc -l < err)" = 1 ] && grep -q "$want" err || fail "replay $*: $(cat err)"
}
bad "cannot open" nosuch.csv
bad "unknown strategy 'nosuch'" t.csv --strategies nosuch
bad "must be positive" t.csv --budget 0
bad "budget is at most 1000000" t.csv --budget 99999999
bad "first-seed must be positive" t.csv --first-seed 0
bad "unknown synthetic function" synthetic:nosuch
printf 'a,b,time\n1,2,x\n' > bad.csv
bad "no successful configuration" bad.csv
bad "bo: unknown option" t.csv --strategies "bo(nosuch=1)"
bad "options go in one pair of parentheses" t.csv --strategies "bo(init=4"
echo ok
