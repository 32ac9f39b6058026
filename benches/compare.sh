#!/usr/bin/env bash
# Whole-process figures for the README's Performance table: generates a workspace, then
# times each command five times (median) with /usr/bin/time, beside the floor measured in
# the same run (`wc -l` reads the file, `cp` copies it) and beside jq and Python.
#
#   bash benches/compare.sh            # L: 1,000 claims x 350 updates, about 640 MB
#   CLAIMDESK_BENCH_SIZE=XL bash benches/compare.sh   # 10,000 claims, about 6.4 GB
#   CLAIMDESK_BENCH_SIZE=S RUNS=1 bash benches/compare.sh   # a quick check
#
# Needs GNU time (/usr/bin/time); jq and python3 rows are skipped where they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=benches/lib.sh
. benches/lib.sh

cargo build --release --locked --quiet --bin claimdesk --example gen_workspace
bin=$PWD/target/release/claimdesk
dir=$(mktemp -d "${TMPDIR:-/tmp}/claimdesk-compare.XXXXXX")
trap 'rm -rf "$dir"' EXIT
generate
id=$("$bin" -w "$ws" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null \
  || grep -m1 -o '"id": "[^"]*"' "$ws" | cut -d'"' -f4)

measure wc wc -l "$ws"
measure cp cp "$ws" "$dir/copy.json"
measure list "$bin" -w "$ws" snapshot --wait list
measure search "$bin" -w "$ws" --read-only list --search "Security Ministerial"
measure verdict "$bin" -w "$ws" verdict "$id" stalled --note "from compare.sh"
if command -v jq >/dev/null; then measure jq jq '.claims | length' "$ws"; fi
if command -v python3 >/dev/null; then
  measure python python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["claims"]))' "$ws"
fi

read -r wc_s _ < "$dir/wc"
read -r cp_s _ < "$dir/cp"
echo "Workspace: $claims claims x 350 updates, $((bytes / 1000000)) MB; median of $runs runs; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| what | seconds | × wc -l | × cp | peak memory | × file |"
echo "|---|---|---|---|---|---|"
row() {
  local name=$1 label=$2
  [ -f "$dir/$name" ] || return 0
  read -r s kb < "$dir/$name"
  awk -v l="$label" -v s="$s" -v kb="$kb" -v w="$wc_s" -v c="$cp_s" -v b="$bytes" 'BEGIN {
    w = (w > 0 ? w : 0.01); c = (c > 0 ? c : 0.01)
    printf "| %s | %.2f | %.1f | %.1f | %d MB | %.2f |\n", l, s, s / w, s / c, kb / 1024, kb * 1024 / b }'
}
row wc "wc -l (reading the file)"
row cp "cp (copying it)"
row list "claimdesk: claim list complete (snapshot --wait list)"
row search "claimdesk: search every body (list --search)"
row verdict "claimdesk: a verdict, durable (verdict)"
row jq "jq '.claims \\| length'"
row python "python3 json.load"
