#!/usr/bin/env bash
# The measurement runs behind bench/README.md: every benchmark with -prof gc, JSON results in
# bench/results/<label>/, then `python3 bench/report.py bench/results/<label>` prints the tables.
#
#   bench/measure.sh jdk17                                              # the default java
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/measure.sh jdk25
#   bench/measure.sh jdk17 EspBench                                     # one group only
#   JMH_ARGS="-p alg=aes-gcm-16" bench/measure.sh jdk17-gcm EspBench    # extra JMH options
#
# Build first: mvn -B -DskipTests package. Check `uptime` before: the figures are only as good as
# the machine is quiet.
#
# Every JMH JVM (the harness and its forks, which inherit the affinity) is pinned to core 1 with
# `taskset -c 1`: this 2-core machine's other core runs the other engineers' builds, pinned to
# core 0. A JVM that sees one CPU picks the Serial collector, and its JIT and GC threads share the
# benchmark's core: the figures are single-core figures. CORE=... picks another core.
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:?usage: bench/measure.sh LABEL [GROUP...]}
shift
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
  groups=(SadbLookupBench EspBench AhBench CryptoBaselineBench PipelineBench)
fi
java=(taskset -c "${CORE:-1}" "${JAVA:-java}")
jar=bench/target/benchmarks.jar
out=bench/results/$label
mkdir -p "$out"
# Warm-up and measurement: 2 + 4 one-second iterations in each of 2 JVMs (3 for the lookups),
# which gives JMH's 99.9% error from 8 (12) measured iterations. (Trimmed from 3 + 5 so that the
# whole set fits in about 40 minutes of the reserved core; the ± in the tables is JMH's.)
common=(-wi 2 -w 1 -i 4 -r 1 -prof gc -rf json ${JMH_ARGS:-})
for g in "${groups[@]}"; do
  echo "== $g $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
  case $g in
    SadbLookupBench)
      # 1,000,000 SAs must fit in a 1 GiB heap: every fork of the lookups runs with -Xmx1g.
      "${java[@]}" -jar "$jar" 'SadbLookupBench' "${common[@]}" -f 3 -jvmArgsAppend -Xmx1g \
        -rff "$out/SadbLookupBench.json" | tee "$out/SadbLookupBench.txt"
      ;;
    CryptoBaselineBench)
      "${java[@]}" -jar "$jar" 'CryptoBaselineBench' "${common[@]}" -f 2 -p provider=jce,bc -p size=64,1400 \
        -rff "$out/CryptoBaselineBench.json" | tee "$out/CryptoBaselineBench.txt"
      # provider=datapath differs from jce and bc only where the datapath mixes the libraries.
      "${java[@]}" -jar "$jar" 'CryptoBaselineBench' "${common[@]}" -f 2 -p provider=datapath \
        -p alg=des-cbc/hmac-md5,3des-cbc/hmac-sha1 -p size=64,1400 \
        -rff "$out/CryptoBaselineBench-mixed.json" | tee "$out/CryptoBaselineBench-mixed.txt"
      ;;
    *)
      "${java[@]}" -jar "$jar" "$g" "${common[@]}" -f 2 -rff "$out/$g.json" | tee "$out/$g.txt"
      ;;
  esac
done
echo "== done $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
