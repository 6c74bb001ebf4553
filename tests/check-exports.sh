#!/usr/bin/env bash
# The plugin exports only the two descriptor symbols GST_PLUGIN_DEFINE makes
# (kernels and elements are private, so a host application never clashes with
# them), and libgstemo-1.0 exports exactly the functions its headers mark
# GST_EMO_API. Args: plugin .so, library .so, header...
set -euo pipefail
plugin=$1; lib=$2; shift 2
exports() { nm -D --defined-only "$1" | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^_/ {print $3}' | sort; }
want_plugin=$'gst_plugin_emo_get_desc\ngst_plugin_emo_register'
got_plugin=$(exports "$plugin")
if [ "$got_plugin" != "$want_plugin" ]; then
  echo "plugin exports more than its descriptor symbols:"; diff <(echo "$want_plugin") <(echo "$got_plugin") || true
  exit 1
fi
# a marked declaration is the line after GST_EMO_API: "type *name (..."
want_lib=$(awk 'prev == "GST_EMO_API" { if (match($0, /[a-z_0-9]+ \(/)) print substr($0, RSTART, RLENGTH - 2) } { prev = $0 }' "$@" | sort)
got_lib=$(exports "$lib")
if [ "$got_lib" != "$want_lib" ]; then
  echo "libgstemo exports differ from the GST_EMO_API declarations (< marked, > exported):"
  diff <(echo "$want_lib") <(echo "$got_lib") || true
  exit 1
fi
echo "exports: plugin $(echo "$got_plugin" | wc -l) symbols, libgstemo $(echo "$got_lib" | wc -l) symbols, as declared"
