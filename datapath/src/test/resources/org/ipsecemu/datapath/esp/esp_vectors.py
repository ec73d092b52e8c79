# ESP packets from scapy's own ESP (scapy.layers.ipsec) with NULL encryption, so that the
# trailer scapy writes (default padding 1, 2, 3, ..., pad length, next header) is visible.
from scapy.all import *
from scapy.layers.ipsec import SecurityAssociation, ESP
k1 = bytes.fromhex('7a60e128a82e66bb3a1f445a565214ef0646ecc2')
sa = SecurityAssociation(ESP, spi=0x1001, crypt_algo='NULL', crypt_key=None,
                         auth_algo='HMAC-SHA1-96', auth_key=k1)
p = IP(src='192.0.2.1', dst='192.0.2.2')/UDP(sport=7, dport=7)/b'hello esp'
print('esp_null_sha1', raw(sa.encrypt(p, seq_num=42)).hex())
