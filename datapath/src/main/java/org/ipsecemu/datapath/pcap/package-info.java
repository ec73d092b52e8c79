/**
 * Capture input and output for replay: streaming pcap/pcapng reading and pcap writing through
 * pcap4j over libpcap, the link layers replay understands, and the rebuild of a frame around a
 * replaced IP packet. The only package that imports pcap4j.
 *
 * <h2>What replay reads</h2>
 *
 * <p>{@link org.ipsecemu.datapath.pcap.PcapReader} opens a pcap or pcapng file with libpcap's
 * offline open (which reads both) at nanosecond precision and yields one {@link
 * org.ipsecemu.datapath.pcap.Frame} at a time, reusing one holder. Each frame tells where its IP
 * packet starts and ends and its version, or why it carries none ({@link
 * org.ipsecemu.datapath.pcap.NonIpReason}: ARP, other EtherTypes, ...); replay passes those through
 * untouched. Link types read ({@link org.ipsecemu.datapath.pcap.LinkType}): Ethernet with any stack
 * of 802.1Q / 802.1ad tags (EtherTypes 0x8100, 0x88a8, 0x9100), raw IP (DLT_RAW as 12, 14 on
 * OpenBSD and LINKTYPE_RAW 101; LINKTYPE_IPV4 228, LINKTYPE_IPV6 229), Linux cooked captures v1
 * (113) and v2 (276), BSD loopback NULL (0) and LOOP (108). Any other link type is refused when the
 * file is opened, naming the link type as libpcap and tcpdump name it.
 *
 * <h2>What replay writes</h2>
 *
 * <p>{@link org.ipsecemu.datapath.pcap.PcapWriter} writes pcap (never pcapng) with the input's link
 * type and its timestamps: nanosecond pcap when the input was nanosecond pcap or pcapng,
 * microsecond pcap otherwise. A frame kept as it is goes out byte for byte; a frame whose IP packet
 * was replaced is rebuilt by {@link org.ipsecemu.datapath.pcap.LinkLayer#rebuild} around the new
 * packet: same link header, 802.1Q tags kept, EtherType / SLL protocol / NULL family set to the new
 * packet's IP version, Ethernet padding and trailer dropped (as on a host's own capture of what it
 * sends: a frame below 60 bytes is not padded again).
 *
 * <h2>Choices written down</h2>
 *
 * <ul>
 *   <li>libpcap's file value for raw IP is LINKTYPE_RAW (101) whatever the input used; libpcap
 *       reads 101 back as DLT_RAW, and Wireshark shows both as "Raw IP".
 *   <li>Frames are written by libpcap's {@code pcap_dump} called directly on pcap4j's dumper
 *       ({@link org.ipsecemu.datapath.pcap.DirectDump}): ten times faster than pcap4j 1.8.2's
 *       {@code dumpRaw}, which also writes every original length equal to the captured length.
 *   <li>Frames are read by libpcap's {@code pcap_next_ex} called directly on pcap4j's handle
 *       ({@link org.ipsecemu.datapath.pcap.DirectRead}), the same frames, times and lengths as
 *       pcap4j's {@code dispatch} without a JNA callback, a {@code Timestamp} and a boxed length
 *       per frame. A damaged record's fraction of a second past 999,999,999 is carried into the
 *       seconds (the same instant), so the frame is kept.
 *   <li>NULL's family value is in the capturing host's byte order: the reader takes whichever order
 *       gives a value below 65536, as Wireshark does, and a rebuilt frame keeps that order.
 *       AF_INET6 differs among BSDs (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS): a frame turned into
 *       IPv6 gets the value the capture itself used for IPv6, else 24, which libpcap's filters and
 *       Wireshark accept on every system.
 *   <li>libpcap is looked for by {@link org.ipsecemu.datapath.pcap.Libpcap} before pcap4j loads it,
 *       so that a machine without it gets one line naming the package to install.
 * </ul>
 */
package org.ipsecemu.datapath.pcap;
