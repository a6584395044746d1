namespace MailAuth.Route53;

/// <summary>A Route 53 hosted zone, as ListHostedZonesByName describes it.</summary>
public sealed class Route53HostedZone
{
    public Route53HostedZone(string id, string name, bool privateZone, long recordSetCount)
    {
        Id = Route53Client.ShortId(id);
        Name = (name ?? string.Empty).TrimEnd('.').ToLowerInvariant();
        PrivateZone = privateZone;
        RecordSetCount = recordSetCount;
    }

    /// <summary>The zone id without its /hostedzone/ prefix, e.g. <c>Z0123456789ABCDEFGHIJ</c>.</summary>
    public string Id { get; }

    /// <summary>The zone's name, without the trailing dot.</summary>
    public string Name { get; }

    /// <summary>A private zone answers only inside its VPCs.</summary>
    public bool PrivateZone { get; }

    public long RecordSetCount { get; }

    public override string ToString() => $"{Name} ({Id}{(PrivateZone ? ", private" : string.Empty)})";
}
