// The whole verdict of a message (SPF, DKIM, DMARC, ARC) with postalsys mailauth, for MailAuth's verdict benchmark.
// Usage: node mailauth_verdict_loop.js MAILAUTH_DIR CASES_JSON SECONDS knot PORT [RECORD_JSON]
//        node mailauth_verdict_loop.js MAILAUTH_DIR CASES_JSON SECONDS memory ANSWERS_JSON
// CASES_JSON: [{ "id", "message" (base64), "ip", "helo", "sender" }]. "knot": every DNS question goes to the Knot
// server on 127.0.0.1:PORT through Node's own resolver (RECORD_JSON, when given, receives every answer seen, for the
// memory mode). "memory": answers come from ANSWERS_JSON, a map of "name|TYPE" to {ok: value} or {error: code}.
// Nothing is cached across messages. Prints one JSON line: messages per second, CPU microseconds per message, DNS
// questions per message and the verdicts of the first pass.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Resolver } = require('node:dns').promises;

const [dir, casesPath, secondsText, mode, arg, recordPath] = process.argv.slice(2);
const { authenticate } = require(path.join(dir, 'mailauth'));
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8')).map(c => ({ ...c, bytes: Buffer.from(c.message, 'base64') }));
const seconds = Number(secondsText);

let questions = 0;
let resolver;
const recorded = {};
if (mode === 'knot') {
    const dns = new Resolver({ timeout: 2000, tries: 2 });
    dns.setServers([`127.0.0.1:${arg}`]);
    resolver = async (name, rrtype) => {
        questions++;
        const key = `${name.toLowerCase().replace(/\.$/, '')}|${rrtype || 'A'}`;
        try {
            const value = await dns.resolve(name, rrtype || 'A');
            if (recordPath) recorded[key] = { ok: value };
            return value;
        } catch (err) {
            if (recordPath) recorded[key] = { error: err.code };
            throw err;
        }
    };
} else if (mode === 'memory') {
    const answers = JSON.parse(fs.readFileSync(arg, 'utf8'));
    resolver = async (name, rrtype) => {
        questions++;
        const answer = answers[`${name.toLowerCase().replace(/\.$/, '')}|${rrtype || 'A'}`];
        if (!answer) throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
        if (answer.error) throw Object.assign(new Error(`${answer.error} ${name}`), { code: answer.error });
        return answer.ok;
    };
} else {
    throw new Error(`unknown mode ${mode}`);
}

async function verdict(c) {
    const res = await authenticate(c.bytes, { ip: c.ip, helo: c.helo, sender: c.sender, mta: 'mx.bench.test', resolver, disableBimi: true });
    return {
        id: c.id,
        spf: res.spf ? res.spf.status.result : 'none',
        dkim: (res.dkim && res.dkim.results ? res.dkim.results : []).map(r => r.status.result).join(','),
        dmarc: res.dmarc ? res.dmarc.status.result : 'none',
        arc: res.arc && res.arc.status ? res.arc.status.result : 'none'
    };
}

async function main() {
    const verdicts = [];
    for (const c of cases) verdicts.push(await verdict(c));
    if (recordPath) fs.writeFileSync(recordPath, JSON.stringify(recorded));
    // Warm up as long as MailAuth's side does, then measure.
    let end = Date.now() + 2000;
    while (Date.now() < end) for (const c of cases) await verdict(c);
    questions = 0;
    let messages = 0;
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
        for (const c of cases) await verdict(c);
        messages += cases.length;
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(JSON.stringify({
        messages_per_second: messages / elapsed,
        cpu_microseconds_per_message: (cpu.user + cpu.system) / messages,
        dns_questions_per_message: questions / messages,
        verdicts
    }) + '\n');
}

main().catch(err => { console.error(err); process.exit(1); });
