using System;

namespace MailAuth.DmarcRollout;

/// <summary>The messages the reports count for a domain on one UTC day (the day each report period begins), and how many passed DMARC.</summary>
public sealed class DmarcDailyVolume
{
    internal DmarcDailyVolume(DateTime date, long messages, long dmarcPass)
    {
        Date = date;
        Messages = messages;
        DmarcPass = dmarcPass;
    }

    public DateTime Date { get; }
    public long Messages { get; }
    public long DmarcPass { get; }
    public long DmarcFail => Messages - DmarcPass;

    /// <summary>The share of messages that passed DMARC, 0 to 1.</summary>
    public double PassRate => Messages == 0 ? 0 : (double)DmarcPass / Messages;

    public override string ToString() => $"{Date:yyyy-MM-dd} {DmarcPass}/{Messages}";
}
