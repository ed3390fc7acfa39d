#!/usr/bin/env bash
# Benchmark: Spark scoring job at local[1] and local[2] against `seqwatch import` + `seqwatch score` on one
# machine, on the same generated events, in the same run, alternating, RUNS runs each; prints medians and
# events/s (events = data rows of events.csv).
#   installer/spark/bench.sh [USERS] [RUNS] [DETECTOR]      defaults: 18000 users (about 1M events), 3 runs, markov
# Needs target/seqwatch.jar and installer/spark/target/seqwatch-spark.jar + spark.classpath (built if missing).
# BENCH_DIR (default /tmp/seqwatch-spark-bench) holds the data; SPARK_DRIVER_MEMORY (default 2g) the heap.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users="${1:-18000}"; runs="${2:-3}"; detector="${3:-markov}"
dir="${BENCH_DIR:-/tmp/seqwatch-spark-bench}"

[ -f "$root/target/seqwatch.jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
if [ ! -f "$here/target/seqwatch-spark.jar" ] || [ ! -f "$here/target/spark.classpath" ]; then
  mvn -B -q -f "$here/pom.xml" package -DskipTests
  mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$here/target/spark.classpath" >/dev/null
fi

opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
sw() { nice -n 10 java -jar "$root/target/seqwatch.jar" "$@"; }
spark_job() {  # $1 = master, rest = job arguments
  local master="$1"; shift
  # shellcheck disable=SC2086
  nice -n 10 java -Xmx"${SPARK_DRIVER_MEMORY:-2g}" $opens -Dspark.master="$master" -Dspark.ui.enabled=false \
    -Dspark.sql.session.timeZone=UTC -Dlog4j2.configurationFile="$root/src/spark/test-resources/log4j2.properties" \
    -cp "$here/target/seqwatch-spark.jar:$(cat "$here/target/spark.classpath")" dev.seqwatch.spark.ScoreJob "$@"
}
now() { date +%s.%N; }

rm -rf "$dir" && mkdir -p "$dir"
echo "generating $users users into $dir/gen"
sw generate --out "$dir/gen" --users "$users" --fraud-rate 0.05 --seed 42 >/dev/null
events=$(($(wc -l < "$dir/gen/events.csv") - 1))
echo "events: $events"
sw import --db "$dir/train-ws" --input "$dir/gen/events.csv" --quiet
sw labels --db "$dir/train-ws" --input "$dir/gen/labels.csv" --analyst bench >/dev/null
sw train --db "$dir/train-ws" --detector "$detector" --exclude-fraud --model-out "$dir/model.swm" >/dev/null
echo "trained $detector model: $dir/model.swm"

: > "$dir/times.tsv"
for r in $(seq 1 "$runs"); do
  for cfg in single local1 local2; do
    rm -rf "$dir/ws-run" "$dir/ws-run".* "$dir/out-run" "$dir/scores.csv"
    t0=$(now)
    case "$cfg" in
      single) sw import --db "$dir/ws-run" --input "$dir/gen/events.csv" --quiet
              sw score --db "$dir/ws-run" --model "$dir/model.swm" --out "$dir/scores.csv" >/dev/null ;;
      local1) spark_job 'local[1]' score --model "$dir/model.swm" --events "$dir/gen/events.csv" --out "$dir/out-run" >/dev/null ;;
      local2) spark_job 'local[2]' score --model "$dir/model.swm" --events "$dir/gen/events.csv" --out "$dir/out-run" >/dev/null ;;
    esac
    t1=$(now)
    secs=$(echo "$t1 - $t0" | bc -l)
    printf '%s\t%s\t%.2f\n' "$cfg" "$r" "$secs" | tee -a "$dir/times.tsv"
  done
done

echo "load average at end: $(cat /proc/loadavg)"
echo "config | runs (s) | median (s) | events/s (median)"
for cfg in single local1 local2; do
  list=$(awk -v c="$cfg" '$1==c {print $3}' "$dir/times.tsv" | sort -n)
  med=$(echo "$list" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
  printf '%s | %s | %.2f | %.0f\n' "$cfg" "$(echo $list | tr ' ' ',')" "$med" "$(echo "$events / $med" | bc -l)"
done
