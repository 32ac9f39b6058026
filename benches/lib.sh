# Shared by the whole-process benchmarks (compare.sh, desk_compare.sh): the workspace's
# size, and each command run $runs times under GNU time, the median taken. Sourced
# (measure needs $dir).

# The size, from CLAIMDESK_BENCH_SIZE (L unless set): $claims claims of 350 updates.
case "${CLAIMDESK_BENCH_SIZE:-L}" in
  S) claims=20 ;;
  M) claims=100 ;;
  L) claims=1000 ;;
  XL) claims=10000 ;;
  *) echo "CLAIMDESK_BENCH_SIZE is S, M, L or XL" >&2; exit 2 ;;
esac
runs=${RUNS:-5}
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

# median of the runs' "seconds kilobytes" lines: prints "seconds kilobytes"
median() { sort -n | awk '{ s[NR] = $1; m[NR] = $2 } END { i = int((NR + 1) / 2); print s[i], m[i] }'; }

# measure NAME COMMAND...: the median of $runs runs, into $dir/NAME. With before_each
# set (before_each=CMD measure ...), CMD runs before each run, untimed.
measure() {
  local name=$1; shift
  for _ in $(seq "$runs"); do
    ${before_each:-}
    /usr/bin/time -f '%e %M' -o "$dir/t" "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; return 1; }
    cat "$dir/t"
  done | median > "$dir/$name"
}

# generate: a home of its own in $dir (no user's config or state is read), and the
# workspace $ws of $claims claims generated there ($bytes long), in the page cache.
generate() {
  export HOME=$dir/home XDG_CONFIG_HOME=$dir/home/.config XDG_DATA_HOME=$dir/home/.local/share \
    XDG_STATE_HOME=$dir/home/.local/state CLAIMDESK_REVIEWER=bench
  mkdir -p "$HOME"
  ws=$dir/ws.json
  target/release/examples/gen_workspace --claims "$claims" --updates 350 --out "$ws" 2>/dev/null
  bytes=$(stat -c %s "$ws")
  cat "$ws" >/dev/null # in the page cache, as for every row
}
