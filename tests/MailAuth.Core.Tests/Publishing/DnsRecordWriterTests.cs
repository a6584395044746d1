using System.Linq;
using System.Text;
using System.Text.Json;
using MailAuth.Common;
using MailAuth.Publishing;
using Xunit;

namespace MailAuth.Tests.Publishing;

public sealed class DnsRecordWriterTests
{
    [Fact]
    public void Zone_file_lines_are_absolute_with_quoted_txt()
    {
        var lines = ZoneFileWriter.Lines(new[]
        {
            new DnsRecord("mail.example.com", "MX", "feedback-smtp.us-east-1.amazonses.com", 300, 10),
            new DnsRecord("mail.example.com", "TXT", "v=spf1 include:amazonses.com ~all", 300),
            new DnsRecord("aaa._domainkey.example.com", "CNAME", "aaa.dkim.amazonses.com", 300),
        });
        Assert.Equal("mail.example.com.\t300\tIN\tMX\t10 feedback-smtp.us-east-1.amazonses.com.", lines[0]);
        Assert.Equal("mail.example.com.\t300\tIN\tTXT\t\"v=spf1 include:amazonses.com ~all\"", lines[1]);
        Assert.Equal("aaa._domainkey.example.com.\t300\tIN\tCNAME\taaa.dkim.amazonses.com.", lines[2]);
    }

    [Fact]
    public void Long_txt_is_split_into_255_byte_strings_without_cutting_utf8()
    {
        var key = "v=DKIM1; k=rsa; p=" + new string('A', 392);
        var pieces = TxtCharacterStrings.Split(key);
        Assert.Equal(2, pieces.Count);
        Assert.Equal(255, pieces[0].Length);
        Assert.Equal(key, string.Concat(pieces));

        var multibyte = new string('é', 200); // 400 bytes of UTF-8
        var parts = TxtCharacterStrings.Split(multibyte);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 255));
        Assert.Equal(multibyte, string.Concat(parts));

        Assert.Equal("\"a\\\"b\\\\c\"", TxtCharacterStrings.Quote("a\"b\\c"));
    }

    [Fact]
    public void Route53_batch_has_one_change_per_record_set()
    {
        var json = Route53ChangeBatchWriter.Write(new[]
        {
            new DnsRecord("example.com", "TXT", "v=spf1 -all", 300),
            new DnsRecord("example.com", "TXT", "google-site-verification=x", 300),
            new DnsRecord("mail.example.com", "MX", "feedback-smtp.us-east-1.amazonses.com", 300, 10),
        }, "upsert", "SES setup");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("SES setup", doc.RootElement.GetProperty("Comment").GetString());
        var changes = doc.RootElement.GetProperty("Changes").EnumerateArray().ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("UPSERT", changes[0].GetProperty("Action").GetString());
        var set = changes[0].GetProperty("ResourceRecordSet");
        Assert.Equal("example.com.", set.GetProperty("Name").GetString());
        Assert.Equal(300, set.GetProperty("TTL").GetInt32());
        Assert.Equal(new[] { "\"v=spf1 -all\"", "\"google-site-verification=x\"" },
            set.GetProperty("ResourceRecords").EnumerateArray().Select(v => v.GetProperty("Value").GetString()));
        Assert.Equal("10 feedback-smtp.us-east-1.amazonses.com",
            changes[1].GetProperty("ResourceRecordSet").GetProperty("ResourceRecords")[0].GetProperty("Value").GetString());
    }

    [Fact]
    public void Route53_rejects_an_unknown_action_and_ttl_conflicts()
    {
        var records = new[] { new DnsRecord("a.example", "TXT", "x", 300), new DnsRecord("a.example", "TXT", "y", 600) };
        Assert.Equal(Route53ChangeBatchWriter.InvalidActionErrorId, Assert.Throws<MailAuthInputException>(() => Route53ChangeBatchWriter.Write(records.Take(1), "REPLACE")).ErrorId);
        Assert.Equal(Route53ChangeBatchWriter.TtlConflictErrorId, Assert.Throws<MailAuthInputException>(() => Route53ChangeBatchWriter.Write(records)).ErrorId);
    }
}
