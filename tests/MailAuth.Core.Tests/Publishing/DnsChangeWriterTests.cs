using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Dns;
using MailAuth.Publishing;
using Xunit;

namespace MailAuth.Tests.Publishing;

/// <summary>DnsChange objects through the zone-file writer, the Route 53 planner (offline and against current sets) and the DNS re-check.</summary>
public sealed class DnsChangeWriterTests
{
    private const string Spf = "v=spf1 include:amazonses.com ~all";

    private static readonly DnsChange AddDmarc = DnsChange.Add(new DnsRecord("_dmarc.example.com", "TXT", "v=DMARC1; p=none", 300), "no DMARC record", "RFC 9989");
    private static readonly DnsChange ReplaceSpf = new DnsChange(DnsChangeAction.Replace, "example.com", "TXT", "v=spf1 -all", Spf, 300);
    private static readonly DnsChange DeleteSecondSpf = new DnsChange(DnsChangeAction.Delete, "example.com", "TXT", "v=spf1 mx -all", null, 300);

    private static Func<string, string, IReadOnlyList<Route53RecordSet>> Zone(params Route53RecordSet[] sets) =>
        (name, type) => sets.Where(s => s.Name == name && s.Type == type).ToList();

    [Fact]
    public void Zone_file_writes_removals_as_comments_before_the_published_line()
    {
        var lines = ZoneFileWriter.Lines(new[] { AddDmarc, ReplaceSpf, DeleteSecondSpf });
        Assert.Equal(new[]
        {
            "_dmarc.example.com.\t300\tIN\tTXT\t\"v=DMARC1; p=none\"",
            "; remove: example.com.\t300\tIN\tTXT\t\"v=spf1 -all\"",
            "example.com.\t300\tIN\tTXT\t\"" + Spf + "\"",
            "; remove: example.com.\t300\tIN\tTXT\t\"v=spf1 mx -all\"",
        }, lines);
    }

    [Fact]
    public void Offline_plan_creates_added_sets_and_deletes_then_creates_replaced_ones()
    {
        var plan = Route53ChangePlanner.Plan(new[] { AddDmarc, ReplaceSpf });
        Assert.Equal(new[]
        {
            "CREATE _dmarc.example.com. 300 TXT \"v=DMARC1; p=none\"",
            "DELETE example.com. 300 TXT \"v=spf1 -all\"",
            "CREATE example.com. 300 TXT \"" + Spf + "\"",
        }, plan.RecordSetChanges.Select(c => c.ToString()));

        using var json = JsonDocument.Parse(Route53ChangeBatchWriter.Write(new[] { AddDmarc, ReplaceSpf }, "fix SPF"));
        var changes = json.RootElement.GetProperty("Changes");
        Assert.Equal("fix SPF", json.RootElement.GetProperty("Comment").GetString());
        Assert.Equal(new[] { "CREATE", "DELETE", "CREATE" }, changes.EnumerateArray().Select(c => c.GetProperty("Action").GetString()));
        Assert.Equal("\"v=spf1 -all\"", changes[1].GetProperty("ResourceRecordSet").GetProperty("ResourceRecords")[0].GetProperty("Value").GetString());
    }

    [Fact]
    public void Replacing_one_value_of_a_multi_value_set_deletes_the_exact_set_and_creates_it_with_the_others_kept()
    {
        var current = new Route53RecordSet("example.com.", "TXT", 600, new[] { "\"v=spf1 -all\"", "\"google-site-verification=abc\"" });
        var plan = Route53ChangePlanner.Plan(new[] { ReplaceSpf }, Zone(current));
        Assert.Equal(2, plan.RecordSetChanges.Count);
        Assert.Same(current, plan.RecordSetChanges[0].RecordSet);
        Assert.Equal(Route53ChangeAction.Delete, plan.RecordSetChanges[0].Action);
        Assert.Equal(Route53ChangeAction.Create, plan.RecordSetChanges[1].Action);
        Assert.Equal(new[] { "\"google-site-verification=abc\"", "\"" + Spf + "\"" }, plan.RecordSetChanges[1].RecordSet.Values);
        Assert.Equal(300, plan.RecordSetChanges[1].RecordSet.Ttl);
        Assert.Contains("- example.com 300 TXT \"v=spf1 -all\"", plan.Diff());
        Assert.Contains("+ example.com 300 TXT \"" + Spf + "\"", plan.Diff());
        Assert.Contains("# DELETE example.com. TXT (2 values)", plan.Diff());
    }

