#!/usr/bin/env bash
# Makes (once) a Python virtual environment with the given PyPI packages for
# the benchmarks that compare tetune with other tuners, and prints its
# python's path. MODULE is imported to tell whether the packages are there.
# usage: bench/py_venv.sh VENV_DIR MODULE PACKAGE...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 VENV_DIR MODULE PACKAGE..." >&2; exit 2; }
venv=$1
module=$2
shift 2
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import $module" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "$@" >&2
fi
echo "$venv/bin/python"
