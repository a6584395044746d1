using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Dmarc;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>
/// The RFC sections findings and messages cite, checked against RFC 9989 (draft-ietf-dmarc-dmarcbis-41, the text sent
/// to the RFC Editor): starting at p=none and watching the reports is §5.1.4/§5.1.5 (§5.1.7 is the move to
/// enforcement), the cautions before p=reject are §7.4, and RFC 7489 is cited only for the legacy mode.
/// </summary>
public sealed class DmarcCitationTests
{
    [Fact]
    public void Policy_none_finding_cites_monitoring_mode_and_the_cautions_before_reject()
    {
        var finding = DmarcRecordParser.Parse("v=DMARC1; p=none; rua=mailto:a@example.com").Findings.Single(f => f.Code == DmarcFindingCode.PolicyNone);
        Assert.Equal("RFC 9989 §5.1.4, §5.1.5", finding.Reference);
        Assert.Contains("at least a month", finding.Message);
        Assert.Contains("RFC 9989 §7.4", finding.Message);
        Assert.Contains("SPF alone", finding.Message);
    }

    [Theory]
    [InlineData("AlignmentMode.cs")]
    [InlineData("AlignmentResult.cs")]
    [InlineData("IdentifierAlignment.cs")]
    public void Spf_alignment_is_cited_as_section_4_4_2_not_the_dkim_signing_domain_definition(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "MailAuth.Core", "Dmarc", file));
        Assert.DoesNotContain("§3.2.3", text);
    }

    /// <summary>
    /// RFC 7489 is obsolete: a citation of it belongs only where MailAuth does what the legacy mode does (the Public
    /// Suffix List, pct= sampling, the tags RFC 9989 removed) or names the older report schema it still reads.
    /// Every other message cites RFC 9989 or RFC 9990.
    /// </summary>
    [Fact]
    public void Rfc7489_is_cited_in_user_facing_text_only_for_the_legacy_mode()
    {
        var allowed = new Regex(@"RFC 7489 (§3\.2|§6\.6\.3|§6\.6\.4|§6\.2)", RegexOptions.CultureInvariant);
        var offenders = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("///") && !l.Text.TrimStart().StartsWith("//"))
            .Where(l => l.Text.Contains("RFC 7489") && Regex.Matches(l.Text, "RFC 7489[^\"]*").Cast<Match>()
                .Any(m => !allowed.IsMatch(m.Value) && !(m.Value.StartsWith("RFC 7489 §6.3") && l.Text.Contains("pct"))))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "RFC 7489 cited outside the legacy mode:\n" + string.Join("\n", offenders));
    }
}
