using System;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>The SES cmdlets through the real PowerShell engine: the offline builders, the SES v2 API against
/// a SigV4-verifying local endpoint, and Test-SesDomainSetup against the Knot zones.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class SesCommandTests : IClassFixture<SesTestServerFixture>
{
    private const string Tokens = "'eogp72tvvmnugysm4vjttzghjnmzww36','zh4gjftm6etwoq6afzugpky45synznly','224i4yxa5dv7c2xz3womw6peuasteono'";
    private readonly KnotDnsServer _dns;
    private readonly SesTestServer _ses;

    public SesCommandTests(KnotDnsServerFixture dns, SesTestServerFixture ses)
    {
        _dns = dns.Server;
        _ses = ses.Server;
    }

    private string Api => $"-Region us-east-1 -ProfileName ses-test -EndpointUrl {_ses.EndpointUrl}";

    [Fact]
    public void Cmdlets_reproduce_the_six_records_of_seed_002()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run(@"
            $records = @(New-SesDkimRecord -Identity domainname.com -Token aaa,bbb,ccc -Region us-east-1) +
                       @(New-SesMailFromConfig -Identity domainname.com -MailFromDomain mail.domainname.com -Region us-east-1 -WarningAction SilentlyContinue) +
                       @(New-DmarcRecord -Domain domainname.com -Policy none -WarningAction SilentlyContinue)
            $records | ForEach-Object {
                $value = if ($_.Type -eq 'MX') { ""$($_.Priority) $($_.Value)"" } elseif ($_.Type -eq 'TXT') { '""' + $_.Value + '""' } else { $_.Value }
                ""$($_.Type)`t$($_.Name)`t$value""
            }").ThrowOnError();
        var expected = File.ReadAllLines(RepositoryPaths.DataFile("ses", "seed-002-records.txt")).Where(l => l.Length > 0 && !l.StartsWith("#"));
        Assert.Equal(expected, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Mail_from_config_warns_and_says_which_alignment_it_gives()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("New-SesMailFromConfig example.com mail.example.com -Region ap-northeast-3 -Verbose").ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("feedback-smtp.ap-northeast-3.amazonses.com", r.Property(0, "Value"));
        Assert.Contains(r.Warnings, w => w.Contains("must not receive mail"));
        Assert.Contains(r.Warnings, w => w.Contains("exactly one MX"));
        Assert.Contains(r.Verbose, v => v.Contains("SPF alignment with From example.com: Relaxed"));

        var config = ps.Run("New-SesMailFromConfig example.com mail.example.com -Region us-east-1 -BehaviorOnMxFailure RejectMessage -AsConfiguration -WarningAction SilentlyContinue").ThrowOnError();
        Assert.Equal("Relaxed", config.Property(0, "SpfAlignment"));
        Assert.Equal("REJECT_MESSAGE", config.Property(0, "BehaviorOnMxFailureApiValue"));
    }

    [Fact]
    public void Bad_input_is_a_non_terminating_error_with_a_stable_id_and_the_rest_still_get_records()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'example.com', 'bad domain', 'example.org' | New-SesDkimRecord -Token aaa,bbb,ccc -Region us-east-1");
        Assert.Null(r.Terminating);
        Assert.Equal(6, r.Output.Count);
        Assert.StartsWith("InvalidDomainName,", Assert.Single(r.ErrorIds));

        var cases = new[]
        {
            ("New-SesMailFromConfig example.com mail.example.org -Region us-east-1", "SesMailFromOutsideIdentity"),
            ("New-SesMailFromConfig example.com example.com -Region us-east-1", "SesMailFromIsIdentity"),
            ("New-SesMailFromConfig example.com mail.example.com -Region moon-1", "SesUnknownRegion"),
            ("New-SesDkimRecord example.com -Token 'a.b','bbb','ccc'", "SesInvalidDkimToken"),
            ("New-SesDkimRecord example.com -Token 'aaa','bbb'", "SesDkimTokenCount"),
            ("Get-SesDnsRecord example.com -Token aaa,bbb,ccc -Region us-east-1 -MailFromDomain mail.other.org", "SesMailFromOutsideIdentity"),
        };
        foreach (var (script, id) in cases)
        {
            var bad = ps.Run(script);
            Assert.Null(bad.Terminating);
            Assert.Empty(bad.Output); // nothing half-written
            Assert.StartsWith(id + ",", Assert.Single(bad.ErrorIds));
        }
    }

    [Fact]
    public void Dns_table_goes_to_zone_file_and_route53_batch()
    {
        using var ps = new PowerShellSession();
        var lines = ps.Run("Get-SesDnsRecord domainname.com -Token aaa,bbb,ccc -Region eu-south-1 -MailFromDomain mail.domainname.com | ConvertTo-DnsZoneFile").ThrowOnError();
        Assert.Equal(6, lines.Output.Count);
        Assert.Equal("aaa._domainkey.domainname.com.\t3600\tIN\tCNAME\taaa.dkim.eu-south-1.amazonses.com.", lines.Output[0].ToString());
        Assert.Equal("_dmarc.domainname.com.\t3600\tIN\tTXT\t\"v=DMARC1; p=none;\"", lines.Output[5].ToString());

        var json = ps.Run("Get-SesDnsRecord domainname.com -Token aaa,bbb,ccc -Region us-east-1 | ConvertTo-Route53ChangeBatch -Comment seed").ThrowOnError();
        var doc = System.Text.Json.JsonDocument.Parse((string)json.Output.Single().BaseObject);
        Assert.Equal(4, doc.RootElement.GetProperty("Changes").GetArrayLength());

        var byProperty = ps.Run("[pscustomobject]@{ Name = 'x.example.com'; Type = 'TXT'; Value = 'hello'; Ttl = 60 } | ConvertTo-DnsZoneFile").ThrowOnError();
        Assert.Equal("x.example.com.\t60\tIN\tTXT\t\"hello\"", byProperty.Output.Single().ToString());
    }

    [Fact]
    public void Get_ses_email_identity_reads_the_signed_api_and_says_pending_is_waiting()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Get-SesEmailIdentity ses-ok.test, pending.ses-ok.test {Api} -Verbose").ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("DOMAIN", r.Property(0, "IdentityType"));
        Assert.Equal(true, r.Property(0, "VerifiedForSendingStatus"));
        Assert.Contains(r.Verbose, v => v.Contains("PENDING") && v.Contains("waiting") && v.Contains("not that it failed"));
        var text = ps.Format($"Get-SesEmailIdentity pending.ses-ok.test {Api}");
        Assert.Contains("PENDING", text);
        var pending = _ses.Requests.Where(q => q.Path.EndsWith("/pending.ses-ok.test")).ToList();
        Assert.NotEmpty(pending);
        Assert.All(pending, q => Assert.True(q.SignatureValid, q.SignatureProblem));
    }

    [Fact]
    public void Api_errors_have_stable_ids_and_throttling_is_retried()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"'nope.example', 'throttled.ses-ok.test', 'badrequest.example', 'ses-ok.test' | Get-SesEmailIdentity {Api}");
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(new[] { "SesIdentityNotFound", "SesBadRequest" }, r.ErrorIds.Select(id => id.Split(',')[0]));

        var expired = ps.Run($"Get-SesEmailIdentity ses-ok.test -Region us-east-1 -ProfileName ses-expired -EndpointUrl {_ses.EndpointUrl}");
        Assert.StartsWith("SesCredentialsRejected,", Assert.Single(expired.ErrorIds));
        Assert.Contains("expired", expired.Errors[0].Exception.Message);

        var noProfile = ps.Run($"Get-SesEmailIdentity ses-ok.test -Region us-east-1 -ProfileName nobody -EndpointUrl {_ses.EndpointUrl}");
        Assert.StartsWith("SesCredentialsNotFound,", Assert.Single(noProfile.ErrorIds));

        var region = ps.Run($"Get-SesEmailIdentity ses-ok.test -Region xx-nowhere-1 -ProfileName ses-test -EndpointUrl {_ses.EndpointUrl}");
        Assert.StartsWith("SesUnknownRegion,", Assert.Single(region.ErrorIds));
    }

    [Fact]
    public void Endpoint_answering_something_else_is_an_endpoint_error_and_later_identities_are_still_read()
    {
        // Issue 13 item 8: HTML, truncated JSON and a JSON array threw raw JSON exceptions and stopped the pipeline.
        using var ps = new PowerShellSession();
        var r = ps.Run($"'html.example', 'truncated.example', 'array.example', 'ses-ok.test' | Get-SesEmailIdentity {Api}");
        Assert.Null(r.Terminating);
        Assert.Single(r.Output);
        Assert.Equal("ses-ok.test", r.Property(0, "Identity"));
        Assert.Equal(new[] { "SesEndpointError", "SesEndpointError", "SesEndpointError" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Contains("text/html", r.Errors[0].Exception.Message);
    }

    [Fact]
    public void Plain_http_endpoint_that_is_not_loopback_is_refused_with_a_stable_id()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-SesEmailIdentity ses-ok.test -Region us-east-1 -ProfileName ses-test -EndpointUrl http://192.0.2.10/");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Output);
        Assert.StartsWith("SesInsecureEndpoint,", Assert.Single(r.ErrorIds));
    }

    [Theory]
    [InlineData("ses-test")]
    [InlineData("ses-expired")]
    [InlineData("ses-wrong-secret")]
    public void No_credential_appears_in_any_stream(string profile)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($@"$DebugPreference = 'Continue'; $VerbosePreference = 'Continue'
            & {{ Get-SesEmailIdentity ses-ok.test, nope.example, echo.example -Region us-east-1 -ProfileName {profile} -EndpointUrl {_ses.EndpointUrl} -Verbose -Debug
                 Set-SesMailFromDomain ses-ok.test mail.ses-ok.test -Region us-east-1 -ProfileName {profile} -EndpointUrl {_ses.EndpointUrl} -Confirm:$false -PassThru -Verbose
                 Test-SesDomainSetup ses-ok.test -Region us-east-1 -ProfileName {profile} -EndpointUrl {_ses.EndpointUrl} -Server $args[0] -Verbose }} $args[0] *>&1 |
              ForEach-Object {{ if ($_ -is [System.Management.Automation.ErrorRecord]) {{ $_.ToString(); $_.Exception.ToString(); $_.FullyQualifiedErrorId }} else {{ $_.ToString(); $_.PSObject.Properties | ForEach-Object {{ ""$($_.Name)=$($_.Value)"" }} }} }}",
            _dns.Address);
        var all = string.Join("\n", r.Output.Select(o => o?.ToString())) + r.HostText + string.Join("\n", r.Errors.Select(e => e.ToString()));
        Assert.NotEmpty(r.Output);
        foreach (var secret in new[] { SesTestServer.SecretKey, SesTestServer.ExpiredSecretKey, SesTestServer.ExpiredSessionToken, "DoNotLeak", SesTestServer.AccessKey, SesTestServer.ExpiredAccessKey })
            Assert.DoesNotContain(secret, all);
    }

    [Fact]
    public void Set_mail_from_domain_sends_nothing_under_whatif_and_validates_first()
    {
        using var ps = new PowerShellSession();
        int Puts() => _ses.Requests.Count(q => q.Method == "PUT" && q.Path.Contains("/whatif.ses-ok.test/"));
        var r = ps.Run($"Set-SesMailFromDomain whatif.ses-ok.test mail.whatif.ses-ok.test {Api} -WhatIf").ThrowOnError();
        Assert.Equal(0, Puts());
        Assert.Contains("What if", r.HostText);

        var bad = ps.Run($"Set-SesMailFromDomain ses-ok.test mail.example.org {Api} -Confirm:$false");
        Assert.StartsWith("SesMailFromOutsideIdentity,", Assert.Single(bad.ErrorIds));
        Assert.DoesNotContain(_ses.Requests, q => q.Method == "PUT" && q.Body.Contains("example.org"));

        var done = ps.Run($"Set-SesMailFromDomain ses-ok.test bounce.ses-ok.test -BehaviorOnMxFailure RejectMessage {Api} -Confirm:$false -PassThru").ThrowOnError();
        Assert.Equal("bounce.ses-ok.test", done.Property(0, "MailFromDomain"));
        var put = _ses.Requests.Last(q => q.Method == "PUT" && q.Body.Contains("bounce.ses-ok.test"));
        Assert.True(put.SignatureValid, put.SignatureProblem);
        Assert.Contains("REJECT_MESSAGE", put.Body);
    }

    [Fact]
    public void Set_mail_from_domain_signs_each_piped_object_for_its_own_region()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($@"[pscustomobject]@{{ Identity = 'ses-ok.test'; MailFromDomain = 'east.ses-ok.test'; Region = '{SesTestServer.Region}' }},
                          [pscustomobject]@{{ Identity = 'ses-ok.test'; MailFromDomain = 'west.ses-ok.test'; Region = '{SesTestServer.SecondRegion}' }},
                          [pscustomobject]@{{ Identity = 'ses-ok.test'; MailFromDomain = 'east2.ses-ok.test'; Region = '{SesTestServer.Region}' }} |
                          Set-SesMailFromDomain -ProfileName ses-test -EndpointUrl {_ses.EndpointUrl} -Confirm:$false -PassThru").ThrowOnError();
        Assert.Equal(new[] { SesTestServer.Region, SesTestServer.SecondRegion, SesTestServer.Region }, r.Output.Select(o => (string)o.Properties["Region"].Value));
        foreach (var (mailFrom, region) in new[] { ("east.ses-ok.test", SesTestServer.Region), ("west.ses-ok.test", SesTestServer.SecondRegion), ("east2.ses-ok.test", SesTestServer.Region) })
        {
            var put = _ses.Requests.Last(q => q.Method == "PUT" && q.Body.Contains("\"" + mailFrom + "\""));
            Assert.True(put.SignatureValid, put.SignatureProblem);
            Assert.Equal(region, put.SigningRegion);
        }
    }

    [Fact]
    public void Test_ses_domain_setup_from_the_api_checks_every_record()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Test-SesDomainSetup ses-ok.test {Api} -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(7, r.Output.Count); // 3 CNAME, MX, TXT, DMARC, verdict
        Assert.All(r.Output.Take(6), o => Assert.Equal("Ok", o.Properties["Status"].Value.ToString()));
        Assert.Equal("Pass", r.Property(6, "DmarcResult").ToString());
        Assert.Equal(true, r.Property(6, "SpfAligned"));
    }

    [Fact]
    public void Seed_003_verdict_offline_spf_passes_without_alignment_and_dmarc_rests_on_dkim()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token {Tokens} -Server $args[0] -VerdictOnly", _dns.Address).ThrowOnError();
        var v = r.Output.Single();
        Assert.Equal(true, v.Properties["SpfPass"].Value);
        Assert.Equal(false, v.Properties["SpfAligned"].Value);
        Assert.Equal("ap-northeast-1.amazonses.com", v.Properties["SpfDomain"].Value);
        Assert.Equal(true, v.Properties["DkimAligned"].Value);
        Assert.Equal("Pass", v.Properties["DmarcResult"].Value.ToString());
        var codes = ps.Run($"(Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token {Tokens} -Server $args[0] -VerdictOnly).Findings.Code", _dns.Address).Output.Select(o => o.ToString());
        Assert.Contains("SesDmarcRestsOnDkim", codes);
    }

    [Theory]
    [InlineData("missingcname", "CNAME", "Missing")]
    [InlineData("wrongcname", "CNAME", "Mismatch")]
    [InlineData("wrongregion", "CNAME", "Mismatch")]
    [InlineData("twomx", "MX", "Conflict")]
    [InlineData("nospfinclude", "TXT", "Mismatch")]
    [InlineData("twospf", "TXT", "Conflict")]
    [InlineData("nodmarc", "TXT", "Missing")]
    public void Each_misconfiguration_is_flagged(string label, string type, string status)
    {
        using var ps = new PowerShellSession();
        var identity = label + ".ses-broken.test";
        var r = ps.Run($"Test-SesDomainSetup {identity} -Region us-east-1 -Token {Tokens} -MailFromDomain mail.{identity} -Server $args[0] | Where-Object Status -ne Ok | Where-Object Type", _dns.Address).ThrowOnError();
        Assert.NotEmpty(r.Output);
        Assert.All(r.Output, o => Assert.Equal(type, o.Properties["Type"].Value));
        Assert.All(r.Output, o => Assert.Equal(status, o.Properties["Status"].Value.ToString()));
        Assert.All(r.Output, o => Assert.False(string.IsNullOrEmpty((string)o.Properties["Message"].Value)));
    }

    [Fact]
    public void Identity_objects_bind_by_property_name_ours_and_aws_tools_shape()
    {
        using var ps = new PowerShellSession();
        var ours = ps.Run($"Get-SesEmailIdentity ses-ok.test {Api} | Test-SesDomainSetup -Server $args[0] -VerdictOnly", _dns.Address).ThrowOnError();
        Assert.Equal("Pass", ours.Property(0, "DmarcResult").ToString());

        var table = ps.Run($"Get-SesEmailIdentity ses-ok.test {Api} | Get-SesDnsRecord").ThrowOnError();
        Assert.Equal(6, table.Output.Count);
        Assert.Equal("mail.ses-ok.test", table.Property(3, "Name"));

        // AWS Tools for PowerShell's Get-SES2EmailIdentity returns DkimAttributes / MailFromAttributes but no identity name.
        var awsTools = ps.Run(@"
            $aws = [pscustomobject]@{
                IdentityType = 'DOMAIN'
                DkimAttributes = [pscustomobject]@{ SigningEnabled = $true; Status = 'SUCCESS'; Tokens = [System.Collections.Generic.List[string]]@('eogp72tvvmnugysm4vjttzghjnmzww36','zh4gjftm6etwoq6afzugpky45synznly','224i4yxa5dv7c2xz3womw6peuasteono'); SigningHostedZone = 'dkim.amazonses.com' }
                MailFromAttributes = [pscustomobject]@{ MailFromDomain = 'mail.twomx.ses-broken.test'; MailFromDomainStatus = 'FAILED'; BehaviorOnMxFailure = 'USE_DEFAULT_VALUE' }
            }
            $aws | Test-SesDomainSetup -Identity twomx.ses-broken.test -Region us-east-1 -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(7, awsTools.Output.Count);
        Assert.Equal("Conflict", awsTools.Output.Single(o => (string)o.Properties["Type"]?.Value == "MX").Properties["Status"].Value.ToString());
    }

    [Fact]
    public void Default_views_show_the_columns_a_person_scans()
    {
        using var ps = new PowerShellSession();
        var rows = ps.Format($"Test-SesDomainSetup twomx.ses-broken.test -Region us-east-1 -Token {Tokens} -MailFromDomain mail.twomx.ses-broken.test -Server $args[0]", _dns.Address);
        Assert.Contains("Conflict", rows);
        Assert.Contains("Found", rows);
        Assert.Contains("DmarcResult", rows);
    }

    [Fact]
    public void Setup_output_shows_each_identitys_record_table_then_its_verdict_block_with_a_header()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format($"$server = $args[0]; 'twomx.ses-broken.test', 'ses-ok.test' | ForEach-Object {{ Test-SesDomainSetup $_ -Region us-east-1 -Token {Tokens} -MailFromDomain mail.$_ -Server $server }}", _dns.Address);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToList();

        // Each identity's rows are a table of their own, with the record columns and a header naming the identity.
        var tableHeaders = lines.Select((l, i) => (l, i)).Where(x => System.Text.RegularExpressions.Regex.IsMatch(x.l, @"^Status\s+Type\s+Purpose\s+Name\s+Found$")).Select(x => x.i).ToList();
        Assert.Equal(2, tableHeaders.Count);
        int Line(string start) => lines.FindIndex(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));
        int brokenRecords = Line("Records of: twomx.ses-broken.test"), brokenVerdict = Line("Verdict for twomx.ses-broken.test");
        int okRecords = Line("Records of: ses-ok.test"), okVerdict = Line("Verdict for ses-ok.test");
        Assert.True(brokenRecords >= 0 && brokenRecords < tableHeaders[0] && tableHeaders[0] < Line("Conflict") && Line("Conflict") < brokenVerdict
            && brokenVerdict < okRecords && okRecords < tableHeaders[1] && tableHeaders[1] < okVerdict, text);

        // The verdict is its own block (the view's lines), not a list of every property after the table.
        Assert.Equal("Status      : Warning", lines[brokenVerdict + 1].Trim());
        Assert.Equal("Spf         : pass for us-east-1.amazonses.com, not aligned", lines[brokenVerdict + 2].Trim());
        Assert.Equal("DmarcResult : Pass", lines[brokenVerdict + 4].Trim());
        Assert.Equal("Region      : us-east-1, sends aligned mail", lines[brokenVerdict + 6].Trim());
        Assert.Equal("Changes     : - - mail.twomx.ses-broken.test MX mx.mailbox.example", lines[brokenVerdict + 7].Trim());
        Assert.Equal("Status      : Ok", lines[okVerdict + 1].Trim());
        Assert.Equal("Spf         : pass for mail.ses-ok.test, aligned", lines[okVerdict + 2].Trim());
        Assert.Equal("Changes     : (none)", lines[okVerdict + 7].Trim());
        Assert.DoesNotContain(lines, l => l.StartsWith("FromDomain ", StringComparison.Ordinal));
    }

    [Fact]
    public void Verdict_only_output_is_the_verdict_block_alone()
    {
        using var ps = new PowerShellSession();
        var block = ps.Format($"Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token {Tokens} -Server $args[0] -VerdictOnly", _dns.Address);
        Assert.Contains("Verdict for nomailfrom.ses-ok.test", block);
        Assert.Contains("Spf         : pass for ap-northeast-1.amazonses.com, not aligned", block);
        Assert.Contains("Policy      : p=none at _dmarc.nomailfrom.ses-ok.test -> None", block);
        Assert.DoesNotContain("Records of", block);
        Assert.DoesNotContain("Expected", block);
    }
}

