# Sourced by CLI tests that run Python with a module: pick_python MODULE...
# sets $PY to the first interpreter (python3 on PATH, then Debian's
# /usr/bin/python3, where scripts/setup.sh installs python3-*) that imports
# every MODULE, or fails the test saying what is missing.
pick_python() {
  local py
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -c "import ${*// /, }" 2>/dev/null; then
      PY=$py
      return 0
    fi
  done
  fail "no python3 with $* (scripts/setup.sh installs it)"
}
