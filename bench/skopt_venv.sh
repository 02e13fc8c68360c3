#!/usr/bin/env bash
# Makes (once) a Python virtual environment with scikit-optimize from PyPI
# for the benchmarks that compare with it, and prints its python's path.
# usage: bench/skopt_venv.sh VENV_DIR
set -euo pipefail
venv=$1
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import skopt' 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q scikit-optimize >&2
fi
echo "$venv/bin/python"
