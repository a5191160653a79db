#!/usr/bin/env bash
# tests/conformance/run.sh: run the go command's own script tests against gotool with
# ../shared/conformance/gotest_scripts.py (see its README.md).
#
#   run.sh [--go BIN] [-j N] [-v]            every script in expected-pass.txt must PASS
#                                            (skip, unsupported, fail or absent all count as
#                                            failures); ends "conformance: N passed, N failed"
#   run.sh --all [--update] [--go BIN] ...   run the whole public list and print which pass;
#                                            --update rewrites expected-pass.txt with them
#   run.sh --list FILE ...                   check FILE instead of expected-pass.txt
#
# Skips (exit 0) with a message when ../shared/conformance is not beside the repo.
set -euo pipefail

HERE=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=$ROOT/../shared/conformance
EXPECTED=$HERE/expected-pass.txt
GOROOT_REF=${GOROOT_REF:-/usr/local/go}

# The fixed header of expected-pass.txt, kept by --update.
HEADER='# Conformance scripts gotool must pass: names from ../shared/conformance/public.txt
# (the go command'"'"'s own $GOROOT/src/cmd/go/testdata/script tests), one per line,
# sorted (LC_ALL=C).  tests/conformance/run.sh fails if any of them does not PASS.
# Regenerate with `tests/conformance/run.sh --all --update` and review the diff:
# only add scripts that pass for the right reason.'

driver=$ROOT/build/gotool
jobs=2
all=0
update=0
list=$EXPECTED
extra=()

usage() {
	printf 'usage: %s [--all [--update]] [--go BIN] [--list FILE] [-j N] [-v]\n' "$0" >&2
	exit 2
}

while (($#)); do
	case $1 in
	--go) (($# >= 2)) || usage; driver=$2; shift 2 ;;
	--list) (($# >= 2)) || usage; list=$2; shift 2 ;;
	-j) (($# >= 2)) || usage; jobs=$2; shift 2 ;;
	--all) all=1; shift ;;
	--update) update=1; shift ;;
	-v) extra+=(-v); shift ;;
	*) usage ;;
	esac
done
((update == 0 || all == 1)) || { echo "run.sh: --update needs --all" >&2; exit 2; }

if [[ ! -f $SHARED/gotest_scripts.py ]]; then
	echo "conformance: $SHARED not found; skipped"
	exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "conformance: python3 is needed to run $SHARED/gotest_scripts.py" >&2; exit 1; }
[[ -x $driver ]] || { echo "conformance: driver $driver is not an executable (build gotool first)" >&2; exit 1; }
driver=$(cd "${driver%/*}" && pwd)/${driver##*/}

# names FILE: the script names a list file holds (comments and blank lines dropped).
names() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' -e 's/\.txt$//' "$1" | grep -v '^$' || true
}

tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

names "$list" >"$tmp/want"
if ((all)); then
	names "$SHARED/public.txt" >"$tmp/run"
else
	cp "$tmp/want" "$tmp/run"
	if [[ ! -s $tmp/run ]]; then
		echo "conformance: ${list#"$ROOT"/} lists no scripts yet; nothing to check"
		echo "conformance: 0 passed, 0 failed"
		exit 0
	fi
fi

# The harness gives every script HOME=/no-home and its own GOCACHE, but gotool keeps its
# builds in GOTOOLCACHE (default under the user cache dir, /no-home/.cache/gotool there),
# which would outlive the run and make a script's "cold" build a hit in the next run.
# So the driver is a wrapper that gives this run its own gotool cache.
mkdir -p "$tmp/gotoolcache"
printf '#!%s\nexport GOTOOLCACHE=%q\nexec -a "$0" %q "$@"\n' \
	"$BASH" "$tmp/gotoolcache" "$driver" >"$tmp/driver"
chmod +x "$tmp/driver"

start=$SECONDS
set +e
python3 "$SHARED/gotest_scripts.py" --go "$tmp/driver" --goroot "$GOROOT_REF" --list "$tmp/run" \
	-j "$jobs" --json "$tmp/report.json" "${extra[@]}"
rc=$?
set -e
echo "conformance: harness finished in $((SECONDS - start))s (exit $rc)"
[[ -f $tmp/report.json ]] || { echo "conformance: the harness wrote no report" >&2; exit 1; }

# Names that passed, sorted as the list file is.
python3 - "$tmp/report.json" >"$tmp/passed" <<'EOF'
import json, sys
rep = json.load(open(sys.argv[1]))
for r in rep["results"]:
    if r["status"] == "pass":
        print(r["name"])
EOF
LC_ALL=C sort -o "$tmp/passed" "$tmp/passed"
LC_ALL=C sort -u -o "$tmp/want" "$tmp/want"

# A listed script that did not pass, for any reason (including not existing), fails.
LC_ALL=C comm -23 "$tmp/want" "$tmp/passed" >"$tmp/regressed"
npass=$(LC_ALL=C comm -12 "$tmp/want" "$tmp/passed" | wc -l)
nfail=$(wc -l <"$tmp/regressed")

if ((all)); then
	echo "conformance: $(wc -l <"$tmp/passed") of $(wc -l <"$tmp/run") public scripts pass:"
	sed 's/^/  /' "$tmp/passed"
	if ((update)); then
		{ printf '%s\n' "$HEADER"; cat "$tmp/passed"; } >"$EXPECTED"
		echo "conformance: wrote ${EXPECTED#"$ROOT"/}"
	fi
fi
if ((nfail)); then
	echo "conformance: listed in ${list#"$ROOT"/} but not passing:"
	sed 's/^/  /' "$tmp/regressed"
fi
echo "conformance: $npass passed, $nfail failed"
((nfail == 0))
