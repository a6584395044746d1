using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>The DKIM attributes of an SES identity (SES v2 DkimAttributes).</summary>
public sealed class SesDkimAttributes
{
    public SesDkimAttributes(bool signingEnabled, string status, IReadOnlyList<string> tokens, string signingHostedZone,
        string signingAttributesOrigin, string currentSigningKeyLength, string nextSigningKeyLength, DateTimeOffset? lastKeyGenerationTimestamp)
    {
        SigningEnabled = signingEnabled;
        Status = status;
        Tokens = ReadOnlyArray.From(tokens);
        SigningHostedZone = signingHostedZone;
        SigningAttributesOrigin = signingAttributesOrigin;
        CurrentSigningKeyLength = currentSigningKeyLength;
        NextSigningKeyLength = nextSigningKeyLength;
        LastKeyGenerationTimestamp = lastKeyGenerationTimestamp;
    }

    /// <summary>Whether SES DKIM-signs mail from the identity.</summary>
    public bool SigningEnabled { get; }
    /// <summary>PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE or NOT_STARTED.</summary>
    public string Status { get; }
    /// <summary>Easy DKIM tokens (the selectors), or the BYODKIM selector.</summary>
    public IReadOnlyList<string> Tokens { get; }
    /// <summary>The zone the Easy DKIM CNAMEs point into, when the API reports it.</summary>
    public string SigningHostedZone { get; }
    /// <summary>AWS_SES (Easy DKIM), EXTERNAL (BYODKIM) or AWS_SES_&lt;REGION&gt; (replicated).</summary>
    public string SigningAttributesOrigin { get; }
    /// <summary>RSA_1024_BIT or RSA_2048_BIT.</summary>
    public string CurrentSigningKeyLength { get; }
    /// <summary>The key length of the next key SES generates.</summary>
    public string NextSigningKeyLength { get; }
    /// <summary>When SES last generated a key pair.</summary>
    public DateTimeOffset? LastKeyGenerationTimestamp { get; }

    /// <summary>True for PENDING: SES has not yet seen the CNAMEs and is still looking (up to 72 hours); not a failure.</summary>
    public bool IsWaiting => Status == "PENDING";

    /// <summary>The status, where the keys come from and the tokens, e.g. "SUCCESS, AWS_SES, tokens a; b; c" (what Export-Csv writes).</summary>
    public override string ToString() =>
        string.Join(", ", new[] { Status, SigningAttributesOrigin, Tokens.Count > 0 ? "tokens " + string.Join("; ", Tokens) : null }.Where(p => !string.IsNullOrEmpty(p)));
}
