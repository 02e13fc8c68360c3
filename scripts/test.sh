#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite,
# then the suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
make test
make asan
