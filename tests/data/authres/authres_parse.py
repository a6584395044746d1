# Reads Authentication-Results header fields (one per line) on stdin and prints, for each, python3-authres's
# reading: "authserv-id|method=result,method=result,..." or "ERROR <message>". Used by the cross-check tests.
import sys
import authres, authres.arc, authres.dkim_b, authres.dmarc, authres.dkim_adsp, authres.vbr, authres.smime, authres.rrvs

context = authres.FeatureContext(authres.arc, authres.dkim_b, authres.dmarc, authres.dkim_adsp, authres.vbr, authres.smime, authres.rrvs)
for line in sys.stdin.read().splitlines():
    if not line.strip():
        continue
    try:
        h = context.parse(line)
        print(h.authserv_id + "|" + ",".join("%s=%s" % (r.method, r.result) for r in h.results))
    except Exception as e:
        print("ERROR " + str(e).replace("\n", " "))
