#!/usr/bin/python3
"""Independent oracles for ipsec-emu: scapy's ESP/AH (scapy.layers.ipsec) and tshark's ESP decryption.

Run with /usr/bin/python3 (Debian's python3-scapy); tshark from Debian's tshark package.

  oracle.py make-cases OUTDIR        one folder per case: plain.pcap (cleartext), sa.conf
                                     (setkey syntax: the SA and an outbound policy),
                                     in.pcap (the same packets protected by scapy), case.json
  oracle.py check-outbound CASE OUT  OUT (our outbound output) must decrypt and verify in scapy
                                     (ESP and AH) and in tshark (ESP) back to plain.pcap
  oracle.py check-inbound CASE OUT   OUT (our inbound output from in.pcap) must equal plain.pcap
  oracle.py check-outbound-all ROOT NAME
                                     check-outbound for every case folder in ROOT, OUT being
                                     ROOT/CASE/NAME (one scapy start-up for all cases)
  oracle.py check-inbound-all ROOT NAME
                                     check-inbound for every case folder in ROOT, likewise

Each check prints one PASS/FAIL line (per case) and exits 0 only when every case passes.
"""
import json, os, random, subprocess, sys

from scapy.all import AH, ESP, IP, UDP, TCP, ICMP, IPv6, ICMPv6EchoRequest, Ether, Raw, rdpcap, wrpcap
from scapy.layers.ipsec import SecurityAssociation

# name in setkey -> (scapy name, key bytes, tshark UAT name)
ENC = {
    'des-cbc': ('DES', 8, 'DES-CBC [RFC2405]'),
    '3des-cbc': ('3DES', 24, 'TripleDES-CBC [RFC2451]'),
    'null': ('NULL', 0, 'NULL'),
    'aes-cbc-128': ('AES-CBC', 16, 'AES-CBC [RFC3602]'),
    'aes-cbc-192': ('AES-CBC', 24, 'AES-CBC [RFC3602]'),
    'aes-cbc-256': ('AES-CBC', 32, 'AES-CBC [RFC3602]'),
    'aes-gcm-16': ('AES-GCM', 20, 'AES-GCM with 16 octet ICV [RFC4106]'),
}
AUTH = {
    'hmac-md5': ('HMAC-MD5-96', 16, 'HMAC-MD5-96 [RFC2403]'),
    'hmac-sha1': ('HMAC-SHA1-96', 20, 'HMAC-SHA-1-96 [RFC2404]'),
    'hmac-sha256': ('SHA2-256-128', 32, 'HMAC-SHA-256-128 [RFC4868]'),
    None: ('NULL', 0, 'NULL'),
}
ESP_PAIRS = [('des-cbc', 'hmac-md5'), ('3des-cbc', 'hmac-sha1'), ('3des-cbc', 'hmac-md5'),
             ('null', 'hmac-sha1'), ('null', 'hmac-md5'), ('aes-cbc-128', 'hmac-sha1'),
             ('aes-cbc-192', 'hmac-sha1'), ('aes-cbc-256', 'hmac-sha256'), ('des-cbc', 'hmac-sha1'),
             ('3des-cbc', None), ('aes-gcm-16', None)]
AH_ALGS = ['hmac-md5', 'hmac-sha1', 'hmac-sha256']

WEAK_DES = {bytes.fromhex(h) for h in (
    '0101010101010101 fefefefefefefefe e0e0e0e0f1f1f1f1 1f1f1f1f0e0e0e0e '
    '011f011f010e010e 1f011f010e010e01 01e001e001f101f1 e001e001f101f101 '
    '01fe01fe01fe01fe fe01fe01fe01fe01 1fe01fe00ef10ef1 e01fe01ff10ef10e '
    '1ffe1ffe0efe0efe fe1ffe1ffe0efe0e e0fee0fef1fef1fe fee0fee0fef1fef1').split()}


def odd_parity(b):
    return bytes((x & 0xFE) | (bin(x & 0xFE).count('1') % 2 == 0) for x in b)


def key_for(name, n, rnd):
    k = bytes(rnd.getrandbits(8) for _ in range(n))
    if name in ('des-cbc', '3des-cbc'):
        k = odd_parity(k)
        parts = [k[i:i + 8] for i in range(0, n, 8)]
        if any(p in WEAK_DES for p in parts) or len(set(parts)) != len(parts):
            return key_for(name, n, rnd)
    return k


def setkey_enc(name):
    return 'aes-cbc' if name.startswith('aes-cbc') else name


