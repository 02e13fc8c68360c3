#!/usr/bin/env bash
# Datasets are read through zlib with a cap: a gzip bomb (257 MiB of data
# in about 1 MiB) is refused with one line and exit status 2 once the cap
# (256 MiB) is passed, without decompressing the rest; a FIFO is refused
# instead of blocking; a gzipped CSV named without .gz is read like any
# other; a truncated gzip file is an error.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
bad() { # bad WANT ARGS...: exit status 2 and WANT on the one line of stderr
  local want=$1 rc
  shift
  set +e
  timeout 60 "$TT_CLI" replay "$@" --budget 2 --seeds 1 >/dev/null 2>err
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q -- "$want" err || fail "replay $*: $rc $(cat err)"
}
{ printf 'a,time\n'; head -c $((257 << 20)) /dev/zero | tr '\0' '1'; } | gzip -1 >bomb.csv.gz
bad "bomb.csv.gz: more than 256 MiB of data once decompressed (the limit)" bomb.csv.gz
mkfifo fifo.csv
bad "fifo.csv: not a regular file" fifo.csv
printf 'a,time\n1,3\n2,1.5\n4,2\n' | gzip >plain-name.csv
"$TT_CLI" replay plain-name.csv --strategies grid --budget 3 --seeds 1 | head -1 \
  | grep -q "^plain-name.csv: 3 valid configurations (3 ok), optimum 1.5$" || fail "gzip without .gz"
head -c 30 plain-name.csv >cut.csv.gz
bad "cut.csv.gz: truncated gzip data" cut.csv.gz
echo ok
