#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) as an independent DKIM/ARC implementation for MailAuth's tests.

sign:       dkimpy_tool.py sign KEY SELECTOR DOMAIN HEADERCANON/BODYCANON ALGO [--length] [--identity I] [--headers a:b]  < msg > signed
verify:     dkimpy_tool.py verify SERVER:PORT < msg      -> one line per DKIM-Signature: "<index> pass|fail"
sign-batch: dkimpy_tool.py sign-batch < JSON list of {in, out, key, selector, domain, canon, algo, length}
verify-batch: dkimpy_tool.py verify-batch SERVER:PORT < file paths, one a line -> "<path> <index> pass|fail" lines
arc-sign:   dkimpy_tool.py arc-sign KEY SELECTOR DOMAIN SRVID SERVER:PORT [--headers a:b] < msg > sealed
arc-verify: dkimpy_tool.py arc-verify SERVER:PORT < msg  -> "<cv> <reason>" (cv "terminated" when a sealer said cv=fail)
body-hash:  dkimpy_tool.py body-hash simple|relaxed < bodies in base64 ("-" for empty), one a line -> SHA-256 of each canonicalized body, hex
Keys are fetched over DNS from the given server (the tests' Knot instance).
"""
import sys
import dkim
import dns.resolver


def dnsfunc_for(server):
    host, port = server.rsplit(':', 1)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode()
        try:
            answer = resolver.resolve(name, 'TXT', lifetime=timeout)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        for rr in answer:
            return b''.join(rr.strings)
        return None
    return dnsfunc


def read_key(path):
    with open(path, 'rb') as f:
        return f.read().strip()


def verdicts(message, dnsfunc):
    d = dkim.DKIM(message, minkey=1024)
    count = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
    for i in range(count):
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
        except dkim.DKIMException:
            ok = False
        yield i, 'pass' if ok else 'fail'


def main(argv):
    message = sys.stdin.buffer.read()
    cmd = argv[1]
    if cmd == 'sign-batch':
        import json
        for job in json.loads(message):
            with open(job['in'], 'rb') as f:
                data = f.read()
            header_c, body_c = job['canon'].split('/')
            sig = dkim.sign(data, job['selector'].encode(), job['domain'].encode(), read_key(job['key']),
                            canonicalize=(header_c.encode(), body_c.encode()),
                            signature_algorithm=job['algo'].encode(), length=job.get('length', False),
                            include_headers=[b'from', b'to', b'subject', b'date', b'x-mixed-case'])
            with open(job['out'], 'wb') as f:
                f.write(sig + data)
    elif cmd == 'verify-batch':
        dnsfunc = dnsfunc_for(argv[2])
        for path in message.decode().split('\n'):
            if not path.strip():
                continue
            with open(path.strip(), 'rb') as f:
                for i, verdict in verdicts(f.read(), dnsfunc):
                    print(path.strip(), i, verdict)
    elif cmd == 'sign':
        key, selector, domain, canon, algo = argv[2:7]
        rest = argv[7:]
        header_c, body_c = canon.split('/')
        identity = rest[rest.index('--identity') + 1].encode() if '--identity' in rest else None
        headers = [h.encode() for h in rest[rest.index('--headers') + 1].split(':')] if '--headers' in rest else None
        sig = dkim.sign(message, selector.encode(), domain.encode(), read_key(key),
                        identity=identity, canonicalize=(header_c.encode(), body_c.encode()),
                        signature_algorithm=algo.encode(), include_headers=headers,
                        length='--length' in rest)
        sys.stdout.buffer.write(sig + message)
    elif cmd == 'verify':
        dnsfunc = dnsfunc_for(argv[2])
        for i, verdict in verdicts(message, dnsfunc):
            print(i, verdict)
    elif cmd == 'arc-sign':
        key, selector, domain, srvid, server = argv[2:7]
        rest = argv[7:]
        headers = [h.encode() for h in rest[rest.index('--headers') + 1].split(':')] if '--headers' in rest \
            else [b'from', b'to', b'subject', b'date', b'message-id']
        dnsfunc = dnsfunc_for(server)
        # dkimpy verifies the incoming chain itself to compute cv=
        lines = dkim.arc_sign(message, selector.encode(), domain.encode(), read_key(key), srvid.encode(),
                              include_headers=headers)
        sys.stdout.buffer.write(b''.join(lines) + message)
    elif cmd == 'arc-verify':
        dnsfunc = dnsfunc_for(argv[2])
        cv, results, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
        # dkimpy gives no cv (None) for a chain whose latest sealer said cv=fail: "the chain is terminated"
        print(cv.decode() if cv is not None else 'terminated', reason)
    elif cmd == 'body-hash':
        import base64
        import hashlib
        from dkim.canonicalization import Relaxed, Simple
        algorithm = Relaxed if argv[2] == 'relaxed' else Simple
        for line in message.decode().splitlines():
            body = b'' if line == '-' else base64.b64decode(line)
            print(hashlib.sha256(algorithm.canonicalize_body(body)).hexdigest())
    else:
        raise SystemExit('unknown command ' + cmd)


if __name__ == '__main__':
    main(sys.argv)
