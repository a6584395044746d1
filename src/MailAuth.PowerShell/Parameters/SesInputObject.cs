using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// Reads members of upstream objects by name: our SesEmailIdentity, and AWS Tools for PowerShell's
/// Get-SES2EmailIdentity output (DkimAttributes.Tokens, DkimAttributes.SigningHostedZone,
/// MailFromAttributes.MailFromDomain, MailFromAttributes.BehaviorOnMxFailure).
/// </summary>
internal static class SesInputObject
{
    internal static object Member(object source, string name)
    {
        if (source == null) return null;
        var value = PSObject.AsPSObject(source).Properties[name]?.Value;
        return value is PSObject ps ? ps.BaseObject : value;
    }

    internal static string String(object source, string name)
    {
        var value = Member(source, name);
        if (value == null) return null;
        // AWS Tools' enums are ConstantClass objects whose ToString() is the wire value.
        var text = value.ToString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    internal static string[] Strings(object source, string name)
    {
        var value = Member(source, name);
        if (value == null || value is string) return value == null ? null : new[] { (string)value };
        if (value is IEnumerable items) return items.Cast<object>().Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString()).Where(s => !string.IsNullOrEmpty(s)).ToArray();
        return null;
    }
}
