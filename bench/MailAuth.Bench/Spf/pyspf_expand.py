"""pyspf side of the spf-expand benchmark.

pyspf (Debian python3-spf, DNS through dnspython) evaluates the same records against the same Knot
server on loopback: check() for a client address that no term matches, so every include, a and mx
is resolved, with a fresh query object (and so an empty DNS cache) each time.
usage: pyspf_expand.py <port> <seconds> <domain>...
Prints one JSON line: expansions per second.
"""
import json
import sys
import time

import dns.resolver
import spf

port, seconds, domains = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ['127.0.0.1']
resolver.port = port
resolver.cache = None
dns.resolver.default_resolver = resolver

results = {d: spf.query('100.64.0.1', 'x@' + d, 'bench.example', querytime=0).check()[0] for d in domains}
count = 0
start = time.perf_counter()
while True:
    for d in domains:
        spf.query('100.64.0.1', 'x@' + d, 'bench.example', querytime=0).check()
    count += len(domains)
    elapsed = time.perf_counter() - start
    if elapsed >= seconds:
        break
print(json.dumps({'per_second': count / elapsed, 'results': results}))
