#!/usr/bin/env bash
# The measurement runs behind bench/README.md: every benchmark with -prof gc, JSON results in
# bench/results/<label>/, then `python3 bench/report.py bench/results/<label>` prints the tables.
#
#   bench/measure.sh jdk17                                              # the default java
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/measure.sh jdk25
#   bench/measure.sh jdk17 EspBench                                     # one group only
#
# Build first: mvn -B -DskipTests package. Check `uptime` before: the figures are only as good as
# the machine is quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:?usage: bench/measure.sh LABEL [GROUP...]}
shift
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
  groups=(SadbLookupBench EspBench AhBench CryptoBaselineBench PipelineBench)
fi
java=${JAVA:-java}
jar=bench/target/benchmarks.jar
out=bench/results/$label
mkdir -p "$out"
# Warm-up and measurement: 3 + 5 one-second iterations in each of 2 JVMs (3 for the lookups),
# which gives JMH's 99.9% error from 10 (15) measured iterations.
common=(-wi 3 -w 1 -i 5 -r 1 -prof gc -rf json)
for g in "${groups[@]}"; do
  echo "== $g $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
  case $g in
    SadbLookupBench)
      # 1,000,000 SAs must fit in a 1 GiB heap: every fork of the lookups runs with -Xmx1g.
      "$java" -jar "$jar" 'SadbLookupBench' "${common[@]}" -f 3 -jvmArgsAppend -Xmx1g \
        -rff "$out/SadbLookupBench.json" | tee "$out/SadbLookupBench.txt"
      ;;
    CryptoBaselineBench)
      "$java" -jar "$jar" 'CryptoBaselineBench' "${common[@]}" -f 2 -p provider=jce,bc \
        -rff "$out/CryptoBaselineBench.json" | tee "$out/CryptoBaselineBench.txt"
      # provider=datapath differs from jce and bc only where the datapath mixes the libraries.
      "$java" -jar "$jar" 'CryptoBaselineBench' "${common[@]}" -f 2 -p provider=datapath \
        -p alg=des-cbc/hmac-md5,3des-cbc/hmac-sha1 \
        -rff "$out/CryptoBaselineBench-mixed.json" | tee "$out/CryptoBaselineBench-mixed.txt"
      ;;
    *)
      "$java" -jar "$jar" "$g" "${common[@]}" -f 2 -rff "$out/$g.json" | tee "$out/$g.txt"
      ;;
  esac
done
echo "== done $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
