#!/usr/bin/env bash
# Fuzzes one Jazzer target for a given time (see SECURITY.md):
#
#   scripts/fuzz.sh TARGET [SECONDS]
#
# TARGET: decoder | engine | setkey | pcap | packet | pipeline; SECONDS defaults to 300.
#
# It runs Jazzer's own command line on the target's @FuzzTest method (jazzer-junit 0.24 takes the
# fuzzing time of `JAZZER_FUZZ=1 mvn test` from the annotation only). New inputs go to
# <module>/.cifuzz-corpus/<class>/<method>/ (not committed); a finding is written as crash-<sha1>
# into the target's regression directory under src/test/resources, where `mvn verify` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-300}
case "$target" in
  decoder) module=sadb; class=org.ipsecemu.sadb.wire.PfKeyDecoderFuzzTest
           method=decodesOrReportsAnErrnoAndReencodesToTheSameBytes ;;
  engine) module=sadb; class=org.ipsecemu.sadb.engine.KeyEngineFuzzTest
          method=answersEveryMessageLosesNoSaAndLeaksNoKey ;;
  setkey) module=sadb; class=org.ipsecemu.sadb.setkey.SetkeyParserFuzzTest
          method=parsesOrReportsALineAndProducesWireValidMessages ;;
  pcap) module=datapath; class=org.ipsecemu.datapath.pcap.PcapReaderFuzzTest
        method=readsFramesOrReportsACaptureException ;;
  packet) module=datapath; class=org.ipsecemu.datapath.packet.PacketParserFuzzTest
          method=parsersStayInsideThePacketAndNeverThrow ;;
  pipeline) module=datapath; class=org.ipsecemu.datapath.pipeline.InboundPipelineFuzzTest
            method=oneVerdictPerPacketAndNothingAcceptedWithoutAValidIcv ;;
  *) echo "usage: $0 decoder|engine|setkey|pcap|packet|pipeline [SECONDS]" >&2; exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "$0: SECONDS must be a positive number, not '$seconds'" >&2
  exit 2
fi

classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
# Compile the module (and what it needs) and write its test classpath; offline, as every build here.
mvn -B -o -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >/dev/null

inputs="$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
corpus="$module/.cifuzz-corpus/$class/$method"
mkdir -p "$inputs" "$corpus"

cp="$module/target/test-classes:$module/target/classes"
if [ "$module" = datapath ]; then
  cp="$cp:sadb/target/classes"
fi
echo "fuzzing $class#$method for ${seconds}s (corpus $corpus, findings into $inputs)" >&2
java -cp "$cp:$(cat "$classpath")" com.code_intelligence.jazzer.Jazzer \
  --target_class="$class" --target_method="$method" \
  -max_total_time="$seconds" -artifact_prefix="$inputs/" \
  "$corpus" "$inputs"
