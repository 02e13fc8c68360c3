#!/usr/bin/env bash
# Installs the Debian packages tetune needs to build, test and benchmark.
# Idempotent: installs only what is missing. Set TT_SETUP_EXTRA=report to
# also install what the HTML report test needs (chart.js, chromium).
set -eu
need=(build-essential cmake pkg-config libsqlite3-dev libcjson-dev libcmocka-dev
      libopenblas-dev liblapacke-dev libjs-chart.js chromium sqlite3 python3
      clang-format python3-jsonschema python3-pytest zlib1g-dev
      pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo
      libopenmpi-dev openmpi-bin)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
