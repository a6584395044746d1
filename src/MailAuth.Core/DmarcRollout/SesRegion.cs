using System.Text.RegularExpressions;

namespace MailAuth.DmarcRollout;

/// <summary>
/// The Amazon SES region a sending host belongs to, from its reverse-DNS name: SES outbound hosts are named
/// <c>*.smtp-out.&lt;region&gt;.amazonses.com</c> (e.g. e226-55.smtp-out.ap-northeast-1.amazonses.com), and those of
/// us-east-1, the oldest region, <c>*.smtp-out.amazonses.com</c> without a region (e.g. a8-30.smtp-out.amazonses.com).
/// </summary>
public static class SesRegion
{
    private static readonly Regex Host = new Regex(@"^[a-z0-9-]+\.smtp-out\.(?:(?<region>[a-z]{2}(?:-[a-z]+)+-[0-9])\.)?amazonses\.com\.?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The region of an SES sending host, or null when the name is not one.</summary>
    public static string FromHostName(string hostName)
    {
        if (string.IsNullOrEmpty(hostName)) return null;
        var match = Host.Match(hostName);
        if (!match.Success) return null;
        var region = match.Groups["region"];
        return region.Success ? region.Value.ToLowerInvariant() : "us-east-1";
    }
}
