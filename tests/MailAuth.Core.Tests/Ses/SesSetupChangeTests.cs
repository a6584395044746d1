using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

/// <summary>
/// Test-SesDomainSetup's changes, named mistakes, regions and offline checks, against in-memory zones: each case is one
/// identity's DNS, what the check should say and the changes that fix it.
/// </summary>
public sealed class SesSetupChangeTests
{
    private static readonly string[] Tokens = { "eogp72tvvmnugysm4vjttzghjnmzww36", "zh4gjftm6etwoq6afzugpky45synznly", "224i4yxa5dv7c2xz3womw6peuasteono" };
    private const string Feedback = "feedback-smtp.us-east-1.amazonses.com";
    private const string SesSpf = "v=spf1 include:amazonses.com ~all";
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An identity set up right in us-east-1, MAIL FROM mail.&lt;domain&gt;, with one part left out or changed by <paramref name="edit"/>.</summary>
    private static InMemoryResolver Zone(string domain, Action<InMemoryResolver> edit = null, bool cnames = true, bool mx = true, bool spf = true, bool dmarc = true)
    {
        var zone = new InMemoryResolver();
        if (cnames) foreach (var t in Tokens) zone.AddCname(t + "._domainkey." + domain, t + ".dkim.amazonses.com");
        if (mx) zone.AddMx("mail." + domain, 10, Feedback);
        if (spf) zone.AddTxt("mail." + domain, SesSpf);
        if (dmarc) zone.AddTxt("_dmarc." + domain, "v=DMARC1; p=quarantine");
        edit?.Invoke(zone);
        return zone;
    }

    private static Task<SesDomainSetupResult> Inspect(InMemoryResolver zone, string domain, string region = "us-east-1", IReadOnlyList<string> tokens = null,
        string mailFrom = "mail", SesEmailIdentity api = null, IReadOnlyList<string> observed = null, IReadOnlyList<string> otherRegions = null) =>
        new SesDomainSetupInspector(zone).InspectAsync(new SesDomainSetupRequest
        {
            Identity = domain, Region = region, Tokens = tokens ?? (observed == null ? Tokens : null), ObservedSelectors = observed,
            MailFromDomain = mailFrom == null ? null : mailFrom + "." + domain, EmailIdentity = api, OtherRegions = otherRegions, Now = Now,
        });

    /// <summary>A plan never deletes or replaces a record its row did not show, and only rows that are not Ok carry changes.</summary>
    private static void AssertPlanOnlyTouchesWhatItShowed(SesDomainSetupResult result)
    {
        foreach (var row in result.Records)
        {
            if (row.Status == SesRecordCheckStatus.Ok) Assert.Empty(row.Changes);
            foreach (var change in row.Changes.Where(c => c.Action != DnsChangeAction.Add))
                Assert.Contains(change.OldValue, row.Found.Split(new[] { " | " }, StringSplitOptions.None).Select(f => f.StartsWith("TXT ") ? f.Substring(4) : f)
                    .Select(f => row.Type == "MX" || change.Type == "MX" ? f.Substring(f.IndexOf(' ') + 1) : f));
        }
        Assert.Equal(result.Records.SelectMany(r => r.Changes), result.Verdict.Changes.Take(result.Records.Sum(r => r.Changes.Count)));
    }

