using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MailAuth.DmarcReports;

namespace MailAuth.ReportIntake;

/// <summary>
/// Takes in the messages that arrive at a report source, each exactly once: reads the reports of a message with
/// the one report engine (<see cref="DmarcReportImporter.ReadMessage"/>), drops a report already taken in this run
/// or already kept in the archive, keeps the message in the archive (when there is one) before its reports are
/// handed on, and says whether the message may now be removed from the source. A message without a report is
/// skipped, not an error; a broken report is an error for that message only.
/// </summary>
public sealed class DmarcReportIntake
{
    /// <summary>The extension of a kept message.</summary>
    public const string MessageExtension = ".eml";

    private readonly DmarcReportImporter _importer;
    private readonly DmarcReportArchive _archive;
    private readonly DmarcReportOnce _once = new DmarcReportOnce();

    /// <param name="archive">Where messages are kept (-SaveTo); null keeps nothing, and then nothing may be deleted at the source.</param>
    /// <param name="options">The limits of the report reader.</param>
    public DmarcReportIntake(DmarcReportArchive archive, DmarcReportReaderOptions options = null)
    {
        Options = options ?? new DmarcReportReaderOptions();
        _importer = new DmarcReportImporter(Options);
        _archive = archive;
    }

    /// <summary>The reader's limits; <see cref="DmarcReportReaderOptions.MaxMessageBytes"/> bounds what is fetched.</summary>
    public DmarcReportReaderOptions Options { get; }

    /// <summary>The archive, or null.</summary>
    public DmarcReportArchive Archive => _archive;

    /// <summary>Reads, de-duplicates and keeps one message's reports.</summary>
    public DmarcReportIntakeResult Accept(byte[] message, string source, CancellationToken cancellationToken = default)
    {
        var reports = new List<DmarcAggregateReport>();
        var errors = new List<DmarcReportException>();
        using (var stream = new MemoryStream(message, writable: false))
        {
            foreach (var result in _importer.ReadMessage(stream, source, expand: false, cancellationToken))
            {
                if (result.Error != null) errors.Add(result.Error);
                else reports.Add(result.Report);
            }
        }
        if (reports.Count == 0 && errors.Count > 0 && errors.All(e => e.ErrorId == DmarcReportException.NoReportAttachmentErrorId))
            return DmarcReportIntakeResult.NotAReport(source);

        var fresh = new List<DmarcAggregateReport>();
        var duplicates = new List<DmarcReportDuplicate>();
        var identities = new List<DmarcReportIdentity>();
        foreach (var report in reports)
        {
            bool firstTime = _once.Admit(report, out var identity);
            identities.Add(identity);
            if (!firstTime)
                duplicates.Add(new DmarcReportDuplicate(identity, DmarcReportDuplicateReason.SeenInThisRun));
            else if (_archive != null && _archive.Contains(identity))
                duplicates.Add(new DmarcReportDuplicate(identity, DmarcReportDuplicateReason.AlreadySaved));
            else
                fresh.Add(report);
        }

        string savedPath = null;
        if (_archive != null && fresh.Count > 0)
        {
            try
            {
                savedPath = _archive.Save(fresh.Select(DmarcReportIdentity.Of).ToList(), message, MessageExtension);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                foreach (var report in fresh) _once.Forget(DmarcReportIdentity.Of(report));
                var failure = new ReportSourceException(ReportSourceException.SaveFailedErrorId, source,
                    $"{source}: the message could not be kept in {_archive.Folder} ({ex.Message}); its reports were not imported and it stays at the source.", ex);
                return new DmarcReportIntakeResult(source, true, Array.Empty<DmarcAggregateReport>(), duplicates, errors, failure, null, false);
            }
        }
        bool kept = _archive != null && errors.Count == 0 && identities.All(_archive.Contains);
        return new DmarcReportIntakeResult(source, true, fresh, duplicates, errors, null, savedPath, kept);
    }
}
