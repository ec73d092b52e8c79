package org.ipsecemu.sadb.engine;

import java.util.List;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * A dump in progress: the messages still to deliver, produced one at a time as the reader drains
 * its queue. {@code next(seq)} builds the next message with {@code sadb_msg_seq = seq}, the number
 * of messages that will follow it (so the last has seq 0, §3.1.10).
 */
interface DumpCursor {
  int remaining();

  SadbMessage next(long seq);

  /** Builds one message per item of a snapshot taken when the dump was asked for. */
  interface Builder<T> {
    SadbMessage build(T item, long seq);
  }

  /** A cursor over a snapshot: SA DUMP and SPDDUMP both walk a list taken at the request. */
  static <T> DumpCursor over(List<T> snapshot, Builder<T> builder) {
    return new DumpCursor() {
      private int next;

      @Override
      public int remaining() {
        return snapshot.size() - next;
      }

      @Override
      public SadbMessage next(long seq) {
        return builder.build(snapshot.get(next++), seq);
      }
    };
  }
}