    public static TheoryData<string, Action<InMemoryResolver>, string, DnsChangeAction[], string[]> RecordCases => new TheoryData<string, Action<InMemoryResolver>, string, DnsChangeAction[], string[]>
    {
        // case, how the zone differs, the row type that is not Ok, the changes' actions, their new values (old values for a Delete)
        { "missing MX", z => { }, "MX", new[] { DnsChangeAction.Add }, new[] { Feedback } },
        { "missing SPF", z => { }, "TXT", new[] { DnsChangeAction.Add }, new[] { SesSpf } },
        { "SPF without include:amazonses.com", z => z.AddTxt("mail.x.example", "v=spf1 mx ~all"), "TXT", new[] { DnsChangeAction.Replace }, new[] { "v=spf1 mx include:amazonses.com ~all" } },
        { "two SPF records", z => z.AddTxt("mail.x.example", SesSpf).AddTxt("mail.x.example", "v=spf1 mx -all"), "TXT",
            new[] { DnsChangeAction.Replace, DnsChangeAction.Delete }, new[] { "v=spf1 include:amazonses.com mx ~all", "v=spf1 mx -all" } },
        { "two MX records, one right", z => z.AddMx("mail.x.example", 10, Feedback).AddMx("mail.x.example", 20, "mx.mailbox.example"), "MX",
            new[] { DnsChangeAction.Delete }, new[] { "mx.mailbox.example" } },
        { "MX on the SMTP submission host", z => z.AddMx("mail.x.example", 10, "email-smtp.us-east-1.amazonaws.com"), "MX", new[] { DnsChangeAction.Replace }, new[] { Feedback } },
        { "MX of another region", z => z.AddMx("mail.x.example", 10, "feedback-smtp.eu-west-1.amazonses.com"), "MX", new[] { DnsChangeAction.Replace }, new[] { Feedback } },
        { "TXT where a CNAME belongs", z => z.AddTxt(Tokens[0] + "._domainkey.x.example", Tokens[0] + ".dkim.amazonses.com")
            .AddCname(Tokens[1] + "._domainkey.x.example", Tokens[1] + ".dkim.amazonses.com").AddCname(Tokens[2] + "._domainkey.x.example", Tokens[2] + ".dkim.amazonses.com"),
            "CNAME", new[] { DnsChangeAction.Delete, DnsChangeAction.Add }, new[] { Tokens[0] + ".dkim.amazonses.com", Tokens[0] + ".dkim.amazonses.com" } },
        { "CNAME to a typo", z => z.AddCname(Tokens[0] + "._domainkey.x.example", Tokens[0] + ".dkim.amazonses.co")
            .AddCname(Tokens[1] + "._domainkey.x.example", Tokens[1] + ".dkim.amazonses.com").AddCname(Tokens[2] + "._domainkey.x.example", Tokens[2] + ".dkim.amazonses.com"),
            "CNAME", new[] { DnsChangeAction.Replace }, new[] { Tokens[0] + ".dkim.amazonses.com" } },
        { "missing DMARC", z => { }, "TXT", new[] { DnsChangeAction.Add }, new[] { "v=DMARC1; p=none;" } },
    };

    [Theory]
    [MemberData(nameof(RecordCases))]
    public async Task Each_difference_comes_with_the_changes_that_fix_it(string name, Action<InMemoryResolver> edit, string type, DnsChangeAction[] actions, string[] values)
    {
        var zone = Zone("x.example", edit, cnames: !name.Contains("CNAME"), mx: !name.Contains("MX"), spf: !name.Contains("SPF"), dmarc: name != "missing DMARC");
        var result = await Inspect(zone, "x.example");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(type, row.Type);
        Assert.Equal(actions, row.Changes.Select(c => c.Action));
        Assert.Equal(values, row.Changes.Select(c => c.Action == DnsChangeAction.Delete ? c.OldValue : c.NewValue));
        Assert.All(row.Changes, c => Assert.NotEmpty(c.Reason));
        Assert.All(row.Changes, c => Assert.NotEmpty(c.Reference));
        Assert.Same(row.Changes[0], row.Change);
        AssertPlanOnlyTouchesWhatItShowed(result);
    }

    [Fact]
    public async Task A_replace_names_the_exact_old_value_and_preference()
    {
        var result = await Inspect(Zone("x.example", z => z.AddMx("mail.x.example", 5, "email-smtp.us-east-1.amazonaws.com"), mx: false), "x.example");
        var change = Assert.Single(result.Verdict.Changes);
        Assert.Equal(DnsChangeAction.Replace, change.Action);
        Assert.Equal("mail.x.example", change.Name);
        Assert.Equal("email-smtp.us-east-1.amazonaws.com", change.OldValue);
        Assert.Equal(5, change.OldPriority);
        Assert.Equal(10, change.Priority);
    }

    [Fact]
    public async Task Nothing_changes_when_every_row_is_ok()
    {
        var result = await Inspect(Zone("x.example"), "x.example");
        Assert.All(result.Records, r => Assert.Null(r.Change));
        Assert.Empty(result.Verdict.Changes);
        Assert.Equal("us-east-1", result.Verdict.Region);
        Assert.True(result.Verdict.SendsAligned);
    }

