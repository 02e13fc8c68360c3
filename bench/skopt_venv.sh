#!/usr/bin/env bash
# Makes (once) a Python virtual environment with scikit-optimize from PyPI
# for the benchmarks that compare with it, and prints its python's path.
# usage: bench/skopt_venv.sh VENV_DIR
set -euo pipefail
exec "$(dirname "$0")/py_venv.sh" "$1" skopt scikit-optimize
