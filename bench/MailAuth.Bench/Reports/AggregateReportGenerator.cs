using System;
using System.IO;
using System.Text;

namespace MailAuth.Bench.Reports;

/// <summary>
/// Writes one RFC 7489 aggregate report of about the requested size: a Google-style header and
/// records cycling through aligned mail, an ESP without custom MAIL FROM, forwarding and spoofing,
/// with distinct source addresses and counts.
/// </summary>
internal static class AggregateReportGenerator
{
    public static void Write(string path, long targetBytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new StreamWriter(file, new UTF8Encoding(false), 1 << 20);
        w.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n  <version>1.0</version>\n  <report_metadata>\n    <org_name>google.com</org_name>\n"
            + "    <email>noreply-dmarc-support@google.com</email>\n    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>\n"
            + "    <report_id>bench-1700006400</report_id>\n    <date_range>\n      <begin>1700006400</begin>\n      <end>1700092799</end>\n    </date_range>\n  </report_metadata>\n"
            + "  <policy_published>\n    <domain>example.com</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n    <p>none</p>\n    <sp>none</sp>\n    <pct>100</pct>\n    <np>none</np>\n  </policy_published>\n");
        var sb = new StringBuilder(2048);
        long written = 0;
        for (long i = 0; written < targetBytes; i++)
        {
            sb.Clear();
            string ip = (i % 7 == 3) ? $"2001:db8:{(i >> 16) & 0xffff:x}:{i & 0xffff:x}::25" : $"{10 + (i >> 24) % 200}.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";
            long count = 1 + (i * 7919) % 500;
            switch (i % 4)
            {
                case 0: Record(sb, ip, count, "none", "pass", "pass", "example.com", "example.com", new[] { ("example.com", "mail2024", "pass") }, ("example.com", "pass")); break;
                case 1: Record(sb, ip, count, "none", "pass", "fail", "example.com", null, new[] { ("example.com", "ug7nbtf4gccmlpwj322ax3p6ow6yfsug", "pass"), ("amazonses.com", "224i4yxa5dv7c2xz3womw6peuasteono", "pass") }, ("ap-northeast-1.amazonses.com", "pass")); break;
                case 2: Record(sb, ip, count, "none", "fail", "fail", "example.com", "lists.example.org", new[] { ("example.com", "mail2024", "fail") }, ("lists.example.org", "pass"), "forwarded"); break;
                default: Record(sb, ip, count, "quarantine", "fail", "fail", "example.com", "example.com", Array.Empty<(string, string, string)>(), ("example.com", "softfail")); break;
            }
            w.Write(sb);
            written += sb.Length;
        }
        w.Write("</feedback>\n");
    }

    private static void Record(StringBuilder sb, string ip, long count, string disposition, string dkim, string spf, string headerFrom, string envelopeFrom,
        (string Domain, string Selector, string Result)[] dkims, (string Domain, string Result) spfResult, string reason = null)
    {
        sb.Append("  <record>\n    <row>\n      <source_ip>").Append(ip).Append("</source_ip>\n      <count>").Append(count).Append("</count>\n")
          .Append("      <policy_evaluated>\n        <disposition>").Append(disposition).Append("</disposition>\n        <dkim>").Append(dkim)
          .Append("</dkim>\n        <spf>").Append(spf).Append("</spf>\n");
        if (reason != null) sb.Append("        <reason>\n          <type>").Append(reason).Append("</type>\n        </reason>\n");
        sb.Append("      </policy_evaluated>\n    </row>\n    <identifiers>\n");
        if (envelopeFrom != null) sb.Append("      <envelope_from>").Append(envelopeFrom).Append("</envelope_from>\n");
        sb.Append("      <header_from>").Append(headerFrom).Append("</header_from>\n    </identifiers>\n    <auth_results>\n");
        foreach (var d in dkims)
            sb.Append("      <dkim>\n        <domain>").Append(d.Domain).Append("</domain>\n        <result>").Append(d.Result)
              .Append("</result>\n        <selector>").Append(d.Selector).Append("</selector>\n      </dkim>\n");
        sb.Append("      <spf>\n        <domain>").Append(spfResult.Domain).Append("</domain>\n        <scope>mfrom</scope>\n        <result>").Append(spfResult.Result)
          .Append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
    }
}
