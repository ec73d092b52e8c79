package org.ipsecemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps every benchmark compiling and working: each class runs through JMH's Runner for a moment
 * (in this JVM, one short warm-up and measurement iteration, smallest parameters), and every
 * benchmark method must produce a result. No timing is asserted; the figures are in the README.
 */
class BenchmarksSmokeTest {

  /**
   * JMH refuses to start while another JMH holds /tmp/jmh.lock (a measurement run of
   * bench/measure.sh on the shared machine, or another worktree's build): this run's figures are
   * thrown away, so it need not have the machine to itself. Runner reads the property once, when
   * its class is initialised, hence before the first Runner is made.
   */
  @BeforeAll
  static void runBesideAnotherJmh() {
    System.setProperty("jmh.ignoreLock", "true");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SadbLookupBench",
        "EspBench",
        "AhBench",
        "CryptoBaselineBench",
        "PipelineBench",
        "ServeBenchmark"
      })
  void everyBenchmarkOfTheClassProducesAResult(String benchmarkClass) throws RunnerException {
    String name = "org.ipsecemu.bench." + benchmarkClass;
    Options options =
        new OptionsBuilder()
            .include("^" + name.replace(".", "\\.") + "\\.")
            .forks(0)
            .warmupIterations(1)
            .warmupTime(TimeValue.milliseconds(50))
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .param("sas", "1000")
            .param("policies", "10")
            .param("size", "64")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .timeUnit(TimeUnit.MICROSECONDS)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> methods = new TreeSet<>();
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getSampleCount()).as(r.getParams().id()).isPositive();
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().id()).isPositive();
      String benchmark = r.getParams().getBenchmark();
      methods.add(benchmark.substring(benchmark.lastIndexOf('.') + 1));
    }
    assertThat(methods).isEqualTo(expectedMethods(benchmarkClass));
  }

  private static Set<String> expectedMethods(String benchmarkClass) {
    return switch (benchmarkClass) {
      case "SadbLookupBench" -> Set.of("getAssocBySpi", "getAssocBySpiMiss", "getAssocBySocket");
      case "ServeBenchmark" ->
          Set.of("getInProcess", "getOverTheSocket", "packetOverTheControlSocket");
      default -> Set.of("inbound", "outbound");
    };
  }
}
