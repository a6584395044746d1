using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>The rows and the verdict of Test-SesDomainSetup for one identity.</summary>
public sealed class SesDomainSetupResult
{
    public SesDomainSetupResult(string identity, IReadOnlyList<SesRecordCheck> records, SesDomainVerdict verdict)
    {
        Identity = identity;
        Records = ReadOnlyArray.From(records);
        Verdict = verdict;
    }

    /// <summary>The identity checked.</summary>
    public string Identity { get; }
    /// <summary>One row per required record.</summary>
    public IReadOnlyList<SesRecordCheck> Records { get; }
    /// <summary>What a receiver will conclude.</summary>
    public SesDomainVerdict Verdict { get; }
}
