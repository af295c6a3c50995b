#!/bin/sh
# CPU time of the read commands beside `git status --porcelain`, alternating
# (BENCHMARKS.md, "End of session"): git status, the BEFORE binary, the AFTER
# binary, git status again; peak memory of AFTER by /usr/bin/time.
# Usage: benches/cpu-side-by-side.sh REPO RUNS BEFORE AFTER
# Needs perf (perf stat) and GNU time.
set -eu
R=$1; N=$2; A=$3; B=$4
echo "load before: $(cat /proc/loadavg)"
cpu() { perf stat -r "$N" -e task-clock "$@" 2>&1 >/dev/null | awk '/task-clock/{print $1}'; }
for c in "history --format json" "compare --format json" "trend --format json" \
         "suppliers --format json" "due --format json" "actions --format json" \
         "report --format json"; do
  # $c is split into words on purpose.
  g=$(cpu git -C "$R" status --porcelain)
  a=$(cpu "$A" --repo "$R" $c)
  b=$(cpu "$B" --repo "$R" $c)
  g2=$(cpu git -C "$R" status --porcelain)
  m=$( { /usr/bin/time -f "%M" "$B" --repo "$R" $c >/dev/null; } 2>&1 | tail -1)
  echo "$c | git status $g / $g2 ms | before $a ms | after $b ms | after peak $m KiB"
done
echo "load after: $(cat /proc/loadavg)"
