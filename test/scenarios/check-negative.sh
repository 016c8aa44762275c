#!/usr/bin/env bash
# Runs every file in test/scenarios/negative/ and checks that the checker FAILS it with the message
# fragment named on the file's first line (`# must-fail: <fragment>`). Run from the repository root:
#   bash test/scenarios/check-negative.sh
# Exit status: 0 when every negative file fails as announced, 1 otherwise.
set -u
cd "$(dirname "$0")/../.." || exit 2
rc=0
for f in test/scenarios/negative/*.scenario; do
  frag=$(head -n 1 "$f" | sed -n 's/^# must-fail: //p')
  if [ -z "$frag" ]; then echo "BAD  $f: first line is not '# must-fail: <fragment>'"; rc=1; continue; fi
  out=$(npx --no-install tsx scripts/scenario.ts check "$f" 2>&1)
  if printf '%s\n' "$out" | grep -q '^FAIL' && printf '%s\n' "$out" | grep -qF -- "$frag"; then
    echo "ok   $f"
  else
    echo "BAD  $f (expected a failure mentioning: $frag)"
    printf '%s\n' "$out" | grep -v 'npm warn' | sed 's/^/     /'
    rc=1
  fi
done
exit $rc
