package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpiTableTest {

  @Test
  void findsByTypeAddressAndSpiOnly() throws Exception {
    SpiTable<String> t = new SpiTable<>(4);
    byte[] a = InetAddress.getByName("192.0.2.1").getAddress();
    byte[] b = InetAddress.getByName("192.0.2.2").getAddress();
    assertThat(t.putIfAbsent(3, a, 0x1000, "esp-a", true)).isNull();
    assertThat(t.putIfAbsent(2, a, 0x1000, "ah-a", true)).isNull();
    assertThat(t.putIfAbsent(3, b, 0x1000, "esp-b", true)).isNull();
    assertThat(t.putIfAbsent(3, a, 0x1000, "again", true)).isEqualTo("esp-a");
    assertThat(t.get(3, a, 0, 4, 0x1000)).isEqualTo("esp-a");
    assertThat(t.get(2, a, 0, 4, 0x1000)).isEqualTo("ah-a");
    assertThat(t.get(3, b, 0, 4, 0x1000)).isEqualTo("esp-b");
    assertThat(t.get(3, a, 0, 4, 0x1001)).isNull();
    assertThat(t.size()).isEqualTo(3);
  }

  @Test
  void readsTheAddressInPlaceFromAPacketBuffer() throws Exception {
    SpiTable<String> t = new SpiTable<>(4);
    byte[] v6 = InetAddress.getByName("2001:db8::7").getAddress();
    t.putIfAbsent(3, v6, 42, "v6", true);
    byte[] packet = new byte[64];
    System.arraycopy(v6, 0, packet, 24, 16);
    assertThat(t.get(3, packet, 24, 16, 42)).isEqualTo("v6");
    // The same bytes read as an IPv4 address are another key.
    assertThat(t.get(3, packet, 24, 4, 42)).isNull();
    assertThat(t.get(3, packet, 24, 5, 42)).isNull();
  }

  @Test
  void entriesNotLiveAreHiddenFromTheLiveLookupOnly() throws Exception {
    SpiTable<String> t = new SpiTable<>(4);
    byte[] a = InetAddress.getByName("10.0.0.1").getAddress();
    t.putIfAbsent(3, a, 7, "larval", false);
    assertThat(t.getLive(3, a, 0, 4, 7)).isNull();
    assertThat(t.get(3, a, 0, 4, 7)).isEqualTo("larval");
    assertThat(t.putIfAbsent(3, a, 7, "other", true)).isEqualTo("larval");
    assertThat(t.setLive(3, a, 7, "larval", true)).isTrue();
    assertThat(t.getLive(3, a, 0, 4, 7)).isEqualTo("larval");
  }

  @Test
  void removeAndReplaceOnlyTouchTheExpectedValue() throws Exception {
    SpiTable<String> t = new SpiTable<>(4);
    byte[] a = InetAddress.getByName("10.0.0.1").getAddress();
    t.putIfAbsent(3, a, 7, "x", true);
    assertThat(t.remove(3, a, 7, "y")).isFalse();
    assertThat(t.replace(3, a, 7, "x", "z")).isTrue();
    assertThat(t.get(3, a, 0, 4, 7)).isEqualTo("z");
    assertThat(t.remove(3, a, 7, "z")).isTrue();
    assertThat(t.get(3, a, 0, 4, 7)).isNull();
    assertThat(t.size()).isZero();
  }

  @Test
  void keepsEveryEntryThroughGrowthAndRandomRemovals() {
    SpiTable<Integer> t = new SpiTable<>(1);
    Map<Integer, Integer> model = new HashMap<>();
    Random r = new Random(1);
    byte[] dst = {10, 0, 0, 1};
    List<Integer> spis = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int spi = r.nextInt();
      Integer value = i; // identity matters: the table compares values by reference
      if (model.putIfAbsent(spi, value) == null) {
        assertThat(t.putIfAbsent(3, dst, spi, value, true)).isNull();
        spis.add(spi);
      }
      if (i % 3 == 0 && !spis.isEmpty()) {
        int victim = spis.remove(r.nextInt(spis.size()));
        assertThat(t.remove(3, dst, victim, model.remove(victim))).isTrue();
      }
    }
    assertThat(t.size()).isEqualTo(model.size());
    model.forEach((spi, v) -> assertThat(t.get(3, dst, 0, 4, spi)).isEqualTo(v));
    List<Integer> seen = new ArrayList<>();
    t.forEach(seen::add);
    List<Integer> expected = new ArrayList<>(model.values());
    java.util.Collections.sort(seen);
    java.util.Collections.sort(expected);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void aRemovedKeyLeavesTheOthersOfItsProbeChainFindable() {
    SpiTable<Integer> t = new SpiTable<>(16);
    byte[] dst = {10, 0, 0, 1};
    // 11 entries in a table made for 16: they share buckets (or probe chains).
    for (int spi = 1; spi <= 11; spi++) {
      t.putIfAbsent(3, dst, spi, spi, true);
    }
    for (int spi = 1; spi <= 11; spi += 2) {
      assertThat(t.remove(3, dst, spi, t.get(3, dst, 0, 4, spi))).isTrue();
    }
    for (int spi = 2; spi <= 11; spi += 2) {
      assertThat(t.get(3, dst, 0, 4, spi)).isEqualTo(spi);
    }
    for (int spi = 1; spi <= 11; spi += 2) {
      assertThat(t.get(3, dst, 0, 4, spi)).isNull();
    }
    // What removed entries leave behind is never mistaken for a key, and the table grows past it.
    for (int spi = 101; spi <= 140; spi++) {
      assertThat(t.putIfAbsent(3, dst, spi, spi, true)).isNull();
    }
    assertThat(t.size()).isEqualTo(45);
    for (int spi = 101; spi <= 140; spi++) {
      assertThat(t.get(3, dst, 0, 4, spi)).isEqualTo(spi);
    }
  }

  /**
   * Lock-free readers racing a writer that adds, removes and grows: every key that stays in the
   * table is found by every read, with its own value, and a key never added is never found.
   */
  @Test
  void readersRacingAWriterFindEveryStableKeyAndNothingElse() throws Exception {
    SpiTable<Integer> t = new SpiTable<>(16);
    byte[] dst = {10, 0, 0, 1};
    for (int spi = 1; spi <= 64; spi++) {
      t.putIfAbsent(3, dst, spi, spi, true);
    }
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong wrong = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread reader =
          new Thread(
              () -> {
                byte[] packet = dst.clone();
                long n = 0;
                while (!done.get() || n < 10_000) {
                  int spi = 1 + (int) (n % 64);
                  Integer v = t.getLive(3, packet, 0, 4, spi);
                  if (v == null || v != spi || t.get(3, packet, 0, 4, -spi) != null) {
                    wrong.incrementAndGet();
                  }
                  n++;
                }
                reads.addAndGet(n);
              });
      reader.start();
      readers.add(reader);
    }
    Random random = new Random(5);
    List<Integer> churn = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      if (churn.size() < 5_000 && (churn.isEmpty() || random.nextInt(3) > 0)) {
        int spi = 1_000 + random.nextInt(1 << 20);
        if (t.putIfAbsent(3, dst, spi, spi, random.nextBoolean()) == null) {
          churn.add(spi);
        }
      } else {
        int spi = churn.remove(random.nextInt(churn.size()));
        assertThat(t.remove(3, dst, spi, t.get(3, dst, 0, 4, spi))).isTrue();
      }
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(wrong.get()).as("wrong answers in %d reads", reads.get()).isZero();
    assertThat(t.size()).isEqualTo(64 + churn.size());
  }
}