/// <summary>Every SES cmdlet has a help file documenting each of its parameters, and a default view for what it writes.</summary>
public sealed class SesHelpCoverageTests
{
    public static TheoryData<string> SesCmdlets => new TheoryData<string>
    {
        "New-SesMailFromConfig", "New-SesDkimRecord", "Get-SesDnsRecord", "ConvertTo-DnsZoneFile", "ConvertTo-Route53ChangeBatch",
        "Get-SesEmailIdentity", "Set-SesMailFromDomain", "Test-SesDomainSetup",
    };

    [Theory]
    [MemberData(nameof(SesCmdlets))]
    public void Every_parameter_is_documented(string cmdlet)
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", "cmdlets", cmdlet + ".md");
        Assert.True(File.Exists(path), path);
        var help = File.ReadAllText(path);
        using var ps = new PowerShellSession();
        var parameters = ps.Run("(Get-Command $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }", cmdlet)
            .ThrowOnError().Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.Contains("### -" + p + "\n", help));
        Assert.Contains("## SYNOPSIS", help);
        Assert.Contains("## EXAMPLES", help);
    }

    [Theory]
    [MemberData(nameof(SesCmdlets))]
    public void Declares_its_output_type(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var types = ps.Run("(Get-Command $args[0]).OutputType.Name", cmdlet).ThrowOnError().Output;
        Assert.NotEmpty(types);
    }
}
