// Evaluates messages with postalsys mailauth (installed by tests/tools/install-mailauth-peer.sh) for
// MailAuth's differential test. Usage: node mailauth-peer.js DNS_PORT < cases.json > results.json
// cases.json: [{ "id", "message" (base64), "ip", "helo", "sender" }]
// results.json: [{ "id", "spf", "dkim": [{ "d", "s", "result", "comment" }], "dmarc", "policy", "arc" }] or { "id", "error" }.
// Every DNS query goes to the tests' Knot server on 127.0.0.1:DNS_PORT, never anywhere else.
'use strict';

const path = require('node:path');
const { Resolver } = require('node:dns').promises;
const { authenticate } = require(path.join(__dirname, '..', 'peers', 'node_modules', 'mailauth'));

const port = process.argv[2];
if (!port) {
    console.error('usage: mailauth-peer.js DNS_PORT < cases.json');
    process.exit(2);
}
const dns = new Resolver({ timeout: 2000, tries: 2 });
dns.setServers([`127.0.0.1:${port}`]);
const resolver = (name, rrtype) => dns.resolve(name, rrtype || 'A');

async function main() {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const results = [];
    for (const c of cases) {
        try {
            const res = await authenticate(Buffer.from(c.message, 'base64'), {
                ip: c.ip,
                helo: c.helo,
                sender: c.sender,
                mta: 'mx.mailauth.test',
                resolver,
                disableBimi: true
            });
            results.push({
                id: c.id,
                spf: res.spf ? res.spf.status.result : 'none',
                // An unsigned message gives one result without a domain: dkim=none (RFC 8601 §2.7.1).
                dkim: (res.dkim && res.dkim.results ? res.dkim.results : [])
                    .map(r => ({ d: r.signingDomain || '', s: r.selector || '', result: r.status.result, comment: r.status.comment || '' })),
                dmarc: res.dmarc ? res.dmarc.status.result : 'none',
                // the policy applied to failing mail after t=y (RFC 9989 §4.7)
                policy: res.dmarc && res.dmarc.policy ? res.dmarc.policy : '',
                arc: res.arc && res.arc.status ? res.arc.status.result : 'none'
            });
        } catch (err) {
            results.push({ id: c.id, error: String((err && err.stack) || err) });
        }
    }
    process.stdout.write(JSON.stringify(results));
}

main().catch(err => {
    console.error(err);
    process.exit(1);
});
