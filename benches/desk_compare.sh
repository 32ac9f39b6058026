#!/usr/bin/env bash
# Whole-process figures for the README's database table: a generated workspace copied
# into PostgreSQL and read from it, each command five times (median) under
# /usr/bin/time, beside the file's own figures and the floor measured in the same run
# (`wc -l` reads the file, `cp` copies it).
#
#   bash benches/desk_compare.sh ADMIN_URL     # L: 1,000 claims x 350 updates, ~640 MB
#   CLAIMDESK_BENCH_SIZE=S RUNS=1 bash benches/desk_compare.sh ADMIN_URL   # a quick check
#
# ADMIN_URL is a role that may create databases (`.ci/postgres.sh` starts such a server
# and prints its URL); each copy goes into a database made for it, dropped at the end.
# Needs GNU time (/usr/bin/time) and psql.
set -euo pipefail
cd "$(dirname "$0")/.."

admin=${1:?usage: desk_compare.sh ADMIN_URL (a role that may create databases)}
# shellcheck source=benches/lib.sh
. benches/lib.sh
command -v psql >/dev/null || { echo "needs psql" >&2; exit 2; }

cargo build --release --locked --quiet --bin claimdesk --example gen_workspace
bin=$PWD/target/release/claimdesk
dir=$(mktemp -d "${TMPDIR:-/tmp}/claimdesk-desk-compare.XXXXXX")
db=claimdesk_bench_$$
base=${admin%/*}
url=$base/$db
cleanup() {
  psql "$admin" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
generate

fresh() {
  psql "$admin" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  psql "$admin" -X -q -c "CREATE DATABASE $db" >/dev/null
}

measure wc wc -l "$ws"
measure cp cp "$ws" "$dir/copy.json"
measure file_list "$bin" -w "$ws" snapshot --wait list
before_each=fresh measure copy_in "$bin" copy "$ws" "$url"
measure db_list "$bin" -w "$url" snapshot --wait list
measure db_loaded "$bin" -w "$url" snapshot --wait loaded
before_each="rm -f $dir/out.json" measure copy_out "$bin" copy "$url" "$dir/out.json"
cmp -s "$ws" "$dir/out.json" && same="equal to the original" || same="DIFFERENT from the original"

read -r wc_s _ < "$dir/wc"
read -r cp_s _ < "$dir/cp"
read -r file_s _ < "$dir/file_list"
echo "Workspace: $claims claims x 350 updates, $((bytes / 1000000)) MB; median of $runs runs; $(nproc) cores;" \
  "PostgreSQL $(psql "$admin" -X -A -t -c 'SHOW server_version' | cut -d' ' -f1); $(date -u +%Y-%m-%d)"
echo "The copy back out is $same."
echo
echo "| what | seconds | × wc -l | × cp | × the file's list | peak memory |"
echo "|---|---|---|---|---|---|"
row() {
  local name=$1 label=$2
  read -r s kb < "$dir/$name"
  awk -v l="$label" -v s="$s" -v kb="$kb" -v w="$wc_s" -v c="$cp_s" -v f="$file_s" 'BEGIN {
    w = (w > 0 ? w : 0.01); c = (c > 0 ? c : 0.01); f = (f > 0 ? f : 0.01)
    printf "| %s | %.2f | %.1f | %.1f | %.1f | %d MB |\n", l, s, s / w, s / c, s / f, kb / 1024 }'
}
row wc "wc -l (reading the file)"
row cp "cp (copying it)"
row file_list "the file: claim list complete (snapshot --wait list)"
row copy_in "copy file → database (copy)"
row db_list "the database: claim list complete (snapshot --wait list)"
row db_loaded "the database: every update read (snapshot --wait loaded)"
row copy_out "copy database → file (copy)"
