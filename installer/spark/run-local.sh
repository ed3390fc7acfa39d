#!/usr/bin/env bash
# Runs the Spark scoring job on this machine in Spark local mode, with Spark from Maven Central (no Spark
# installation needed). On a cluster use spark-submit instead (README "Scoring on Apache Spark").
#   installer/spark/run-local.sh demo                  generate 2,000 users, train a Markov model, score on local[2]
#   installer/spark/run-local.sh score --model M --events E --out O [options]     any job arguments
# SPARK_MASTER (default local[2]) and SPARK_DRIVER_MEMORY (default 2g) choose the master and the heap.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
master="${SPARK_MASTER:-local[2]}"

build_job() {
  mvn -B -q -f "$here/pom.xml" clean package -DskipTests
  mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$here/target/spark.classpath" >/dev/null
}

run_job() {
  # Spark on Java 17 needs these (the same as spark.java.opens in pom.xml; spark-submit adds them itself)
  local opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
  # shellcheck disable=SC2086
  java -Xmx"${SPARK_DRIVER_MEMORY:-2g}" $opens -Dspark.master="$master" -Dspark.ui.enabled=false \
    -Dspark.sql.session.timeZone=UTC -Dlog4j2.configurationFile="$root/src/spark/test-resources/log4j2.properties" \
    -cp "$here/target/seqwatch-spark.jar:$(cat "$here/target/spark.classpath")" dev.seqwatch.spark.ScoreJob "$@"
}

if [ "${1:-}" = "demo" ]; then
  demo="${2:-/tmp/seqwatch-spark-demo}"
  rm -rf "$demo" && mkdir -p "$demo"
  (cd "$root" && mvn -B -q package -DskipTests)
  build_job
  sw() { java -jar "$root/target/seqwatch.jar" "$@"; }
  sw generate --out "$demo/gen" --users 2000 --fraud-rate 0.05 --seed 42
  sw import --db "$demo/ws" --input "$demo/gen/events.csv" --quiet
  sw labels --db "$demo/ws" --input "$demo/gen/labels.csv" --analyst demo
  sw train --db "$demo/ws" --detector markov --exclude-fraud --model-out "$demo/markov.swm"
  run_job score --model "$demo/markov.swm" --events "$demo/gen/events.csv" --out "$demo/out"
  echo "results in $demo/out: users/ and steps/ (Parquet), top-users.csv, rejected/, summary.json"
  head -6 "$demo/out/top-users.csv"
else
  build_job
  run_job "$@"
fi
