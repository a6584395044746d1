#!/usr/bin/env python3
"""Writes the report sets of this folder (run from anywhere; the XML files are checked in, this is how they were made).

Each set is a folder of weekly aggregate reports in the RFC 9990 shape for example.com, one per reporter and week.
Addresses are documentation ranges (RFC 5737); their PTR names are in tests/data/zones/0.203.in-addr.arpa.zone.
"""
import os
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
START = 1761955200  # 2025-11-01T00:00:00Z
WEEK = 7 * 86400

# (source_ip, count, dkim aligned, spf aligned, auth results [(kind, domain, result)], reasons [(type, comment)], envelope_from)
OWN = ("203.0.113.20", 40, "pass", "pass", [("dkim", "example.com", "pass"), ("spf", "example.com", "pass")], [], "example.com")
OWN_SPF_ONLY = ("203.0.113.20", 40, "fail", "pass", [("spf", "example.com", "pass")], [], "example.com")
SES_TOKYO_A = ("203.0.113.10", 60, "pass", "pass", [("dkim", "example.com", "pass"), ("dkim", "amazonses.com", "pass"), ("spf", "mail.example.com", "pass")], [], "mail.example.com")
SES_TOKYO_B = ("203.0.113.11", 40, "pass", "pass", [("dkim", "example.com", "pass"), ("dkim", "amazonses.com", "pass"), ("spf", "mail.example.com", "pass")], [], "mail.example.com")
FORWARDED = ("192.0.2.50", 3, "fail", "fail", [("dkim", "example.com", "fail"), ("spf", "lists.example.org", "pass")], [("forwarded", "")], "lists.example.org")
SPOOF = ("198.51.100.7", 5, "fail", "fail", [("spf", "example.com", "fail")], [], "example.com")
SES_VIRGINIA_UNALIGNED = ("203.0.113.31", 25, "fail", "fail", [("dkim", "amazonses.com", "pass"), ("spf", "amazonses.com", "pass")], [], "amazonses.com")
SES_VIRGINIA_FIXED = ("203.0.113.31", 25, "pass", "pass", [("dkim", "example.com", "pass"), ("dkim", "amazonses.com", "pass"), ("spf", "mail.example.com", "pass")], [], "mail.example.com")
GOOGLE_NO_DKIM = ("203.0.113.40", 12, "fail", "pass", [("spf", "example.com", "pass")], [("local_policy", "Sender requirement failed: 550-5.7.30")], "example.com")

SETS = {
    # Every source of example.com aligned by DKIM, 35 days at p=none: Ready for p=quarantine; t=y.
    "ready": dict(weeks=5, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B, FORWARDED], spoof_week=2),
    # The domain's own server passes by SPF alone: FixFirst (forwarding would break it).
    "spf-only": dict(weeks=5, sources=[OWN_SPF_ONLY, SES_TOKYO_A, SES_TOKYO_B]),
    # An SES account in us-east-1 with neither custom MAIL FROM nor Easy DKIM for example.com: FixFirst.
    "unaligned-esp": dict(weeks=5, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B, SES_VIRGINIA_UNALIGNED]),
    # The five weeks after that account was fixed: Ready.
    "esp-fixed": dict(weeks=5, first_week=5, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B, SES_VIRGINIA_FIXED]),
    # One clean week: NotEnoughEvidence.
    "too-few-days": dict(weeks=1, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B]),
    # Gmail says one source sends unsigned mail (550-5.7.30): FixFirst.
    "google-5.7.30": dict(weeks=5, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B, GOOGLE_NO_DKIM]),
    # 35 clean days at p=quarantine; t=y: Ready for p=quarantine.
    "quarantine-test": dict(weeks=5, sources=[OWN, SES_TOKYO_A, SES_TOKYO_B], p="quarantine", testing=True),
}


def record(source):
    ip, count, dkim, spf, auth, reasons, envelope_from = source
    disposition = "none"
    lines = ["  <record>", "    <row>", f"      <source_ip>{ip}</source_ip>", f"      <count>{count}</count>", "      <policy_evaluated>",
             f"        <disposition>{disposition}</disposition>", f"        <dkim>{dkim}</dkim>", f"        <spf>{spf}</spf>"]
    for kind, comment in reasons:
        lines += ["        <reason>", f"          <type>{kind}</type>"] + ([f"          <comment>{escape(comment)}</comment>"] if comment else []) + ["        </reason>"]
    lines += ["      </policy_evaluated>", "    </row>", "    <identifiers>", f"      <envelope_from>{envelope_from}</envelope_from>",
              "      <header_from>example.com</header_from>", "    </identifiers>", "    <auth_results>"]
    for kind, domain, result in auth:
        if kind == "dkim":
            selector = "s1" if domain == "example.com" else "224i4yxa5dv7c2xz3womw6peuasteono"
            lines += ["      <dkim>", f"        <domain>{domain}</domain>", f"        <selector>{selector}</selector>", f"        <result>{result}</result>", "      </dkim>"]
    for kind, domain, result in auth:
        if kind == "spf":
            lines += ["      <spf>", f"        <domain>{domain}</domain>", "        <scope>mfrom</scope>", f"        <result>{result}</result>", "      </spf>"]
    lines += ["    </auth_results>", "  </record>"]
    return lines


def report(name, week, sources, p, testing):
    begin = START + week * WEEK
    end = begin + WEEK - 1
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">', "  <version>1.0</version>",
             "  <report_metadata>", "    <org_name>google.com</org_name>", "    <email>noreply-dmarc-support@google.com</email>",
             f"    <report_id>rollout-{name}-{begin}</report_id>", "    <date_range>", f"      <begin>{begin}</begin>", f"      <end>{end}</end>",
             "    </date_range>", "  </report_metadata>", "  <policy_published>", "    <domain>example.com</domain>",
             "    <discovery_method>treewalk</discovery_method>", "    <adkim>r</adkim>", "    <aspf>r</aspf>", f"    <p>{p}</p>",
             "    <sp>none</sp>", "    <np>none</np>"] + (["    <testing>y</testing>"] if testing else []) + ["  </policy_published>"]
    for s in sources:
        lines += record(s)
    lines.append("</feedback>")
    return begin, end, "\n".join(lines) + "\n"


for name, spec in SETS.items():
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    first = spec.get("first_week", 0)
    for week in range(first, first + spec["weeks"]):
        sources = list(spec["sources"])
        if spec.get("spoof_week") == week:
            sources.append(SPOOF)
        begin, end, text = report(name, week, sources, spec.get("p", "none"), spec.get("testing", False))
        with open(os.path.join(folder, f"google.com!example.com!{begin}!{end}.xml"), "w", encoding="utf-8") as f:
            f.write(text)
