using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.DmarcReports;
using MailAuth.DmarcRollout;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.DmarcRollout;

/// <summary>The report sets of tests/data/reports/rollout, one per verdict (see its README), through the analysis.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DmarcPolicyImpactAnalyzerTests
{
    private readonly KnotDnsServer _dns;

    public DmarcPolicyImpactAnalyzerTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private static IEnumerable<DmarcAggregateReport> Reports(params string[] sets) =>
        sets.SelectMany(set => Directory.GetFiles(RepositoryPaths.DataFile("reports", "rollout", set), "*.xml").OrderBy(f => f, StringComparer.Ordinal))
            .Select(file =>
            {
                using var s = File.OpenRead(file);
                return DmarcAggregateReportReader.Read(s, file);
            }).ToList();

    private static async Task<DmarcPolicyRecommendation> Analyze(EnforcementPolicy policy, params string[] sets)
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(policy);
        foreach (var r in Reports(sets)) analyzer.Add(r);
        return (await analyzer.AnalyzeAsync()).Single();
    }

    [Fact]
    public async Task Clean_month_at_none_is_ready_for_quarantine_in_test_mode()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "ready");
        Assert.Equal("example.com", plan.Domain);
        Assert.Equal(RolloutVerdict.Ready, plan.Verdict);
        Assert.Equal("p=none", plan.CurrentRecord);
        Assert.Equal("p=quarantine; t=y", plan.NextRecord);
        Assert.True(plan.Change);
        Assert.Equal(35, plan.DaysOfEvidence);
        Assert.Equal(35, plan.DaysAtCurrentPolicy);
        Assert.Equal(0, plan.SourcesToFix);
        Assert.Contains("RFC 9989 §7.4", plan.References);
        Assert.Contains("RFC 9989 §4.7", plan.References);
        Assert.Equal(new DateTime(2025, 11, 1, 0, 0, 0, DateTimeKind.Utc), plan.FirstSeen);
        Assert.Equal(5, plan.Daily.Count);
    }

    [Fact]
    public async Task Forwarded_failures_are_not_counted_as_affected_and_overrides_are_listed()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "ready");
        var forwarder = plan.Sources.Single(s => s.Source == "192.0.2.50");
        Assert.Equal(15, forwarder.DmarcFail);
        Assert.Equal(0, forwarder.WouldBeAffected);
        Assert.Equal(new[] { "forwarded: 15" }, forwarder.Overrides);
        Assert.Equal(RolloutVerdict.Ready, forwarder.Verdict);
    }

    [Fact]
    public async Task Spoofed_source_is_unauthenticated_and_does_not_hold_the_domain_back()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "ready");
        var spoof = plan.Sources.Single(s => s.Source == "198.51.100.7");
        Assert.Equal(RolloutVerdict.Unauthenticated, spoof.Verdict);
        Assert.Equal(5, spoof.WouldBeAffected);
        Assert.Equal(7, spoof.DaysOfEvidence);
        Assert.Contains("spoofing", spoof.Fix);
        Assert.Contains(plan.Reasons, r => r.Contains("authenticate as nobody"));
        Assert.Equal(5, plan.WouldBeAffected);
    }

    [Fact]
    public async Task Source_aligned_by_spf_only_must_sign_with_dkim_first()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "spf-only");
        Assert.Equal(RolloutVerdict.FixFirst, plan.Verdict);
        Assert.Equal("p=none", plan.NextRecord);
        Assert.False(plan.Change);
        var own = Assert.Single(plan.Sources, s => s.Verdict == RolloutVerdict.FixFirst);
        Assert.Equal("203.0.113.20", own.Source);
        Assert.Equal(200, own.AlignedBySpfOnly);
        Assert.Equal(0, own.WouldBeAffected);
        Assert.Equal("sign with DKIM (d=example.com): SPF alone breaks on forwarding", own.Fix);
        Assert.Contains("RFC 9989 §5.1.2", plan.References);
        Assert.Same(own, plan.Sources[0]);
    }

    [Fact]
    public async Task Unaligned_esp_needs_custom_mail_from_and_aligned_dkim()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "unaligned-esp");
        Assert.Equal(RolloutVerdict.FixFirst, plan.Verdict);
        var esp = Assert.Single(plan.Sources, s => s.Verdict == RolloutVerdict.FixFirst);
        Assert.Equal("203.0.113.31", esp.Source);
        Assert.Null(esp.HostStatus);
        Assert.Equal(125, esp.WouldBeAffected);
        Assert.Contains("sign with d=example.com (DKIM aligned with the From domain)", esp.Fix);
        Assert.Contains("set a custom MAIL FROM under example.com so SPF aligns", esp.Fix);
        Assert.Contains(plan.Reasons, r => r.StartsWith("203.0.113.31: 125 messages would be rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sources_are_grouped_by_ptr_organization_and_ses_hosts_by_region()
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Reject);
        foreach (var r in Reports("unaligned-esp")) analyzer.Add(r);
        var plan = (await analyzer.AnalyzeAsync(_dns.CreateResolver(retries: 0))).Single();
        var tokyo = plan.Sources.Single(s => s.SesRegion == "ap-northeast-1");
        Assert.Equal("amazonses.com (ap-northeast-1)", tokyo.Source);
        Assert.Equal(new[] { "203.0.113.10", "203.0.113.11" }, tokyo.SourceIPs);
        Assert.Equal(500, tokyo.Messages);
        Assert.Equal(RecordStatus.Found, tokyo.HostStatus);
        var virginia = plan.Sources[0];
        Assert.Equal("amazonses.com (us-east-1)", virginia.Source);
        Assert.Equal("us-east-1", virginia.SesRegion);
        Assert.Equal(new[] { "a8-31.smtp-out.amazonses.com" }, virginia.HostNames);
        Assert.Contains("Set-SesMailFromDomain -Identity example.com -MailFromDomain mail.example.com -Region us-east-1", virginia.Fix);
        Assert.Equal("example.co.uk", plan.Sources.Single(s => s.SourceIPs.Contains("203.0.113.20")).Source);
    }

    [Fact]
    public async Task Fixed_esp_after_the_since_date_is_ready()
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Reject, since: new DateTime(2025, 12, 6));
        int taken = Reports("unaligned-esp", "esp-fixed").Count(analyzer.Add);
        Assert.Equal(5, taken);
        var plan = (await analyzer.AnalyzeAsync()).Single();
        Assert.Equal(RolloutVerdict.Ready, plan.Verdict);
        Assert.Equal("p=quarantine; t=y", plan.NextRecord);
        Assert.Equal(new DateTime(2025, 12, 6, 0, 0, 0, DateTimeKind.Utc), plan.FirstSeen);
    }

    [Fact]
    public async Task Until_bounds_the_window_too()
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Reject, until: new DateTime(2025, 11, 8));
        Assert.Equal(2, Reports("ready").Count(analyzer.Add));
        Assert.Equal(14, (await analyzer.AnalyzeAsync()).Single().DaysOfEvidence);
    }

    [Fact]
    public async Task One_clean_week_is_not_enough_evidence()
    {
        var plan = await Analyze(EnforcementPolicy.Quarantine, "too-few-days");
        Assert.Equal(RolloutVerdict.NotEnoughEvidence, plan.Verdict);
        Assert.Equal("p=none", plan.NextRecord);
        Assert.Equal(7, plan.DaysAtCurrentPolicy);
        Assert.All(plan.Sources, s => Assert.Equal(RolloutVerdict.NotEnoughEvidence, s.Verdict));
        Assert.Contains(plan.Reasons, r => r.Contains("7 days of reports at p=none; wait for at least 30"));
    }

    [Fact]
    public async Task Minimum_days_and_messages_are_configurable()
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Quarantine, minimumDays: 7, minimumMessages: 10);
        foreach (var r in Reports("too-few-days")) analyzer.Add(r);
        Assert.Equal(RolloutVerdict.Ready, (await analyzer.AnalyzeAsync()).Single().Verdict);
        analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Quarantine, minimumDays: 7, minimumMessages: 1000);
        foreach (var r in Reports("too-few-days")) analyzer.Add(r);
        var plan = (await analyzer.AnalyzeAsync()).Single();
        Assert.Equal(RolloutVerdict.NotEnoughEvidence, plan.Verdict);
        Assert.Contains(plan.Reasons, r => r.Contains("140 messages in the reports"));
    }

    [Fact]
    public async Task Google_5_7_30_failures_are_counted_and_must_be_fixed()
    {
        var plan = await Analyze(EnforcementPolicy.Reject, "google-5.7.30");
        Assert.Equal(RolloutVerdict.FixFirst, plan.Verdict);
        var unsigned = plan.Sources[0];
        Assert.Equal("203.0.113.40", unsigned.Source);
        Assert.Equal(RolloutVerdict.FixFirst, unsigned.Verdict);
        Assert.Equal(new[] { "550-5.7.30 Dkim: 60" }, unsigned.SenderRequirementFailures);
        Assert.Equal(60, unsigned.SenderRequirementFailed);
        Assert.Equal(new[] { "local_policy: 60" }, unsigned.Overrides);
        Assert.Contains("Gmail says 550-5.7.30", unsigned.Fix);
        Assert.Equal(60, plan.SenderRequirementFailed);
    }

    [Fact]
    public async Task Test_mode_quarantine_steps_to_full_quarantine_and_stops_at_the_asked_policy()
    {
        var toReject = await Analyze(EnforcementPolicy.Reject, "quarantine-test");
        Assert.Equal("p=quarantine; t=y", toReject.CurrentRecord);
        Assert.Equal("p=quarantine", toReject.NextRecord);
        Assert.Equal(RolloutVerdict.Ready, toReject.Verdict);
        var toQuarantine = await Analyze(EnforcementPolicy.Quarantine, "quarantine-test");
        Assert.Equal("p=quarantine", toQuarantine.NextRecord);
    }

    [Fact]
    public async Task Rows_and_reports_give_the_same_answer()
    {
        var analyzer = new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Reject);
        foreach (var file in Directory.GetFiles(RepositoryPaths.DataFile("reports", "rollout", "unaligned-esp"), "*.xml"))
        {
            using var s = File.OpenRead(file);
            foreach (var row in DmarcAggregateReportReader.ReadRows(s, file)) analyzer.Add(row);
        }
        var fromRows = (await analyzer.AnalyzeAsync()).Single();
        var fromReports = await Analyze(EnforcementPolicy.Reject, "unaligned-esp");
        Assert.Equal(fromReports.Sources.Select(x => (x.Source, x.Messages, x.WouldBeAffected, x.Verdict)), fromRows.Sources.Select(x => (x.Source, x.Messages, x.WouldBeAffected, x.Verdict)));
        Assert.Equal(fromReports.DaysOfEvidence, fromRows.DaysOfEvidence);
    }

    [Fact]
    public void An_empty_window_is_an_input_error()
    {
        var ex = Assert.Throws<MailAuthInputException>(() => new DmarcPolicyImpactAnalyzer(EnforcementPolicy.Reject, new DateTime(2026, 1, 2), new DateTime(2026, 1, 1)));
        Assert.Equal(DmarcPolicyImpactAnalyzer.EmptyWindowErrorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("a8-30.smtp-out.amazonses.com", "us-east-1")]
    [InlineData("e226-55.smtp-out.ap-northeast-1.amazonses.com", "ap-northeast-1")]
    [InlineData("a27-1.smtp-out.us-west-2.amazonses.com.", "us-west-2")]
    [InlineData("mail.example.co.uk", null)]
    [InlineData("smtp-out.amazonses.com.evil.example", null)]
    public void Ses_region_comes_from_the_host_name(string host, string region) => Assert.Equal(region, SesRegion.FromHostName(host));
}
