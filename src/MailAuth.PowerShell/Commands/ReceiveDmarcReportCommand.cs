using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using MailAuth.DmarcReports;
using MailAuth.ReportIntake;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Receives DMARC aggregate reports where they arrive: an IMAP mailbox, or the S3 prefix where an Amazon SES receipt rule stores incoming mail.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "DmarcReport", DefaultParameterSetName = ImapParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DmarcAggregateReport), typeof(DmarcReportRow))]
public sealed class ReceiveDmarcReportCommand : MailAuthCmdlet
{
    private const string ImapParameterSet = "Imap";
    private const string S3ParameterSet = "S3";

    /// <summary>Stable id of the error for -Delete without -SaveTo: a deleted report would be kept nowhere.</summary>
    public const string DeleteRequiresSaveToErrorId = "DmarcReportDeleteRequiresSaveTo";

    /// <summary>Stable id of the error for -MoveTo with -Delete: a message can go only one way.</summary>
    public const string MoveToAndDeleteErrorId = "DmarcReportMoveToAndDelete";

    /// <summary>The IMAP server: a host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ImapParameterSet)]
    [ValidateNotNullOrEmpty]
    public string ImapServer { get; set; }

    /// <summary>The IMAP port; default 993 (TLS), or 143 with -StartTls.</summary>
    [Parameter(ParameterSetName = ImapParameterSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>Connect in clear and require STARTTLS, instead of TLS from the first byte.</summary>
    [Parameter(ParameterSetName = ImapParameterSet)]
    public SwitchParameter StartTls { get; set; }

    /// <summary>Accept any server certificate (a test server with a self-signed certificate).</summary>
    [Parameter(ParameterSetName = ImapParameterSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The mailbox's user name and password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImapParameterSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; }

    /// <summary>The IMAP folder the reports arrive in; default INBOX.</summary>
    [Parameter(ParameterSetName = ImapParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Folder { get; set; } = "INBOX";

    /// <summary>After a message's reports were read (and saved, with -SaveTo), move it to this IMAP folder.</summary>
    [Parameter(ParameterSetName = ImapParameterSet)]
    [ValidateNotNullOrEmpty]
    public string MoveTo { get; set; }

    /// <summary>The S3 bucket an SES receipt rule stores incoming mail in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = S3ParameterSet)]
    [Alias("BucketName")]
    [ValidateNotNullOrEmpty]
    public string S3Bucket { get; set; }

    /// <summary>The receipt rule's object key prefix.</summary>
    [Parameter(ParameterSetName = S3ParameterSet)]
    [Alias("Prefix")]
    public string KeyPrefix { get; set; }

    /// <summary>The bucket's AWS Region; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    [Parameter(ParameterSetName = S3ParameterSet)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files; default the standard credential chain.</summary>
    [Parameter(ParameterSetName = S3ParameterSet)]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another S3 endpoint (S3-compatible store, test server), addressed path-style.</summary>
    [Parameter(ParameterSetName = S3ParameterSet)]
    public Uri EndpointUrl { get; set; }

    /// <summary>Only messages received on or after this day (IMAP SEARCH SINCE; for S3, the object's LastModified).</summary>
    [Parameter]
    public DateTime Since { get; set; }

    /// <summary>Keep every new report's message in this folder (the history Import-DmarcReport reads); reports already there are skipped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string SaveTo { get; set; }

    /// <summary>After a message's reports were read and saved (-SaveTo is required), delete it at the source.</summary>
    [Parameter]
    public SwitchParameter Delete { get; set; }

    /// <summary>Write one flat row per record instead of one object per report.</summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();

    protected override void ProcessRecord()
    {
        if (Delete && string.IsNullOrEmpty(SaveTo))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-Delete removes each report from the source after it was saved: give -SaveTo <folder> to keep the reports, or leave -Delete out."),
                DeleteRequiresSaveToErrorId, ErrorCategory.InvalidArgument, null));
        }

        if (Delete && !string.IsNullOrEmpty(MoveTo))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-MoveTo and -Delete both say what to do with a message once its reports are read: give one of them."),
                MoveToAndDeleteErrorId, ErrorCategory.InvalidArgument, null));
        }

        DmarcReportArchive archive = null;
        if (!string.IsNullOrEmpty(SaveTo))
        {
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(SaveTo);
            try
            {
                archive = new DmarcReportArchive(folder);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ReportSourceException.SaveFailedErrorId, ErrorCategory.WriteError, SaveTo));
            }
            WriteVerbose($"Saving to {archive.Folder}, which holds {archive.Count} report(s).");
        }
        var intake = new DmarcReportIntake(archive);

        IDmarcReportSource source = null;
        try
        {
            source = OpenSource();
            Receive(source, intake);
        }
        catch (ReportSourceException ex)
        {
            FlushLog();
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, Category(ex.ErrorId), ex.Target ?? source?.Name));
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping; what was taken in so far was written and saved.
        }
        finally
        {
            source?.Dispose();
            FlushLog();
        }
    }

    private IDmarcReportSource OpenSource()
    {
        bool removes = Delete || !string.IsNullOrEmpty(MoveTo);
        if (ParameterSetName == S3ParameterSet)
        {
            return new S3ReportBucket(new S3ReportBucketOptions
            {
                Bucket = S3Bucket,
                Prefix = KeyPrefix,
                Region = Region,
                ProfileName = ProfileName,
                EndpointUrl = EndpointUrl,
                Log = _log.Enqueue,
            });
        }
        return new ImapReportMailbox(new ImapReportMailboxOptions
        {
            Host = ImapServer,
            Port = Port,
            StartTls = StartTls,
            SkipCertificateCheck = SkipCertificateCheck,
            Credential = Credential.GetNetworkCredential(),
            Folder = Folder,
            Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : (DateTime?)null,
            ReadOnly = !removes,
            Log = _log.Enqueue,
        });
    }

    private void Receive(IDmarcReportSource source, DmarcReportIntake intake)
    {
        var activity = $"Receiving DMARC reports from {source.Name}";
        WriteProgress(new ProgressRecord(1, activity, "Listing messages"));
        var items = Await(source.ListAsync(CancellationToken));
        FlushLog();
        var mailbox = source as ImapReportMailbox;
        if (mailbox != null && !string.IsNullOrEmpty(MoveTo))
            Await(mailbox.CheckFolderAsync(MoveTo, CancellationToken));
        bool filterByDate = ParameterSetName == S3ParameterSet && MyInvocation.BoundParameters.ContainsKey(nameof(Since));

        int done = 0, taken = 0;
        foreach (var item in items)
        {
            if (Stopping) return;
            WriteProgress(new ProgressRecord(1, activity, $"{done + 1} of {items.Count}: {item.Name}")
            {
                PercentComplete = (int)(100L * done / Math.Max(1, items.Count)),
                CurrentOperation = $"{taken} new report(s) so far",
            });
            done++;
            if (filterByDate && item.Date.HasValue && item.Date.Value.UtcDateTime < Since.ToUniversalTime().Date)
            {
                WriteVerbose($"{item.Name}: received {item.Date.Value:u}, before -Since; skipped.");
                continue;
            }
            byte[] message;
            try
            {
                message = Await(source.ReadAsync(item, intake.Options.MaxMessageBytes, CancellationToken));
            }
            catch (ReportSourceException ex) when (ex.ErrorId == ReportSourceException.ItemFailedErrorId || ex.ErrorId == ReportSourceException.ItemTooLargeErrorId || ex.ErrorId == ReportSourceException.NotFoundErrorId)
            {
                FlushLog();
                WriteError(ex, ex.ErrorId, Category(ex.ErrorId), item.Name);
                continue;
            }
            var result = intake.Accept(message, item.Name, CancellationToken);
            taken += result.Reports.Count;
            Write(result);
            Settle(source, mailbox, item, result);
            FlushLog();
        }
        WriteProgress(new ProgressRecord(1, activity, $"{items.Count} message(s), {taken} new report(s)") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"{source.Name}: {items.Count} message(s) looked at, {taken} new report(s).");
    }

    private void Write(DmarcReportIntakeResult result)
    {
        if (!result.IsReport)
        {
            WriteVerbose($"{result.Source}: not a report (no .xml, .gz or .zip attachment); skipped and left as it is.");
            return;
        }
        foreach (var duplicate in result.Duplicates)
        {
            WriteVerbose(duplicate.Reason == DmarcReportDuplicateReason.AlreadySaved
                ? $"{result.Source}: report {duplicate.Identity} is already saved in {SaveTo}; skipped."
                : $"{result.Source}: report {duplicate.Identity} came already in this run; dropped as a duplicate.");
        }
        foreach (var error in result.Errors)
            WriteError(error, error.ErrorId, ErrorCategory.InvalidData, error.Source);
        if (result.SaveError != null)
            WriteError(result.SaveError, result.SaveError.ErrorId, ErrorCategory.WriteError, result.Source);
        if (result.SavedPath != null)
            WriteVerbose($"{result.Source}: saved as {result.SavedPath}.");
        foreach (var report in result.Reports)
        {
            if (Expand)
            {
                foreach (var row in report.GetRows()) WriteObject(row);
            }
            else
            {
                WriteObject(report);
            }
        }
    }

    /// <summary>Deletes or moves a message at the source, only when every report of it was read, and (to delete) saved.</summary>
    private void Settle(IDmarcReportSource source, ImapReportMailbox mailbox, DmarcReportSourceItem item, DmarcReportIntakeResult result)
    {
        if (!Delete && string.IsNullOrEmpty(MoveTo)) return;
        if (!result.IsReport) return;
        if (Delete)
        {
            if (!result.IsKept)
            {
                WriteVerbose($"{item.Name}: not deleted, because not every report of it was read and saved.");
                return;
            }
            if (!ShouldProcess(item.Name, "Delete the report message (its reports are saved in " + SaveTo + ")")) return;
            TrySettle(() => Await(source.DeleteAsync(item, CancellationToken)), item);
            return;
        }
        if (!result.IsRead)
        {
            WriteVerbose($"{item.Name}: not moved, because not every report of it was read{(SaveTo != null ? " and saved" : string.Empty)}.");
            return;
        }
        if (!ShouldProcess(item.Name, "Move the report message to " + MoveTo)) return;
        TrySettle(() => Await(mailbox.MoveAsync(item, MoveTo, CancellationToken)), item);
    }

    private void TrySettle(Action change, DmarcReportSourceItem item)
    {
        try
        {
            change();
        }
        catch (ReportSourceException ex)
        {
            FlushLog();
            WriteError(ex, ex.ErrorId, Category(ex.ErrorId), item.Name);
        }
    }

    private static ErrorCategory Category(string errorId)
    {
        switch (errorId)
        {
            case ReportSourceException.AuthenticationFailedErrorId: return ErrorCategory.AuthenticationError;
            case ReportSourceException.AccessDeniedErrorId: return ErrorCategory.PermissionDenied;
            case ReportSourceException.NotFoundErrorId: return ErrorCategory.ObjectNotFound;
            case ReportSourceException.ItemTooLargeErrorId: return ErrorCategory.LimitsExceeded;
            case ReportSourceException.SaveFailedErrorId: return ErrorCategory.WriteError;
            case ReportSourceException.InsecureEndpointErrorId: return ErrorCategory.SecurityError;
            case ReportSourceException.ItemFailedErrorId: return ErrorCategory.ReadError;
            default: return ErrorCategory.ConnectionError;
        }
    }

    private void FlushLog()
    {
        while (_log.TryDequeue(out var line)) WriteVerbose(line);
    }
}
