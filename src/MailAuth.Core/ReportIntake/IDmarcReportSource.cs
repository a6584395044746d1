using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.ReportIntake;

/// <summary>
/// Where report mail arrives (an IMAP folder, an S3 prefix): list the messages, read one whole, and remove one
/// only when asked, after its reports were read and kept. Errors are <see cref="ReportSourceException"/>s.
/// </summary>
public interface IDmarcReportSource : IDisposable
{
    /// <summary>The source as a URL without credentials, e.g. <c>imaps://mail.example.com:993/INBOX</c>.</summary>
    string Name { get; }

    /// <summary>Connects, signs in and lists the messages (all of them, in the source's order).</summary>
    Task<IReadOnlyList<DmarcReportSourceItem>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Reads one message's bytes, as stored (refused past <paramref name="maxBytes"/>).</summary>
    Task<byte[]> ReadAsync(DmarcReportSourceItem item, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Removes a message from the source for good.</summary>
    Task DeleteAsync(DmarcReportSourceItem item, CancellationToken cancellationToken);
}
