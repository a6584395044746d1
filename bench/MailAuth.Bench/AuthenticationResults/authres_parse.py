# Peer side of the authres-parse benchmark: python3-authres parsing the same headers, timing its own loop.
# usage: /usr/bin/python3 authres_parse.py HEADERS_FILE ROUNDS   (one header field per line)
import sys, time
import authres, authres.arc, authres.dkim_b, authres.dmarc, authres.dkim_adsp, authres.vbr, authres.smime, authres.rrvs

context = authres.FeatureContext(authres.arc, authres.dkim_b, authres.dmarc, authres.dkim_adsp, authres.vbr, authres.smime, authres.rrvs)
headers = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
rounds = int(sys.argv[2])
for h in headers:
    context.parse(h)  # warm up, and fail loudly on a header authres cannot read
start = time.perf_counter()
count = 0
for _ in range(rounds):
    for h in headers:
        context.parse(h)
        count += 1
elapsed = time.perf_counter() - start
print(f"{count} {elapsed:.6f}")
