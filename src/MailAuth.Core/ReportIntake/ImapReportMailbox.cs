using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace MailAuth.ReportIntake;

/// <summary>
/// An IMAP folder where aggregate reports arrive, read through MailKit: TLS on connect or a required STARTTLS,
/// sign-in, SEARCH (SINCE), FETCH of the raw message with BODY.PEEK[] (no \Seen flag is set), and, only when asked,
/// MOVE to another folder or a UID EXPUNGE of one message (UIDPLUS, RFC 4315) so that no other message marked
/// \Deleted is expunged with it. The folder is opened read-only (EXAMINE) unless messages are to be moved or deleted.
/// </summary>
public sealed class ImapReportMailbox : IDmarcReportSource
{
    private readonly ImapReportMailboxOptions _options;
    private readonly ImapClient _client = new ImapClient();
    private IMailFolder _folder;

    public ImapReportMailbox(ImapReportMailboxOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (string.IsNullOrWhiteSpace(options.Host)) throw new ArgumentException("An IMAP server is required.", nameof(options));
        _client.Timeout = (int)options.Timeout.TotalMilliseconds;
        if (options.SkipCertificateCheck)
        {
            _client.ServerCertificateValidationCallback = (sender, certificate, chain, errors) => true;
            _client.CheckCertificateRevocation = false;
        }
        Name = $"{(options.StartTls ? "imap" : "imaps")}://{options.Host}:{options.EffectivePort}/{options.Folder ?? "INBOX"}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DmarcReportSourceItem>> ListAsync(CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _folder = await OpenFolderAsync(_options.Folder ?? "INBOX", _options.ReadOnly ? FolderAccess.ReadOnly : FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var query = _options.Since.HasValue ? SearchQuery.DeliveredAfter(_options.Since.Value.Date) : SearchQuery.All;
        IList<UniqueId> uids;
        IList<IMessageSummary> summaries;
        try
        {
            uids = await _folder.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            Log(_options.Since.HasValue
                ? $"SEARCH SINCE {_options.Since.Value:dd-MMM-yyyy} found {uids.Count} message(s) in {_folder.FullName}."
                : $"{_folder.FullName} holds {uids.Count} message(s).");
            summaries = uids.Count == 0
                ? new List<IMessageSummary>()
                : await _folder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.InternalDate), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.AccessDeniedErrorId, Name, $"The IMAP server refused to list {_folder.FullName}: {ex.Message}", ex);
        }
        return summaries.OrderBy(s => s.UniqueId.Id)
            .Select(s => new DmarcReportSourceItem(s.UniqueId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Name};UID={s.UniqueId.Id}", s.Size, s.InternalDate))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadAsync(DmarcReportSourceItem item, long maxBytes, CancellationToken cancellationToken)
    {
        if (item.Size > maxBytes)
            throw Failed(ReportSourceException.ItemTooLargeErrorId, item.Name,
                $"{item.Name} is {item.Size:N0} bytes, more than the {maxBytes:N0} read for a message; it was not read, and it stays in the mailbox.");
        try
        {
            using var stream = await _folder.GetStreamAsync(Uid(item), cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                    throw Failed(ReportSourceException.ItemTooLargeErrorId, item.Name, $"{item.Name} is more than the {maxBytes:N0} bytes read for a message; it was not read, and it stays in the mailbox.");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.ItemFailedErrorId, item.Name, $"{item.Name} could not be fetched: {ex.Message}", ex);
        }
    }

    /// <summary>Whether the server can expunge one message alone (UIDPLUS); without it, a deleted message is only marked \Deleted.</summary>
    public bool CanExpungeOne => (_client.Capabilities & ImapCapabilities.UidPlus) != 0;

    /// <inheritdoc />
    public async Task DeleteAsync(DmarcReportSourceItem item, CancellationToken cancellationToken)
    {
        try
        {
            var uid = Uid(item);
            await _folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken).ConfigureAwait(false);
            if (CanExpungeOne)
                await _folder.ExpungeAsync(new[] { uid }, cancellationToken).ConfigureAwait(false);
            else
                Log($"The server has no UIDPLUS: {item.Name} is marked \\Deleted and goes at the mailbox's next expunge.");
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.ItemFailedErrorId, item.Name, $"{item.Name} could not be deleted: {ex.Message}", ex);
        }
    }

    /// <summary>Checks that a destination folder exists before any message is moved to it.</summary>
    public async Task CheckFolderAsync(string folder, CancellationToken cancellationToken) =>
        await FindFolderAsync(folder, cancellationToken).ConfigureAwait(false);

    /// <summary>Moves a message to another folder (MOVE, RFC 6851; MailKit falls back to COPY, \Deleted and UID EXPUNGE).</summary>
    public async Task MoveAsync(DmarcReportSourceItem item, string destination, CancellationToken cancellationToken)
    {
        var target = await FindFolderAsync(destination, cancellationToken).ConfigureAwait(false);
        try
        {
            await _folder.MoveToAsync(Uid(item), target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.ItemFailedErrorId, item.Name, $"{item.Name} could not be moved to {destination}: {ex.Message}", ex);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var port = _options.EffectivePort;
        try
        {
            await _client.ConnectAsync(_options.Host, port, _options.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SslHandshakeException || ex is SocketException || ex is IOException || ex is ImapProtocolException || ex is NotSupportedException)
        {
            var hint = ex is SslHandshakeException
                ? " The TLS handshake failed: the server's certificate is not trusted or does not name the host (for a test server with a self-signed certificate, -SkipCertificateCheck)."
                : string.Empty;
            throw Failed(ReportSourceException.ConnectFailedErrorId, Name, $"Could not connect to {_options.Host}:{port}: {ex.Message}{hint}", ex);
        }
        Log($"Connected to {_options.Host}:{port} ({(_options.StartTls ? "STARTTLS" : "TLS")}, {_client.SslProtocol}).");
        var credential = _options.Credential;
        if (credential == null || string.IsNullOrEmpty(credential.UserName))
            throw Failed(ReportSourceException.AuthenticationFailedErrorId, Name, $"No credential for {_options.Host}: give -Credential.");
        try
        {
            await _client.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw Failed(ReportSourceException.AuthenticationFailedErrorId, Name, $"{_options.Host} refused the sign-in of '{credential.UserName}': {ex.Message}", ex);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.AuthenticationFailedErrorId, Name, $"Signing in to {_options.Host} as '{credential.UserName}' failed: {ex.Message}", ex);
        }
        Log($"Signed in as '{credential.UserName}'; UIDPLUS {(CanExpungeOne ? "yes" : "no")}, MOVE {((_client.Capabilities & ImapCapabilities.Move) != 0 ? "yes" : "no")}.");
    }

    private async Task<IMailFolder> OpenFolderAsync(string name, FolderAccess access, CancellationToken cancellationToken)
    {
        var folder = await FindFolderAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            await folder.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.AccessDeniedErrorId, Name, $"The IMAP server refused to open {name}: {ex.Message}", ex);
        }
        Log($"Opened {folder.FullName} {(access == FolderAccess.ReadOnly ? "read-only (EXAMINE)" : "read-write (SELECT)")}.");
        return folder;
    }

    private async Task<IMailFolder> FindFolderAsync(string name, CancellationToken cancellationToken)
    {
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase)) return _client.Inbox;
        try
        {
            return await _client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException ex)
        {
            throw Failed(ReportSourceException.NotFoundErrorId, name, $"There is no folder '{name}' on {_options.Host}.", ex);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            throw Failed(ReportSourceException.NotFoundErrorId, name, $"The folder '{name}' on {_options.Host} could not be found: {ex.Message}", ex);
        }
    }

    private static UniqueId Uid(DmarcReportSourceItem item) => new UniqueId(uint.Parse(item.Id, System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsServerFailure(Exception ex) =>
        ex is ImapCommandException || ex is ImapProtocolException || ex is IOException || ex is SocketException || ex is ServiceNotConnectedException || ex is FolderNotOpenException;

    private static ReportSourceException Failed(string errorId, string target, string message, Exception inner = null) =>
        new ReportSourceException(errorId, target, message, inner);

    private void Log(string line) => _options.Log?.Invoke(line);

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected) _client.Disconnect(true);
        }
        catch (Exception ex) when (IsServerFailure(ex))
        {
            // The connection is going away anyway.
        }
        _client.Dispose();
    }
}
