#!/usr/bin/env bash
# The main job: installs what is missing, builds tetune, then runs and
# validates a shipped kernel (gemm, medium, default configuration, all cores).
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
make
./build/tetune list
./build/tetune run gemm --size medium --threads "$(nproc)"
