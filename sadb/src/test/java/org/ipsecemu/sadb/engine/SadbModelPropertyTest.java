package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Random sequences of ADD, DELETE, GET and FLUSH against a plain map as the model: every errno
 * (EEXIST, ESRCH) and every key GET returns is what the model says, and the database ends up
 * holding exactly the model's SAs.
 */
class SadbModelPropertyTest {
  enum Kind {
    ADD,
    DELETE,
    GET,
    FLUSH
  }

  record Op(Kind kind, int satype, long spi, int keySeed) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.of(Kind.ADD, Kind.ADD, Kind.DELETE, Kind.GET, Kind.FLUSH),
                Arbitraries.of(Pf.ESP, Pf.AH, 0),
                Arbitraries.longs().between(0x100, 0x107),
                Arbitraries.integers().between(1, 1000))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  private static SadbMessage add(Op o) {
    return o.satype() == Pf.AH
        ? Pf.add(Pf.AH, o.spi(), Pf.SHA1, Pf.key(20, o.keySeed()), 0, null)
        : Pf.add(Pf.ESP, o.spi(), Pf.SHA1, Pf.key(20, o.keySeed()), Pf.AES, Pf.key(16, 3));
  }

  @Property(tries = 200)
  void engineAgreesWithAMapModel(@ForAll("ops") List<Op> ops) {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    Map<String, Integer> model = new HashMap<>();
    for (Op o : ops) {
      int satype = o.satype() == 0 && o.kind() != Kind.FLUSH ? Pf.ESP : o.satype();
      String key = satype + "/" + o.spi();
      switch (o.kind()) {
        case ADD -> {
          SadbMessage r = s.call(add(new Op(o.kind(), satype, o.spi(), o.keySeed())));
          if (model.containsKey(key)) {
            assertThat(r.errno()).isEqualTo(Errno.EEXIST.number());
          } else {
            assertThat(r.errno()).isZero();
            model.put(key, o.keySeed());
          }
        }
        case DELETE -> {
          SadbMessage r = s.call(Pf.byId(MessageType.SADB_DELETE, satype, o.spi(), 1, 1));
          assertThat(r.errno()).isEqualTo(model.remove(key) != null ? 0 : Errno.ESRCH.number());
        }
        case GET -> {
          SadbMessage r = s.call(Pf.byId(MessageType.SADB_GET, satype, o.spi(), 1, 1));
          Integer seed = model.get(key);
          if (seed == null) {
            assertThat(r.errno()).isEqualTo(Errno.ESRCH.number());
          } else {
            assertThat(r.keyAuth().orElseThrow().key()).isEqualTo(Pf.key(20, seed));
          }
        }
        case FLUSH -> {
          s.call(Pf.base(MessageType.SADB_FLUSH, o.satype(), 1, 1));
          model.keySet().removeIf(k -> o.satype() == 0 || k.startsWith(o.satype() + "/"));
        }
      }
      s.drain();
    }
    Set<String> actual =
        engine.associations().stream()
            .map(sa -> sa.satype() + "/" + sa.spiUnsigned())
            .collect(Collectors.toSet());
    assertThat(actual).isEqualTo(model.keySet());
    assertThat(engine.stats().sas()).isEqualTo(model.size());
  }
}
