#!/bin/sh
# Under -Db_sanitize=address the plugin scanner (not instrumented) loads our
# instrumented plugin: give it the ASan runtime first. Leak checking is off
# here; the tests themselves check leaks.
LD_PRELOAD="$EMO_PRELOAD" ASAN_OPTIONS="detect_leaks=0" exec "$EMO_REAL_SCANNER" "$@"
