# Shared by the whole-process benchmarks (compare.sh, desk_compare.sh): each command run
# $runs times under GNU time, and the median taken. Sourced; needs $dir and $runs.

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
