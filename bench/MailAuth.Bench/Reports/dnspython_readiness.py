#!/usr/bin/python3
"""The asyncio + dnspython peer of MailAuth's mail-domain-readiness benchmark.

usage: dnspython_readiness.py SERVER PORT QUESTIONS_FILE DOMAINS_FILE CONCURRENCY

QUESTIONS_FILE holds the questions MailAuth's tester asked for one domain, one "name-template TYPE" a line with
{d} for the domain (e.g. "_dmarc.{d} TXT"); the peer asks the same questions for every domain of DOMAINS_FILE, at
most CONCURRENCY at a time, joins TXT strings and reads what a readiness check reads (v=spf1, the DMARC tags, the
DKIM key tags, MX exchanges). Prints one JSON line: domains per second, CPU seconds, questions asked.
"""
import asyncio
import json
import sys
import time

import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver


def read_answer(rrtype, answer):
    if rrtype == 'TXT':
        texts = [b''.join(r.strings).decode('utf-8', 'replace') for r in answer]
        for text in texts:
            if text.startswith('v=spf1'):
                return ('spf', text.split())
            if text.startswith('v=DMARC1'):
                return ('dmarc', dict(t.strip().split('=', 1) for t in text.split(';') if '=' in t))
            if 'p=' in text:
                return ('dkim', dict(t.strip().split('=', 1) for t in text.split(';') if '=' in t))
        return ('txt', texts)
    if rrtype == 'MX':
        return ('mx', sorted((r.preference, r.exchange.to_text()) for r in answer))
    return (rrtype, [r.to_text() for r in answer])


async def main():
    server, port, questions_file, domains_file, concurrency = sys.argv[1:6]
    questions = [line.split() for line in open(questions_file) if line.strip()]
    domains = [line.strip() for line in open(domains_file) if line.strip()]
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = int(port)
    resolver.lifetime = 4
    resolver.timeout = 2
    resolver.cache = None
    limit = asyncio.Semaphore(int(concurrency))
    asked = 0

    async def ask(name, rrtype):
        nonlocal asked
        asked += 1
        try:
            return read_answer(rrtype, await resolver.resolve(name, rrtype, raise_on_no_answer=False))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException as e:
            return ('error', str(e))

    async def check(domain):
        async with limit:
            return await asyncio.gather(*(ask(template.replace('{d}', domain), rrtype) for template, rrtype in questions))

    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(check(d) for d in domains))
    seconds = time.perf_counter() - start
    print(json.dumps({'domains_per_second': len(domains) / seconds, 'cpu_seconds': time.process_time() - cpu, 'questions': asked}))


asyncio.run(main())
