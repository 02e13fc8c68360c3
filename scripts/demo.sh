#!/usr/bin/env bash
# The main job: installs what is missing, builds tetune, then tunes the LU
# factorisation (blocked template, Bayesian optimisation, medium size) and
# prints the best variant, its speed-ups and where its source was exported.
# TRIALS and SIZE may be overridden from the environment.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
make
./build/tetune list
./build/tetune tune lu --size "${SIZE:-medium}" --trials "${TRIALS:-30}" --db "${DB:-tetune.db}"
