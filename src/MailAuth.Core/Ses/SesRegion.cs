using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>
/// An AWS Region where Amazon SES sends mail, with the two DNS names that depend on it:
/// the Easy DKIM hosted zone (<c>dkim.amazonses.com</c>, or <c>dkim.&lt;region&gt;.amazonses.com</c>
/// in the regions listed in the SES endpoint documentation) and the custom MAIL FROM feedback MX
/// (<c>feedback-smtp.&lt;region&gt;.amazonses.com</c>).
/// </summary>
public sealed class SesRegion
{
    /// <summary>ErrorId for a region SES does not send from (or a typo).</summary>
    public const string UnknownRegionErrorId = "SesUnknownRegion";

    /// <summary>The suffix of every SES-owned DNS name.</summary>
    public const string AmazonSesDomain = "amazonses.com";

    /// <summary>The Easy DKIM hosted zone of the regions that do not have their own.</summary>
    public const string GlobalDkimHostedZone = "dkim.amazonses.com";

    // Regions whose Easy DKIM CNAMEs point at dkim.<region>.amazonses.com (AWS General Reference,
    // "Amazon Simple Email Service endpoints and quotas", Easy DKIM domain column).
    private static readonly HashSet<string> RegionalDkimZones = new HashSet<string>(StringComparer.Ordinal)
    {
        "af-south-1", "ap-northeast-3", "ap-south-2", "ap-southeast-3", "ap-southeast-5", "ca-west-1",
        "eu-central-2", "eu-south-1", "il-central-1", "me-central-1", "us-gov-east-1",
    };

    // Regions with an SES email-sending endpoint (botocore endpoints.json "email" plus the newer regions of the SES endpoint table).
    private static readonly string[] Known =
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-5",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "sa-east-1",
        "us-gov-west-1", "us-gov-east-1",
    };

    private static readonly Dictionary<string, SesRegion> Table =
        Known.ToDictionary(r => r, r => new SesRegion(r), StringComparer.Ordinal);

    private SesRegion(string name)
    {
        Name = name;
        HasRegionalDkimHostedZone = RegionalDkimZones.Contains(name);
        DkimHostedZone = HasRegionalDkimHostedZone ? "dkim." + name + "." + AmazonSesDomain : GlobalDkimHostedZone;
        FeedbackMailExchange = "feedback-smtp." + name + "." + AmazonSesDomain;
    }

    /// <summary>The region code, e.g. <c>ap-northeast-1</c>.</summary>
    public string Name { get; }

    /// <summary>The zone Easy DKIM CNAMEs point into in this region.</summary>
    public string DkimHostedZone { get; }

    /// <summary>True when this region has its own Easy DKIM zone rather than dkim.amazonses.com.</summary>
    public bool HasRegionalDkimHostedZone { get; }

    /// <summary>The exchange of the one MX record a custom MAIL FROM domain needs in this region.</summary>
    public string FeedbackMailExchange { get; }

    /// <summary>Every region in the table.</summary>
    public static IReadOnlyList<SesRegion> All => Known.Select(r => Table[r]).ToList();

    /// <summary>Every Easy DKIM hosted zone name SES uses, global and regional.</summary>
    public static IReadOnlyList<string> AllDkimHostedZones =>
        new[] { GlobalDkimHostedZone }.Concat(Known.Where(RegionalDkimZones.Contains).Select(r => Table[r].DkimHostedZone)).ToList();

    /// <summary>Looks a region up; false for a region SES does not send from.</summary>
    public static bool TryGet(string name, out SesRegion region)
    {
        region = null;
        if (string.IsNullOrWhiteSpace(name)) return false;
        return Table.TryGetValue(name.Trim().ToLowerInvariant(), out region);
    }

    /// <summary>Looks a region up or throws <see cref="MailAuthInputException"/> with <see cref="UnknownRegionErrorId"/>.</summary>
    public static SesRegion Get(string name)
    {
        if (TryGet(name, out var region)) return region;
        throw new MailAuthInputException(UnknownRegionErrorId,
            $"'{name}' is not an AWS Region where Amazon SES sends mail. Use a region code such as us-east-1 or ap-northeast-1.", name);
    }

    public override string ToString() => Name;
}
