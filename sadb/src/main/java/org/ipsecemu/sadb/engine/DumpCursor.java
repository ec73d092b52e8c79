package org.ipsecemu.sadb.engine;

import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * A dump in progress: the messages still to deliver, produced one at a time as the reader drains
 * its queue. {@code next(seq)} builds the next message with {@code sadb_msg_seq = seq}, the number
 * of messages that will follow it (so the last has seq 0, §3.1.10).
 */
interface DumpCursor {
  int remaining();

  SadbMessage next(long seq);
}
