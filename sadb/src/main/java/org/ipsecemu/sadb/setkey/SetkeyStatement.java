package org.ipsecemu.sadb.setkey;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * One parsed {@code setkey} statement: what it is, where it was written, and the PF_KEY messages
 * {@code setkey} sends for it, in order.
 *
 * <p>Most statements are one message. {@code spdadd}, {@code spdupdate} and {@code spddelete} of an
 * inbound policy are two when the parser adds the forward policy as ipsec-tools does on Linux
 * ({@link SetkeyParser#forwardPolicies}). {@code deleteall} is a dump first: its one message is the
 * SADB_DUMP whose replies {@link #deleteFor} turns into SADB_DELETEs. {@code exit} has none.
 *
 * @param operation what the statement does
 * @param where the file and the line of its first word
 * @param messages the messages to send, in order
 * @param sa the SA an {@code add}, {@code get}, {@code delete}, {@code getspi} or {@code deleteall}
 *     names (for {@code deleteall} with SPI 0), else null
 */
public record SetkeyStatement(
    SetkeyOperation operation, SourceLocation where, List<SadbMessage> messages, SaSpec sa) {

  /** Checks the fields; copies the list. */
  public SetkeyStatement {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(where, "where");
    messages = List.copyOf(messages);
  }

  /** The 1-based line of the statement's first word. */
  public int line() {
    return where.line();
  }

  /**
   * For {@code deleteall}: whether an SA of a DUMP reply is one this statement deletes, that is has
   * the statement's SA type, source and destination address (ports are not compared: Linux keeps
   * none in an SA).
   */
  public boolean deletes(SadbMessage dumpReply) {
    if (operation != SetkeyOperation.DELETEALL || dumpReply.satype() != sa.satype()) {
      return false;
    }
    return dumpReply.sa().isPresent()
        && dumpReply.addressSrc().map(a -> sameHost(a, sa.source())).orElse(false)
        && dumpReply.addressDst().map(a -> sameHost(a, sa.destination())).orElse(false);
  }

  private static boolean sameHost(AddressExtension a, SockAddr b) {
    return a.address().family() == b.family() && Arrays.equals(a.address().address(), b.address());
  }

  /**
   * For {@code deleteall}: the SADB_DELETE of one SA the dump found, as {@code setkey} sends it on
   * Linux ({@code sendkeymsg_spigrep}, then {@code setkeymsg_addr} per SPI).
   */
  public SadbMessage deleteFor(long spi) {
    if (operation != SetkeyOperation.DELETEALL) {
      throw new IllegalStateException(operation + " is not deleteall");
    }
    SadbMessage dump = messages.get(0);
    return SetkeyParser.addrMessage(
        MessageType.SADB_DELETE,
        sa.toBuilder().spi(spi).build(),
        SaState.SADB_SASTATE_LARVAL,
        dump.pid());
  }
}
