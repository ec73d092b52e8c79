#!/usr/bin/python3
"""The third-party captures (../shared/captures) through `ipsec-emu replay`, checked against tshark.

Run with /usr/bin/python3 (Debian's python3-scapy); tshark from Debian's tshark package.

  captures_check.py JAR CAPTURES [WORKDIR]

For every capture in CAPTURES (ipdecap/*.cap with X.cap.keys, openswan/*.pcap and tcpdump/*.pcap
with X.conf; a capture without a key file is keyless):

- replay it: `java -jar JAR replay --sa KEYS -o OUT.pcap IN` (keyless: an empty key file); the
  replay must exit 0.
- with keys: tshark decrypts the input with the same keys (`ipsec-emu keys --wireshark` writes its
  esp_sa lines; ICV checking on) and its view is compared with our output packet by packet:
    * frames are taken in input order, leaving out the IP fragments tshark reassembled in a later
      frame (our replay writes the datagram at its last fragment, as tshark shows it);
    * ESP: every ESP layer tshark decrypts must have a good ICV (when the SA has one); our packet
      must be tshark's innermost "ESP Contained Data" (tunnel mode: the inner packet; transport
      mode: our IP payload, with the IP protocol being ESP's next header); when that next header
      is IPComp (108), the contained data past the 4-byte IPComp header is inflated with Python's
      zlib (raw deflate, RFC 2394) and that must be our packet;
    * AH (tshark does not verify AH): scapy's SecurityAssociation verifies the ICV and removes
      AH; the result (tunnel mode: the inner packet) must be our packet;
    * everything else (ARP, IKE, SSH in the clear) must be written unchanged.
- keyless: the replay must exit 0 having read every frame (its statistics are printed).

Prints one PASS/FAIL line per capture (with the packets decrypted and matched) and exits 0 only
when every capture passes. Running it twice is harmless: WORKDIR (default: a temporary directory)
holds the outputs.
"""
import glob, json, os, re, subprocess, sys, tempfile, zlib

from scapy.all import AH, IP, IPv6, Ether, rdpcap
from scapy.layers.ipsec import SecurityAssociation

# setkey -A name -> scapy's name, for the AH captures
AH_ALGS = {'hmac-md5': 'HMAC-MD5-96', 'hmac-sha1': 'HMAC-SHA1-96'}
IPCOMP = 0x6c


def find_captures(root):
    """(name, capture path, key file or None) for every capture under root, sorted."""
    out = []
    for path in sorted(glob.glob(os.path.join(root, '*', '*.cap')) + glob.glob(os.path.join(root, '*', '*.pcap'))):
        keys = None
        for k in (path + '.keys', os.path.splitext(path)[0] + '.conf'):
            if os.path.exists(k):
                keys = k
        out.append((os.path.relpath(path, root), path, keys))
    return out


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def replay(jar, capture, keys, workdir, name):
    out = os.path.join(workdir, name.replace('/', '_') + '.out.pcap')
    stats = os.path.join(workdir, name.replace('/', '_') + '.json')
    if keys is None:
        keys = os.path.join(workdir, 'empty.conf')
        open(keys, 'w').close()
    res = run(['java', '-jar', jar, 'replay', '--no-progress', '--sa', keys, '-o', out, '--stats', stats,
               capture])
    return res, out, stats


def wireshark_sas(jar, keys):
    """The esp_sa lines for the key file (none when it holds no ESP SA)."""
    res = run(['java', '-jar', jar, 'keys', '--wireshark', '--sa', keys])
    return [l for l in res.stdout.splitlines() if l.strip() and not l.startswith('#')]


def tshark_rows(capture, uats):
    """One dict per frame: number, reassembled_in, spis, icv_good, next headers, contained data."""
    cmd = ['tshark', '-n', '-2', '-r', capture, '-o', 'esp.enable_encryption_decode:TRUE',
           '-o', 'esp.enable_authentication_check:TRUE']
    for u in uats:
        cmd += ['-o', 'uat:esp_sa:' + u]
    cmd += ['-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=;',
            '-e', 'frame.number', '-e', 'ip.reassembled_in', '-e', 'esp.spi', '-e', 'esp.icv_good',
            '-e', 'esp.protocol', '-e', 'esp.contained_data', '-e', 'ah.spi']
    res = run(cmd)
    if res.returncode != 0:
        raise RuntimeError('tshark failed: ' + res.stderr.strip()[:300])
    rows = []
    for line in res.stdout.splitlines():
        f = (line.split('\t') + [''] * 7)[:7]
        split = lambda s: [x for x in s.split(';') if x]
        rows.append({'number': int(f[0]), 'reassembled_in': split(f[1]), 'esp_spi': split(f[2]),
                     'icv_good': split(f[3]), 'next': split(f[4]), 'contained': split(f[5]),
                     'ah_spi': split(f[6])})
    return rows


def setkey_ah_sas(keys):
    """spi -> (src, dst, scapy algorithm, key, tunnel) of the AH SAs a setkey file adds."""
    sas = {}
    text = open(keys).read()
    for m in re.finditer(r'add\s+(\S+)\s+(\S+)\s+ah\s+(0x[0-9a-fA-F]+|\d+)\s+([^;]*);', text):
        src, dst, spi, rest = m.groups()
        a = re.search(r'-A\s+(\S+)\s+0x([0-9a-fA-F]+)', rest)
        sas[int(spi, 0)] = (src, dst, AH_ALGS[a.group(1)], bytes.fromhex(a.group(2)),
                            re.search(r'-m\s+tunnel', rest) is not None)
    return sas