    [Theory]
    [InlineData("email-smtp.us-east-1.amazonaws.com", "SesMailFromMxSubmissionHost", "submission host")]
    [InlineData("feedback-smtp.eu-west-1.amazonses.com", "SesMailFromMxWrongRegion", "eu-west-1")]
    public async Task A_named_mx_mistake_is_a_finding_with_its_own_code(string exchange, string code, string words)
    {
        var result = await Inspect(Zone("x.example", z => z.AddMx("mail.x.example", 10, exchange), mx: false), "x.example");
        var row = Assert.Single(result.Records, r => r.Type == "MX");
        Assert.Equal(code, row.Code);
        Assert.Contains(words, row.Message);
        var finding = Assert.Single(result.Verdict.Findings, f => f.Code == code);
        Assert.Equal("mail.x.example", finding.Subject);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesMailFromFallsBack");
    }

    [Fact]
    public async Task Spf_without_the_ses_include_is_named_and_the_fix_keeps_every_other_term()
    {
        var result = await Inspect(Zone("x.example", z => z.AddTxt("mail.x.example", "v=spf1 ip4:192.0.2.0/24 -all"), spf: false), "x.example");
        var row = Assert.Single(result.Records, r => r.Code == "SesMailFromSpfNoSesInclude");
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:amazonses.com -all", row.Change.NewValue);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 -all", row.Change.OldValue);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesMailFromSpfNoSesInclude");
    }

    [Fact]
    public async Task An_mx_for_another_region_the_identity_also_lives_in_is_not_replaced()
    {
        var zone = Zone("x.example", z => z.AddMx("mail.x.example", 10, Feedback), mx: false);
        var result = await Inspect(zone, "x.example", region: "ap-northeast-3", otherRegions: new[] { "us-east-1" });
        var row = Assert.Single(result.Records, r => r.Type == "MX");
        Assert.Equal("SesMailFromMxWrongRegion", row.Code);
        Assert.Empty(row.Changes); // replacing it would break the MAIL FROM of us-east-1
        Assert.Contains("own MAIL FROM domain", row.Message);
    }

    [Fact]
    public async Task Strict_spf_alignment_is_fixed_by_replacing_the_dmarc_record()
    {
        var result = await Inspect(Zone("x.example", z => z.AddTxt("_dmarc.x.example", "v=DMARC1; p=reject; aspf=s"), dmarc: false), "x.example");
        var change = Assert.Single(result.Verdict.Changes);
        Assert.Equal(DnsChangeAction.Replace, change.Action);
        Assert.Equal("_dmarc.x.example", change.Name);
        Assert.Equal("v=DMARC1; p=reject; aspf=s", change.OldValue);
        Assert.Equal("v=DMARC1; p=reject;", change.NewValue);
    }

    [Fact]
    public async Task A_dmarc_record_without_a_usable_policy_is_a_permerror_with_no_guessed_change()
    {
        var result = await Inspect(Zone("x.example", z => z.AddTxt("_dmarc.x.example", "v=DMARC1; p=bogus"), dmarc: false), "x.example");
        Assert.Equal(MailAuth.Dmarc.DmarcResult.PermError, result.Verdict.DmarcResult);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDmarcPermError");
        Assert.Empty(result.Verdict.Changes);
    }

    [Fact]
    public async Task A_lookup_failure_gives_no_change()
    {
        var result = await Inspect(Zone("x.example", z => z.AddFailure("mail.x.example", DnsErrorKind.ServerFailure), mx: false, spf: false), "x.example");
        Assert.All(result.Records.Where(r => r.Status == SesRecordCheckStatus.Error), r => Assert.Empty(r.Changes));
        Assert.Empty(result.Verdict.Changes);
    }

    [Fact]
    public async Task Without_the_api_the_region_comes_from_the_mail_from_mx_and_the_dkim_rows_say_what_was_not_checked()
    {
        var zone = Zone("x.example", z => z.AddMx("mail.x.example", 10, "feedback-smtp.eu-west-1.amazonses.com"), mx: false);
        var result = await Inspect(zone, "x.example", region: null, tokens: Array.Empty<string>());
        Assert.Equal("eu-west-1", result.Verdict.Region);
        Assert.Equal(SesRecordCheckStatus.Ok, Assert.Single(result.Records, r => r.Type == "MX").Status);
        var dkim = Assert.Single(result.Records, r => r.Purpose == "Easy DKIM");
        Assert.Equal(SesRecordCheckStatus.NotChecked, dkim.Status);
        Assert.Empty(dkim.Changes);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesRegionInferred");
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesApiNotAsked");
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDkimNotChecked");
        Assert.True(result.Verdict.SendsAligned); // SPF through the custom MAIL FROM
    }

    [Fact]
    public async Task Without_the_api_the_selectors_seen_in_dmarc_reports_are_checked_as_tokens()
    {
        var result = await Inspect(Zone("x.example"), "x.example", region: null, observed: new[] { Tokens[1], "google", Tokens[1].ToUpperInvariant() });
        var rows = result.Records.Where(r => r.Purpose == "Easy DKIM").ToList();
        Assert.Equal(new[] { SesRecordCheckStatus.Ok, SesRecordCheckStatus.NotChecked }, rows.Select(r => r.Status));
        Assert.Equal(Tokens[1] + "._domainkey.x.example", rows[0].Name);
        Assert.Contains("1 of the three", rows[1].Message);
        Assert.True(result.Verdict.DkimAligned);
    }

    [Fact]
    public async Task Without_region_or_mail_from_the_region_is_unknown_and_the_cnames_may_point_into_any_ses_zone()
    {
        var result = await Inspect(Zone("x.example", mx: false, spf: false), "x.example", region: null, mailFrom: null);
        Assert.Equal(string.Empty, result.Verdict.Region);
        Assert.All(result.Records.Where(r => r.Type == "CNAME"), r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesRegionUnknown");
    }

    [Fact]
    public async Task A_1024_bit_key_says_how_to_move_to_2048_and_the_key_age()
    {
        var api = SesEmailIdentityReader.Read("x.example", "us-east-1",
            SesTestServer.IdentityJson("x.example", "SUCCESS", "SUCCESS", keyLength: "RSA_1024_BIT", lastKeyGeneration: 1680000000));
        var result = await Inspect(Zone("x.example"), "x.example", api: api);
        var f = Assert.Single(result.Verdict.Findings, x => x.Code == "SesDkimKey1024Bit");
        Assert.Contains("NextSigningKeyLength=RSA_2048_BIT", f.Message);
        Assert.Contains("at most once a day", f.Message);
        Assert.Contains("2023-03-28", f.Message);
        Assert.Contains("1348 days ago", f.Message);
        Assert.Equal(SesDomainVerdictStatus.Warning, result.Verdict.Status);
    }

    [Fact]
    public async Task A_2048_bit_key_reports_its_age_only()
    {
        var api = SesEmailIdentityReader.Read("x.example", "us-east-1", SesTestServer.IdentityJson("x.example", "SUCCESS", "SUCCESS"));
        var result = await Inspect(Zone("x.example"), "x.example", api: api);
        Assert.DoesNotContain(result.Verdict.Findings, x => x.Code == "SesDkimKey1024Bit");
        Assert.Contains("RSA 2048 bits", Assert.Single(result.Verdict.Findings, x => x.Code == "SesDkimKeyAge").Message);
    }

    [Fact]
    public async Task Dkim_success_without_a_custom_mail_from_says_spf_can_never_align()
    {
        var api = SesEmailIdentityReader.Read("x.example", "us-east-1", SesTestServer.IdentityJson("x.example", "SUCCESS"));
        var result = await Inspect(Zone("x.example", mx: false, spf: false), "x.example", mailFrom: null, api: api);
        var f = Assert.Single(result.Verdict.Findings, x => x.Code == "SesMailFromNotStarted");
        Assert.Contains("SPF can never align", f.Message);
        Assert.DoesNotContain(result.Verdict.Findings, x => x.Code == "SesNoCustomMailFrom");
    }

    [Theory]
    [InlineData("PENDING", "SesDkimPending")]
    [InlineData("FAILED", "SesDkimFailed")]
    [InlineData("TEMPORARY_FAILURE", "SesDkimTemporaryFailure")]
    [InlineData("NOT_STARTED", "SesDkimNotStarted")]
    public async Task The_api_dkim_state_is_part_of_the_verdict(string state, string code)
    {
        var api = SesEmailIdentityReader.Read("x.example", "us-east-1", SesTestServer.IdentityJson("x.example", state, "PENDING"));
        var result = await Inspect(Zone("x.example"), "x.example", api: api);
        Assert.Contains(result.Verdict.Findings, f => f.Code == code);
        Assert.DoesNotContain(result.Verdict.Findings, f => f.Code == "SesMailFromNotStarted");
    }

    [Fact]
    public async Task A_deed_replica_is_checked_against_its_parents_cnames()
    {
        // ap-northeast-3 has its own Easy DKIM zone, but a replica of a us-east-1 identity signs with the parent's keys.
        var json = SesTestServer.IdentityJson("x.example", "SUCCESS", "SUCCESS").Replace("\"AWS_SES\"", "\"AWS_SES_US_EAST_1\"").Replace("\"SigningHostedZone\":\"dkim.amazonses.com\",", string.Empty);
        var api = SesEmailIdentityReader.Read("x.example", "ap-northeast-3", json);
        var zone = Zone("x.example", z => z.AddMx("mail.x.example", 10, "feedback-smtp.ap-northeast-3.amazonses.com"), mx: false);
        var result = await Inspect(zone, "x.example", region: "ap-northeast-3", api: api);
        Assert.All(result.Records, r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
        Assert.Equal("AWS_SES_US_EAST_1", result.Verdict.DkimOrigin);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDkimReplica" && f.Message.Contains("us-east-1"));
        Assert.Equal("us-east-1", SesDomainSetupInspector.ReplicaParent("AWS_SES_US_EAST_1").Name);
        Assert.Null(SesDomainSetupInspector.ReplicaParent("AWS_SES"));
    }

    [Fact]
    public async Task A_byodkim_identity_is_checked_against_its_selectors_txt_key()
    {
        var json = SesTestServer.IdentityJson("x.example", "SUCCESS", "SUCCESS").Replace("\"AWS_SES\"", "\"EXTERNAL\"");
        var api = SesEmailIdentityReader.Read("x.example", "us-east-1", json);
        var key = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp+IkK0H34Z81xmQcw8qJ2JGCi+GUSkYiDKcYdELJQ3vt9QPYnXqKpitlNfCiW+++15ct6vRY1Ct72eGtIJzzuVXQ8jbbgT4bP2W1WIrFfsCRwgX7Oi3IPnCPXC4KJMdoB6/o6PJpUsdvE2NtNZs6/nP30P7jTVxDoBCp+JAOz2B5xfhJ9hdqWuXUTpDnCBQ30PljVtCuq8WrsvDGEnm3Wy+J23lUxUaE2yeAwMdVTqDbwXrjcSnN8ZeJEgcBSEqgAp4z2DNDBVo6R1DHaCsmMVTHZgixWGwjKkrqr8l7tCXxiAgpUGemDtQJ3Z9jFAP5Z+0qjY9hTYgsJ/ZdAIVDTQIDAQAB";
        var zone = Zone("x.example", z => z.AddTxt("sel2026._domainkey.x.example", "v=DKIM1; k=rsa; p=" + key), cnames: false);
        var result = await Inspect(zone, "x.example", tokens: new[] { "sel2026" }, api: api);
        var row = Assert.Single(result.Records, r => r.Purpose == "BYODKIM");
        Assert.Equal(SesRecordCheckStatus.Ok, row.Status);
        Assert.Equal("TXT", row.Type);
        Assert.True(result.Verdict.DkimAligned);

        var missing = await Inspect(Zone("x.example", cnames: false), "x.example", tokens: new[] { "sel2026" }, api: api);
        var gap = Assert.Single(missing.Records, r => r.Purpose == "BYODKIM");
        Assert.Equal(SesRecordCheckStatus.Missing, gap.Status);
        Assert.Empty(gap.Changes); // the public key is known only to its owner
        Assert.False(missing.Verdict.DkimAligned);
    }
}
