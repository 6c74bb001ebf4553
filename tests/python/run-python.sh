# Runs a PyGObject test with Debian's python3 (the one that sees python3-gi).
set -euo pipefail
if [ -n "${EMO_PRELOAD:-}" ]; then
  export LD_PRELOAD="$EMO_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
fi
exec /usr/bin/python3 "$@"
