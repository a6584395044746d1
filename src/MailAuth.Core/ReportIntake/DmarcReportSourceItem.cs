using System;

namespace MailAuth.ReportIntake;

/// <summary>One message waiting at a report source: a mailbox message (by UID) or an S3 object (by key).</summary>
public sealed class DmarcReportSourceItem
{
    public DmarcReportSourceItem(string id, string name, long? size, DateTimeOffset? date)
    {
        Id = id;
        Name = name;
        Size = size;
        Date = date;
    }

    /// <summary>The source's own handle: the message's UID, or the object's key.</summary>
    public string Id { get; }

    /// <summary>What results and errors name it by, e.g. <c>imaps://mail.example.com/INBOX;UID=42</c> or <c>s3://bucket/key</c>.</summary>
    public string Name { get; }

    /// <summary>The size in bytes the source declares, when it does.</summary>
    public long? Size { get; }

    /// <summary>When the source received it (IMAP INTERNALDATE, S3 LastModified), when known.</summary>
    public DateTimeOffset? Date { get; }

    public override string ToString() => Name;
}