def traffic(family, src, dst, rnd):
    """A few packets of each kind, sizes spread so that padding takes every length.

    Ports have no Wireshark dissector, so tshark's ESP dissection is never cut short by a
    payload dissector failing on random bytes (it then skips the ICV check)."""
    L3 = (lambda **kw: IP(src=src, dst=dst, ttl=64, id=rnd.getrandbits(16), **kw)) if family == 4 \
        else (lambda **kw: IPv6(src=src, dst=dst, hlim=64, **kw))
    echo = ICMP(type=8, id=7) if family == 4 else ICMPv6EchoRequest(id=7)
    pkts = []
    for i in range(24):
        payload = bytes(rnd.getrandbits(8) for _ in range([0, 1, 7, 15, 16, 17, 100, 1200][i % 8]))
        kind = i % 3
        if kind == 0:
            p = L3() / UDP(sport=50000 + i, dport=50999) / Raw(payload)
        elif kind == 1:
            p = L3() / TCP(sport=50000, dport=50998, flags='PA', seq=i) / Raw(payload)
        else:
            p = L3() / echo / Raw(payload)
        pkts.append(IP(bytes(p)) if family == 4 else IPv6(bytes(p)))
    return pkts


def make_cases(outdir):
    rnd = random.Random(4303)
    cases = []
    for family in (4, 6):
        for mode in ('transport', 'tunnel'):
            for enc, auth in ESP_PAIRS:
                cases.append(('esp', enc, auth, mode, family))
            for auth in AH_ALGS:
                cases.append(('ah', None, auth, mode, family))
    for proto, enc, auth, mode, family in cases:
        name = f"{proto}-{enc + '-' if enc else ''}{auth or 'noauth'}-{mode}-v{family}"
        d = os.path.join(outdir, name)
        os.makedirs(d, exist_ok=True)
        if family == 4:
            gw_a, gw_b, h_a, h_b = '192.0.2.1', '192.0.2.2', '10.1.0.1', '10.2.0.1'
        else:
            gw_a, gw_b, h_a, h_b = '2001:db8::1', '2001:db8::2', '2001:db8:1::1', '2001:db8:2::1'
        src, dst = (gw_a, gw_b) if mode == 'transport' else (h_a, h_b)
        spi = 0x1000 + len(os.listdir(outdir))
        ekey = key_for(enc, ENC[enc][1], rnd) if enc else b''
        akey = key_for(auth, AUTH[auth][1], rnd) if auth else b''
        tunnel = None
        if mode == 'tunnel':
            tunnel = IP(src=gw_a, dst=gw_b) if family == 4 else IPv6(src=gw_a, dst=gw_b)
        if proto == 'esp':
            sa = SecurityAssociation(ESP, spi=spi, crypt_algo=ENC[enc][0], crypt_key=ekey,
                                     auth_algo=AUTH[auth][0], auth_key=akey or None, tunnel_header=tunnel)
        else:
            sa = SecurityAssociation(AH, spi=spi, auth_algo=AUTH[auth][0], auth_key=akey, tunnel_header=tunnel)
        plain = traffic(family, src, dst, rnd)
        eth = lambda p: Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / p
        wrpcap(os.path.join(d, 'plain.pcap'), [eth(p) for p in plain])
        reparse = IP if mode == 'transport' and family == 4 or mode == 'tunnel' and family == 4 else IPv6
        wrpcap(os.path.join(d, 'in.pcap'), [eth(reparse(bytes(sa.encrypt(p)))) for p in plain])
        line = f"add {gw_a} {gw_b} {proto} 0x{spi:x} -m {mode} -r 64"
        if proto == 'esp':
            line += f" -E {setkey_enc(enc)}" + (f" 0x{ekey.hex()}" if ekey else '')
        if auth:
            line += f" -A {auth} 0x{akey.hex()}"
        pol = f"{src} {dst} any -P out ipsec {proto}/{mode}/" + (f"{gw_a}-{gw_b}" if mode == 'tunnel' else '') + "/require"
        with open(os.path.join(d, 'sa.conf'), 'w') as f:
            f.write(f"# made by oracle.py make-cases: scapy {proto.upper()} {enc or ''} {auth or ''} {mode} IPv{family}\n")
            f.write(line + ";\n")
            f.write(f"spdadd {pol};\n")
        meta = dict(proto=proto, enc=enc, auth=auth, mode=mode, family=family, spi=spi,
                    gw=[gw_a, gw_b], ekey=ekey.hex(), akey=akey.hex())
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump(meta, f, indent=1)
    print(f'{len(cases)} cases in {outdir}')


def l3(p):
    if IP in p:
        return p[IP]
    if IPv6 in p:
        return p[IPv6]
    raw = bytes(p)
    return IP(raw) if raw and raw[0] >> 4 == 4 else IPv6(raw)


