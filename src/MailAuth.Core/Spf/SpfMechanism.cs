using System.Net;

namespace MailAuth.Spf;

/// <summary>A directive: a qualifier and one of the mechanisms of RFC 7208 §5, with its domain-spec or network and dual CIDR lengths.</summary>
public sealed class SpfMechanism : SpfTerm
{
    internal SpfMechanism(string text, SpfQualifier qualifier, SpfMechanismKind kind, string domainSpec, IPAddress network, int? ip4Cidr, int? ip6Cidr)
        : base(text, kind.ToString().ToLowerInvariant(), network != null ? network + (kind == SpfMechanismKind.Ip4 ? Suffix(ip4Cidr) : Suffix(ip6Cidr)) : domainSpec)
    {
        QualifierValue = qualifier;
        Kind = kind;
        DomainSpec = domainSpec;
        Network = network?.ToString();
        NetworkAddress = network;
        NetworkBytes = network?.GetAddressBytes();
        Ip4Cidr = ip4Cidr;
        Ip6Cidr = ip6Cidr;
    }

    private SpfQualifier QualifierValue { get; }
    private int? Ip4Cidr { get; }
    private int? Ip6Cidr { get; }

    /// <summary>Which mechanism this is.</summary>
    public SpfMechanismKind Kind { get; }

    /// <summary>The unexpanded domain-spec of include, a, mx, ptr and exists; null when absent (a, mx and ptr then use the current domain).</summary>
    public string DomainSpec { get; }

    /// <summary>The network address of ip4 and ip6, as text.</summary>
    public string Network { get; }

    /// <summary>The network address of ip4 and ip6.</summary>
    internal IPAddress NetworkAddress { get; }

    /// <summary><see cref="NetworkAddress"/> as bytes, computed once for matching.</summary>
    internal byte[] NetworkBytes { get; }

    public override bool IsMechanism => true;
    public override SpfQualifier? Qualifier => QualifierValue;

    /// <summary>The result this mechanism gives when it matches (RFC 7208 §4.6.2).</summary>
    public SpfResult MatchResult => QualifierValue switch
    {
        SpfQualifier.Fail => SpfResult.Fail,
        SpfQualifier.SoftFail => SpfResult.SoftFail,
        SpfQualifier.Neutral => SpfResult.Neutral,
        _ => SpfResult.Pass,
    };

    public override int? Ip4CidrLength => Ip4Cidr;
    public override int? Ip6CidrLength => Ip6Cidr;

    public override bool CountsTowardLookupLimit =>
        Kind == SpfMechanismKind.Include || Kind == SpfMechanismKind.A || Kind == SpfMechanismKind.Mx
        || Kind == SpfMechanismKind.Ptr || Kind == SpfMechanismKind.Exists;

    /// <summary>The prefix length that applies to an IPv4 client (32 when not written).</summary>
    public int EffectiveIp4Cidr => Ip4Cidr ?? 32;

    /// <summary>The prefix length that applies to an IPv6 client (128 when not written).</summary>
    public int EffectiveIp6Cidr => Ip6Cidr ?? 128;

    private static string Suffix(int? cidr) => cidr.HasValue ? "/" + cidr.Value : string.Empty;
}
