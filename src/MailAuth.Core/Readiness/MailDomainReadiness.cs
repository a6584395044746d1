using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Readiness;

/// <summary>Every check of one domain, and its summary (the worst status of the checkable rows).</summary>
public sealed class MailDomainReadiness
{
    internal MailDomainReadiness(string domain, IReadOnlyList<MailDomainCheck> checks, SenderRequirement requirement)
    {
        Domain = domain;
        Checks = ReadOnlyArray.From(checks);
        var judged = checks.Where(c => c.Checkable).ToList();
        Status = judged.Count == 0 ? MailDomainCheckStatus.Ok : judged.Max(c => c.Status);
        var counts = string.Join(", ", new[] { MailDomainCheckStatus.Ok, MailDomainCheckStatus.Warning, MailDomainCheckStatus.Fail, MailDomainCheckStatus.Error }
            .Select(s => $"{judged.Count(c => c.Status == s)} {s.ToString().ToLowerInvariant()}"));
        var failing = judged.Where(c => c.Status >= MailDomainCheckStatus.Fail).Select(c => c.Check).ToList();
        var notCheckable = checks.Count(c => !c.Checkable);
        var detail = counts + (failing.Count > 0 ? "; not met: " + string.Join(", ", failing) : "; every DNS-checkable requirement is met")
            + (notCheckable > 0 ? $"; {notCheckable} requirement(s) not checkable from DNS" : string.Empty)
            + $" (requirements: {requirement}).";
        Summary = new MailDomainCheck(domain, "Summary", Status, detail, "Gmail/Yahoo 2024, Microsoft 2025 bulk-sender requirements");
    }

    public string Domain { get; }
    public MailDomainCheckStatus Status { get; }
    public IReadOnlyList<MailDomainCheck> Checks { get; }
    public MailDomainCheck Summary { get; }

    /// <summary>The check rows followed by the summary row; the NotCheckable rows only when asked for.</summary>
    public IEnumerable<MailDomainCheck> ToRows(bool includeNotCheckable = false) =>
        Checks.Where(c => includeNotCheckable || c.Checkable).Concat(new[] { Summary });
}
