#!/usr/bin/python3
"""Known-answer packets with extended sequence numbers (RFC 4303 §2.2.1, RFC 4302 §3.3.3.2.2),
made by independent code for EsnKnownAnswerTest: run with /usr/bin/python3 (Debian python3-scapy).

ESP AES-CBC + HMAC-SHA2-256-128: scapy 2.5.0 encrypts (fixed IVs) but its ESP signer leaves the
ESN high bits out of the ICV, so the ICV here is HMAC-SHA-256(key, SPI..Next Header || high)[:16]
computed with Python's hashlib, as RFC 4303 §2.2.1 says. AES-GCM (AAD SPI || high || low, RFC 4106
§5) and AH (high bits appended to the ICV input) come from scapy as they are.
Prints one line per packet: name, high bits, low bits, hex of the IPv4 packet.
"""
import hashlib, hmac, struct
from scapy.all import AH, IP, UDP, Raw, raw
from scapy.layers.ipsec import ESP, SecurityAssociation

EK = bytes.fromhex('000102030405060708090a0b0c0d0e0f')
AK = bytes.fromhex('101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f')
GK = bytes.fromhex('000102030405060708090a0b0c0d0e0fcafebabe')  # AES-128 key || salt
HK = bytes.fromhex('2122232425262728292a2b2c2d2e2f3031323334')  # HMAC-SHA1 key

plain = IP(raw(IP(src='192.0.2.1', dst='192.0.2.2', id=1, ttl=64)
               / UDP(sport=1000, dport=2000) / Raw(b'ESN high bits 68')))
print('plain', 0, 0, raw(plain).hex())

cbc = SecurityAssociation(ESP, spi=0x100, crypt_algo='AES-CBC', crypt_key=EK,
                          auth_algo='SHA2-256-128', auth_key=AK)
for high, low, iv in ((68, 5, bytes(range(16))), (68, 0xffffffff, bytes(range(16, 32))),
                      (69, 2, bytes(range(32, 48)))):
    e = raw(cbc.encrypt(plain, seq_num=low, iv=iv))
    body = e[20:-16]
    icv = hmac.new(AK, body + struct.pack('!L', high), hashlib.sha256).digest()[:16]
    print('esp-aes-cbc-hmac-sha256', high, low, (e[:-16] + icv).hex())

gcm = SecurityAssociation(ESP, spi=0x200, crypt_algo='AES-GCM', crypt_key=GK,
                          auth_algo='NULL', auth_key=None, esn_en=True, esn=68)
e = raw(gcm.encrypt(plain, seq_num=5, iv=bytes(range(8)), esn_en=True, esn=68))
assert raw(gcm.decrypt(IP(e), esn_en=True, esn=68)[UDP]) == raw(plain[UDP])
print('esp-aes-gcm-16', 68, 5, e.hex())

ah = SecurityAssociation(AH, spi=0x300, auth_algo='HMAC-SHA1-96', auth_key=HK,
                         esn_en=True, esn=68)
e = ah.encrypt(plain, seq_num=5, esn_en=True, esn=68)
print('ah-hmac-sha1', 68, 5, raw(e).hex())
