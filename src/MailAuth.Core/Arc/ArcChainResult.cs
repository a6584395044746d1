using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Arc;

/// <summary>The validation of a message's ARC chain (RFC 8617 §5.2), what Test-ArcChain writes.</summary>
public sealed class ArcChainResult
{
    internal ArcChainResult(string source, ArcChainValidation result, IReadOnlyList<ArcSetResult> sets, int? oldestPass, string reason)
    {
        Source = source;
        Result = result;
        Sets = ReadOnlyArray.From(sets);
        SealerDomains = ReadOnlyArray.From(Sets.Select(s => s.SealDomain).Where(d => !string.IsNullOrEmpty(d)).Distinct(StringComparer.Ordinal));
        OldestPass = oldestPass;
        Reason = reason;
    }

    /// <summary>Where the message came from (a file path), when known.</summary>
    public string Source { get; }

    /// <summary>The chain's validation status: none, pass or fail (and TempError when keys could not be fetched).</summary>
    public ArcChainValidation Result { get; }

    /// <summary>The number of ARC sets (the highest instance).</summary>
    public int InstanceCount => Sets.Count;

    /// <summary>The ARC sets in instance order, 1 first.</summary>
    public IReadOnlyList<ArcSetResult> Sets { get; }

    /// <summary>The d= domains of the ARC-Seals in instance order (1 first), each once: the intermediaries that sealed the chain (RFC 8617 §4.1.3).</summary>
    public IReadOnlyList<string> SealerDomains { get; }

    /// <summary>
    /// RFC 8617 §5.2 step 6: the oldest instance whose ARC-Message-Signature still verifies, walking back from
    /// the latest; 0 when all of them do. Null when the chain did not pass.
    /// </summary>
    public int? OldestPass { get; }

    /// <summary>Why the chain failed, or null.</summary>
    public string Reason { get; }

    public override string ToString() => $"arc={Result.ToString().ToLowerInvariant()} ({InstanceCount} set(s))";
}
