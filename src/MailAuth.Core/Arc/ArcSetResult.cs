namespace MailAuth.Arc;

/// <summary>
/// One ARC set (RFC 8617 §4.1): the ARC-Authentication-Results, ARC-Message-Signature (AMS) and
/// ARC-Seal (AS) of one instance, with whether its signatures verify.
/// </summary>
public sealed class ArcSetResult
{
    internal ArcSetResult(int instance, string chainValidation, string sealDomain, string sealSelector, bool? sealValid,
        string messageSignatureDomain, string messageSignatureSelector, bool? messageSignatureValid, string messageSignatureReason, string authenticationResults)
    {
        Instance = instance;
        ChainValidation = chainValidation;
        SealDomain = sealDomain;
        SealSelector = sealSelector;
        SealValid = sealValid;
        MessageSignatureDomain = messageSignatureDomain;
        MessageSignatureSelector = messageSignatureSelector;
        MessageSignatureValid = messageSignatureValid;
        MessageSignatureReason = messageSignatureReason;
        AuthenticationResults = authenticationResults;
    }

    /// <summary>i=, the instance number (1 for the first intermediary).</summary>
    public int Instance { get; }

    /// <summary>cv= of the ARC-Seal: what this sealer found the chain to be (none, pass, fail).</summary>
    public string ChainValidation { get; }

    /// <summary>d= of the ARC-Seal.</summary>
    public string SealDomain { get; }

    /// <summary>s= of the ARC-Seal.</summary>
    public string SealSelector { get; }

    /// <summary>Whether the ARC-Seal verifies (RFC 8617 §5.1.1); null when not checked.</summary>
    public bool? SealValid { get; }

    /// <summary>d= of the ARC-Message-Signature.</summary>
    public string MessageSignatureDomain { get; }

    /// <summary>s= of the ARC-Message-Signature.</summary>
    public string MessageSignatureSelector { get; }

    /// <summary>Whether the ARC-Message-Signature verifies over the message as it is now (RFC 8617 §5.1.2); older ones may fail after legitimate changes.</summary>
    public bool? MessageSignatureValid { get; }

    /// <summary>Why the ARC-Message-Signature does not verify, or null.</summary>
    public string MessageSignatureReason { get; }

    /// <summary>The ARC-Authentication-Results value: what this intermediary saw.</summary>
    public string AuthenticationResults { get; }

    /// <summary>i=1 cv=none AS=ok AMS=ok: the instance as one scans it.</summary>
    public override string ToString() => $"i={Instance} cv={ChainValidation} AS={Verdict(SealValid)} AMS={Verdict(MessageSignatureValid)}";

    private static string Verdict(bool? valid) => valid == null ? "unchecked" : valid.Value ? "ok" : "bad";
}
