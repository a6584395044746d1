namespace MailAuth.DmarcReports;

/// <summary>
/// Why a receiver applied a policy other than the one published (policy_evaluated/reason;
/// RFC 9990; "PolicyOverrideReason" in the older RFC 7489 Appendix C schema: forwarded, sampled_out, trusted_forwarder, mailing_list, local_policy, other).
/// </summary>
public sealed class PolicyOverrideReason
{
    internal PolicyOverrideReason(string type, string comment)
    {
        Type = type;
        Comment = comment;
    }

    /// <summary>The override type, lower-case as the schema spells it (e.g. "forwarded").</summary>
    public string Type { get; }

    /// <summary>The receiver's free-text comment, if any.</summary>
    public string Comment { get; }

    public override string ToString() => string.IsNullOrEmpty(Comment) ? Type : Type + " (" + Comment + ")";
}