    [Fact]
    public void Old_values_match_however_route53_quotes_or_splits_them()
    {
        var current = new Route53RecordSet("example.com.", "TXT", 300, new[] { "\"v=spf1 \" \"-all\"" });
        var plan = Route53ChangePlanner.Plan(new[] { ReplaceSpf }, Zone(current));
        Assert.Equal(new[] { "\"" + Spf + "\"" }, plan.RecordSetChanges[1].RecordSet.Values);

        var mx = new Route53RecordSet("mail.example.com.", "MX", 300, new[] { "10 Feedback-SMTP.us-east-1.amazonses.com." });
        var fix = DnsChange.Replace(new DnsRecord("mail.example.com", "MX", "feedback-smtp.us-east-1.amazonses.com", 300, 10),
            new DnsRecord("mail.example.com", "MX", "feedback-smtp.eu-west-1.amazonses.com", 300, 10), "region", null);
        Assert.Equal("10 feedback-smtp.eu-west-1.amazonses.com", Route53ChangePlanner.Plan(new[] { fix }, Zone(mx)).RecordSetChanges[1].RecordSet.Values.Single());
    }

    [Fact]
    public void A_change_the_zone_already_holds_sends_nothing_and_a_delete_of_the_last_value_deletes_the_set()
    {
        var current = new Route53RecordSet("_dmarc.example.com.", "TXT", 300, new[] { "\"v=DMARC1; p=none\"" });
        Assert.Empty(Route53ChangePlanner.Plan(new[] { AddDmarc }, Zone(current)).RecordSetChanges);

        var spf = new Route53RecordSet("example.com.", "TXT", 300, new[] { "\"v=spf1 mx -all\"" });
        var plan = Route53ChangePlanner.Plan(new[] { DeleteSecondSpf }, Zone(spf));
        Assert.Equal(Route53ChangeAction.Delete, Assert.Single(plan.RecordSetChanges).Action);
    }

    [Fact]
    public void Removing_a_value_the_zone_does_not_hold_is_a_stale_plan_and_nothing_is_planned()
    {
        var current = new Route53RecordSet("example.com.", "TXT", 300, new[] { "\"v=spf1 ~all\"" });
        var ex = Assert.Throws<MailAuthInputException>(() => Route53ChangePlanner.Plan(new[] { ReplaceSpf }, Zone(current)));
        Assert.Equal("Route53RecordSetChanged", ex.ErrorId);
        Assert.Contains("v=spf1 ~all", ex.Message);
        var none = Assert.Throws<MailAuthInputException>(() => Route53ChangePlanner.Plan(new[] { DeleteSecondSpf }, Zone()));
        Assert.Contains("does not exist", none.Message);
    }

    [Fact]
    public void Alias_and_routing_policy_sets_are_left_alone()
    {
        var weighted = new Route53RecordSet("example.com.", "TXT", 300, new[] { "\"v=spf1 -all\"" }, setIdentifier: "blue");
        Assert.Equal(Route53ChangePlanner.RecordSetUnsupportedErrorId,
            Assert.Throws<MailAuthInputException>(() => Route53ChangePlanner.Plan(new[] { ReplaceSpf }, Zone(weighted))).ErrorId);
    }

    [Fact]
    public void Changes_of_one_set_must_agree_on_the_ttl()
    {
        var other = DnsChange.Add(new DnsRecord("example.com", "TXT", "x", 60), null, null);
        var ex = Assert.Throws<MailAuthInputException>(() => Route53ChangePlanner.Plan(new[] { ReplaceSpf, other }));
        Assert.Equal(Route53ChangeBatchWriter.TtlConflictErrorId, ex.ErrorId);
    }

    [Fact]
    public void Unquote_joins_character_strings_and_undoes_escapes()
    {
        Assert.Equal("v=spf1 -all", TxtCharacterStrings.Unquote("\"v=spf1 \" \"-all\""));
        Assert.Equal("a\"b\\c;", TxtCharacterStrings.Unquote("\"a\\\"b\\\\c\\059\""));
        Assert.Equal("plain", TxtCharacterStrings.Unquote("plain"));
        var text = new string('é', 200) + "😀";
        Assert.Equal(text, TxtCharacterStrings.Unquote(TxtCharacterStrings.Quote(text)));
    }

    [Fact]
    public async Task Recheck_says_served_not_served_and_not_checked()
    {
        var dns = new InMemoryResolver()
            .AddTxt("_dmarc.example.com", "v=DMARC1; ", "p=none")
            .AddTxt("example.com", "v=spf1 -all");
        var checks = await DnsChangeVerifier.VerifyAsync(dns, new[]
        {
            AddDmarc, ReplaceSpf, DeleteSecondSpf,
            DnsChange.Add(new DnsRecord("example.com", "CAA", "0 issue \"amazon.com\""), null, null),
        });
        Assert.Equal(new[] { DnsChangeCheckStatus.Served, DnsChangeCheckStatus.NotServed, DnsChangeCheckStatus.Served, DnsChangeCheckStatus.NotChecked },
            checks.Select(c => c.Status));
        Assert.Contains("is not served", checks[1].Message);
        Assert.Contains("v=spf1 -all is still served", checks[1].Message);
        Assert.Equal(new[] { "v=DMARC1; p=none" }, checks[0].ServedValues);
    }
}
