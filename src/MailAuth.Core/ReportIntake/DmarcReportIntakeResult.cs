using System;
using System.Collections.Generic;
using MailAuth.Common;
using MailAuth.DmarcReports;

namespace MailAuth.ReportIntake;

/// <summary>Why a report was not handed on again.</summary>
public enum DmarcReportDuplicateReason : long
{
    /// <summary>Another message of the same run carried it.</summary>
    SeenInThisRun = 1,

    /// <summary>The archive (-SaveTo) already keeps it from an earlier run.</summary>
    AlreadySaved = 2,
}

/// <summary>A report that arrived again.</summary>
public sealed class DmarcReportDuplicate
{
    internal DmarcReportDuplicate(DmarcReportIdentity identity, DmarcReportDuplicateReason reason)
    {
        Identity = identity;
        Reason = reason;
    }

    public DmarcReportIdentity Identity { get; }
    public DmarcReportDuplicateReason Reason { get; }
}

/// <summary>What the intake made of one message.</summary>
public sealed class DmarcReportIntakeResult
{
    internal DmarcReportIntakeResult(string source, bool isReport, IReadOnlyList<DmarcAggregateReport> reports, IReadOnlyList<DmarcReportDuplicate> duplicates,
        IReadOnlyList<DmarcReportException> errors, ReportSourceException saveError, string savedPath, bool isKept)
    {
        Source = source;
        IsReport = isReport;
        Reports = ReadOnlyArray.From(reports);
        Duplicates = ReadOnlyArray.From(duplicates);
        Errors = ReadOnlyArray.From(errors);
        SaveError = saveError;
        SavedPath = savedPath;
        IsKept = isKept;
    }

    internal static DmarcReportIntakeResult NotAReport(string source) =>
        new DmarcReportIntakeResult(source, false, Array.Empty<DmarcAggregateReport>(), Array.Empty<DmarcReportDuplicate>(), Array.Empty<DmarcReportException>(), null, null, false);

    /// <summary>The message's name at the source.</summary>
    public string Source { get; }

    /// <summary>False for a message without any report attachment (it is skipped and never removed).</summary>
    public bool IsReport { get; }

    /// <summary>The reports taken in for the first time.</summary>
    public IReadOnlyList<DmarcAggregateReport> Reports { get; }

    /// <summary>The reports of the message that had already been taken in.</summary>
    public IReadOnlyList<DmarcReportDuplicate> Duplicates { get; }

    /// <summary>The reports of the message that could not be read.</summary>
    public IReadOnlyList<DmarcReportException> Errors { get; }

    /// <summary>The archive could not be written; nothing of the message was taken in.</summary>
    public ReportSourceException SaveError { get; }

    /// <summary>The file the message was kept in by this call, or null.</summary>
    public string SavedPath { get; }

    /// <summary>
    /// Every report of the message was read and is kept in the archive (now or earlier): the message may be
    /// deleted at the source without losing anything.
    /// </summary>
    public bool IsKept { get; }

    /// <summary>
    /// Every report of the message was read (and kept, when there is an archive): the message may be moved to
    /// another folder of the source.
    /// </summary>
    public bool IsRead => IsReport && Errors.Count == 0 && SaveError == null;
}