def l3(p):
    if IP in p:
        return p[IP]
    if IPv6 in p:
        return p[IPv6]
    return None


def ip_header_length(b):
    return (b[0] & 0x0f) * 4 if b[0] >> 4 == 4 else 40


def expected_esp(row):
    """(what our packet must be, how to compare: 'packet' or 'payload', errors) for an ESP row."""
    errors = []
    if not row['contained']:
        return None, None, ['tshark did not decrypt it']
    for i, good in enumerate(row['icv_good']):
        if good not in ('1', 'True', 'true'):
            errors.append(f'tshark: ICV of ESP layer {i + 1} not good ({good})')
    data = bytes.fromhex(row['contained'][-1])
    nxt = int(row['next'][-1], 0) if row['next'] else -1
    if nxt == IPCOMP:
        try:
            data = zlib.decompress(data[4:], -15)
        except zlib.error as e:
            return None, None, errors + [f'zlib cannot inflate the IPComp payload: {e}']
        return data, 'packet', errors
    if nxt in (4, 41):
        return data, 'packet', errors
    return (data, nxt), 'payload', errors


def check_keyed(jar, name, capture, keys, out):
    uats = wireshark_sas(jar, keys)
    rows = tshark_rows(capture, uats)
    ah_sas = setkey_ah_sas(keys) if keys.endswith('.conf') else {}
    frames = rdpcap(capture)
    ours = rdpcap(out)
    errors = []
    # tshark shows a reassembled datagram at the frame that completed it; the fragments before it
    # say where they were reassembled, and our replay writes nothing for them.
    kept = [(r, frames[r['number'] - 1]) for r in rows
            if not (r['reassembled_in'] and str(r['number']) not in r['reassembled_in'])]
    if len(kept) != len(ours):
        errors.append(f'{len(ours)} frames out, {len(kept)} expected')
    decrypted = matched = 0
    for (row, frame), got in zip(kept, ours):
        n = row['number']
        mine = l3(got)
        if row['esp_spi']:
            decrypted += 1
            want, how, errs = expected_esp(row)
            errors += [f'frame {n}: {e}' for e in errs]
            if want is None:
                continue
            mb = bytes(mine) if mine is not None else b''
            if how == 'packet':
                ok = mb == want
            else:
                data, nxt = want
                ok = len(mb) > 20 and mb[ip_header_length(mb):] == data and (
                    mb[9] if mb[0] >> 4 == 4 else mb[6]) == nxt
            if ok:
                matched += 1
            else:
                errors.append(f'frame {n}: ours {mb.hex()[:64]}..., tshark {(want if how == "packet" else want[0]).hex()[:64]}...')
        elif row['ah_spi']:
            decrypted += 1
            spi = int(row['ah_spi'][0], 0)
            if spi not in ah_sas:
                errors.append(f'frame {n}: AH SPI 0x{spi:08x} not in the key file')
                continue
            src, dst, alg, key, tunnel = ah_sas[spi]
            sa = SecurityAssociation(AH, spi=spi, auth_algo=alg, auth_key=key,
                                     tunnel_header=IP(src=src, dst=dst) if tunnel else None)
            try:
                want = sa.decrypt(l3(frame))
            except Exception as e:
                errors.append(f'frame {n}: scapy does not verify AH: {e}')
                continue
            if bytes(want) == bytes(mine):
                matched += 1
            else:
                errors.append(f'frame {n}: ours {bytes(mine).hex()[:64]}..., scapy {bytes(want).hex()[:64]}...')
        elif bytes(got) != bytes(frame):
            errors.append(f'frame {n}: not IPsec, yet changed')
    return errors, f'{decrypted} IPsec packets with keys, {matched} decrypted as tshark/scapy show them'


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    jar, root = argv[1], argv[2]
    workdir = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix='captures-check-')
    os.makedirs(workdir, exist_ok=True)
    failures = 0
    for name, capture, keys in find_captures(root):
        res, out, stats = replay(jar, capture, keys, workdir, name)
        if res.returncode != 0:
            print(f'FAIL {name}: replay exited {res.returncode}: {res.stderr.strip()[:300]}')
            failures += 1
            continue
        s = json.load(open(stats))
        if keys is None:
            if s['packets']['read'] != len(rdpcap(capture)):
                print(f'FAIL {name} (no keys): replay read {s["packets"]["read"]} frames')
                failures += 1
                continue
            verdicts = ', '.join(f'{k} {v}' for k, v in s['inbound'].items() if v)
            print(f'PASS {name} (no keys): {s["packets"]["read"]} frames replayed without an error'
                  f' (inbound: {verdicts or "none"}; truncated {s["packets"]["truncated"]})')
            continue
        try:
            errors, summary = check_keyed(jar, name, capture, keys, out)
        except Exception as e:
            errors, summary = [f'check failed: {e!r}'], ''
        if errors:
            print(f'FAIL {name}: ' + '; '.join(errors[:3]) + (f' (+{len(errors) - 3} more)' if len(errors) > 3 else ''))
            failures += 1
        else:
            print(f'PASS {name}: {summary}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
