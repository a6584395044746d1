using System;

namespace MailAuth.Route53;

/// <summary>Where a submitted change batch is (GetChange, ChangeInfo.Status).</summary>
public enum Route53ChangeStatus : long
{
    /// <summary>Accepted, not yet on every Route 53 name server.</summary>
    Pending = 0,

    /// <summary>Every Route 53 name server serves it.</summary>
    InSync = 1,
}

/// <summary>A change batch Route 53 accepted (ChangeInfo).</summary>
public sealed class Route53ChangeInfo
{
    public Route53ChangeInfo(string id, Route53ChangeStatus status, DateTimeOffset submittedAt, string comment = null)
    {
        Id = Route53Client.ShortId(id);
        Status = status;
        SubmittedAt = submittedAt;
        Comment = comment ?? string.Empty;
    }

    /// <summary>The change id without its /change/ prefix, e.g. <c>C2682N5HXP0BZ4</c>.</summary>
    public string Id { get; }

    public Route53ChangeStatus Status { get; }

    public DateTimeOffset SubmittedAt { get; }

    public string Comment { get; }

    public override string ToString() => $"{Id} {Status}";
}
