#!/usr/bin/env bash
# Run every Go fuzz target of the module, one after another, each for
# $FUZZTIME (default 30s):
#
#   scripts/fuzz.sh                 # all targets
#   FUZZTIME=5m scripts/fuzz.sh     # longer
#   scripts/fuzz.sh Load Extract    # only targets whose name matches one of these
#
# Each runs as `go test -run '^$' -fuzz '^FuzzX$' -fuzztime $FUZZTIME ./pkg`.
# An input that fails is written to pkg/testdata/fuzz/FuzzX/, where plain
# `go test` runs it from then on; commit it with the fix. The script ends
# with the executions each target ran, and fails if any target did.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}

targets=$(grep -rHoE --include='*_test.go' --exclude-dir=.git --exclude-dir=node_modules \
	--exclude-dir=ui-assets --exclude-dir=testdata '^func Fuzz[A-Za-z0-9_]+' . |
	sed -E 's/^\.\/(.*)\/[^/]+_test\.go:func (Fuzz.*)$/\1 \2/' | sort -u)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=""
failed=0
while read -r dir name; do
	if [ $# -gt 0 ]; then
		match=0
		for p in "$@"; do
			case "$name" in *"$p"*) match=1 ;; esac
		done
		[ $match = 1 ] || continue
	fi
	echo "=== $name (./$dir, $FUZZTIME)"
	if "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir" 2>&1 | tee "$log"; then
		result=ok
	else
		result=FAIL
		failed=1
	fi
	execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	summary+=$(printf '%-6s %-22s ./%-16s %12s execs' "$result" "$name" "$dir" "${execs:-?}")$'\n'
done <<<"$targets"

echo
echo "fuzzing, $FUZZTIME a target:"
printf '%s' "$summary"
exit $failed