def load(case):
    meta = json.load(open(os.path.join(case, 'case.json')))
    tunnel = None
    if meta['mode'] == 'tunnel':
        a, b = meta['gw']
        tunnel = IP(src=a, dst=b) if meta['family'] == 4 else IPv6(src=a, dst=b)
    ek, ak = bytes.fromhex(meta['ekey']), bytes.fromhex(meta['akey'])
    if meta['proto'] == 'esp':
        sa = SecurityAssociation(ESP, spi=meta['spi'], crypt_algo=ENC[meta['enc']][0], crypt_key=ek,
                                 auth_algo=AUTH[meta['auth']][0], auth_key=ak or None, tunnel_header=tunnel)
    else:
        sa = SecurityAssociation(AH, spi=meta['spi'], auth_algo=AUTH[meta['auth']][0], auth_key=ak,
                                 tunnel_header=tunnel)
    plain = [l3(p) for p in rdpcap(os.path.join(case, 'plain.pcap'))]
    return meta, sa, plain


def same_packet(a, b):
    """Equal as IP packets: for AH and transport mode the header is rebuilt, so compare what a receiver sees."""
    a, b = bytes(a), bytes(b)
    return a == b


def tshark_check(meta, out):
    if meta['proto'] != 'esp':
        return []  # tshark does not verify AH ICVs
    fam = 'IPv4' if meta['family'] == 4 else 'IPv6'
    a, b = meta['gw']
    uat = '"%s","%s","%s","0x%08x","%s","0x%s","%s","0x%s"' % (
        fam, a, b, meta['spi'], ENC[meta['enc']][2], meta['ekey'], AUTH[meta['auth']][2], meta['akey'])
    cmd = ['tshark', '-n', '-r', out, '-o', 'esp.enable_encryption_decode:TRUE',
           '-o', 'esp.enable_authentication_check:TRUE', '-o', f'uat:esp_sa:{uat}',
           '-T', 'fields', '-E', 'separator=|', '-e', 'esp.icv_good', '-e', 'esp.contained_data']
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return [f'tshark failed: {res.stderr.strip()[:200]}']
    rows = [r for r in res.stdout.splitlines() if r]
    errors = []
    for i, r in enumerate(rows):
        good, data = (r.split('|') + [''])[:2]
        if meta['auth'] and good != '1' and good.lower() != 'true':
            errors.append(f'tshark: packet {i} ICV not good ({good!r})')
        if not data and meta['enc'] != 'null':
            errors.append(f'tshark: packet {i} not decrypted')
    return errors


def check_outbound(case, out):
    meta, sa, plain = load(case)
    got = [l3(p) for p in rdpcap(out)]
    errors = []
    if len(got) != len(plain):
        errors.append(f'{len(got)} packets out, {len(plain)} expected')
    for i, (g, p) in enumerate(zip(got, plain)):
        try:
            d = sa.decrypt(g)
        except Exception as e:
            errors.append(f'scapy: packet {i} does not decrypt/verify: {e}')
            continue
        if not same_packet(d, p):
            errors.append(f'scapy: packet {i} decrypts to {bytes(d).hex()[:80]}..., expected {bytes(p).hex()[:80]}...')
    errors += tshark_check(meta, out)
    return report(case, errors, len(got))


def check_inbound(case, out):
    meta, sa, plain = load(case)
    got = [l3(p) for p in rdpcap(out)]
    errors = []
    if len(got) != len(plain):
        errors.append(f'{len(got)} packets out, {len(plain)} expected')
    for i, (g, p) in enumerate(zip(got, plain)):
        if not same_packet(g, p):
            errors.append(f'packet {i}: {bytes(g).hex()[:80]}..., expected {bytes(p).hex()[:80]}...')
    return report(case, errors, len(got))


def report(case, errors, n):
    name = os.path.basename(case.rstrip('/'))
    if errors:
        print(f'FAIL {name}: ' + '; '.join(errors[:3]) + (f' (+{len(errors) - 3} more)' if len(errors) > 3 else ''))
        return 1
    print(f'PASS {name}: {n} packets')
    return 0


if __name__ == '__main__':
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'make-cases' and len(sys.argv) == 3:
        make_cases(sys.argv[2])
    elif cmd == 'check-outbound' and len(sys.argv) == 4:
        sys.exit(check_outbound(sys.argv[2], sys.argv[3]))
    elif cmd == 'check-inbound' and len(sys.argv) == 4:
        sys.exit(check_inbound(sys.argv[2], sys.argv[3]))
    elif cmd in ('check-outbound-all', 'check-inbound-all') and len(sys.argv) == 4:
        root, name = sys.argv[2], sys.argv[3]
        check = check_outbound if cmd == 'check-outbound-all' else check_inbound
        cases = sorted(c for c in os.listdir(root) if os.path.isfile(os.path.join(root, c, 'case.json')))
        failed = sum(check(os.path.join(root, c), os.path.join(root, c, name)) for c in cases)
        print(f'{len(cases) - failed} of {len(cases)} cases pass')
        sys.exit(1 if failed or not cases else 0)
    else:
        print(__doc__)
        sys.exit(2)
