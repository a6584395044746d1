using System;

namespace MailAuth.Ses;

/// <summary>The SES v2 API's enum spellings (botocore sesv2 service-2.json) and ours.</summary>
public static class SesApiValues
{
    /// <summary>USE_DEFAULT_VALUE or REJECT_MESSAGE.</summary>
    public static string ToApi(SesBehaviorOnMxFailure behavior) =>
        behavior == SesBehaviorOnMxFailure.RejectMessage ? "REJECT_MESSAGE" : "USE_DEFAULT_VALUE";

    /// <summary>Reads USE_DEFAULT_VALUE / UseDefaultValue and REJECT_MESSAGE / RejectMessage.</summary>
    public static SesBehaviorOnMxFailure? ParseBehavior(string value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var v = value.Replace("_", string.Empty);
        if (v.Equals("UseDefaultValue", StringComparison.OrdinalIgnoreCase)) return SesBehaviorOnMxFailure.UseDefaultValue;
        if (v.Equals("RejectMessage", StringComparison.OrdinalIgnoreCase)) return SesBehaviorOnMxFailure.RejectMessage;
        return null;
    }
}
