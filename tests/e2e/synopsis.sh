#!/usr/bin/env bash
# For every package in std and cmd, gotool's doc synopsis (load_read_gofile
# + load_doc_synopsis, driven by the synopsis_test unit binary) must equal
# the Doc field the real go prints.
set -euo pipefail

GO=/usr/local/go/bin/go
if [ ! -x "$GO" ]; then
	echo "synopsis.sh: $GO not found" >&2
	exit 1
fi
BIN="$(dirname "$GOTOOL")/tests/synopsis_test"
if [ ! -x "$BIN" ]; then
	echo "synopsis.sh: $BIN not built" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# IMPORTPATH <tab> Doc <tab> the non-test Go files (GoFiles, CgoFiles and
# cgo files ignored because cgo is off, in directory order).
$GO list -e -f '{{.ImportPath}}{{"\t"}}{{.Doc}}{{range .GoFiles}}{{"\t"}}{{$.Dir}}/{{.}}{{end}}{{range .CgoFiles}}{{"\t"}}{{$.Dir}}/{{.}}{{end}}' std cmd >"$tmp/raw"
# Sort each row's files by name so they are in directory order.
awk -F'\t' '{
	n = 0; delete f
	for (i = 3; i <= NF; i++) f[++n] = $i
	for (i = 2; i <= n; i++) { v = f[i]; j = i - 1; while (j > 0 && f[j] > v) { f[j+1] = f[j]; j-- } f[j+1] = v }
	line = $1 "\t" $2
	for (i = 1; i <= n; i++) line = line "\t" f[i]
	print line
}' "$tmp/raw" >"$tmp/cases"
count=$(wc -l <"$tmp/cases")
if [ "$count" -lt 300 ]; then
	echo "synopsis.sh: only $count packages listed" >&2
	exit 1
fi
if ! SYNOPSIS_CASES="$tmp/cases" "$BIN" >"$tmp/out" 2>&1; then
	cat "$tmp/out"
	echo "synopsis.sh: synopsis mismatch (see above)" >&2
	exit 1
fi
cat "$tmp/out"
