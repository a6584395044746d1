using System;

namespace MailAuth.PowerShell;

/// <summary>
/// Turns a validated string parameter into a MailAuth.Core enum. Cmdlet parameters whose type is a
/// core enum would give the cmdlet class a value-type field from MailAuth.Core, and PowerShell's
/// GetExportedTypes would then need MailAuth.Core before the dependency resolver is registered.
/// </summary>
internal static class ParameterEnum
{
    internal static T Parse<T>(string value) where T : struct => (T)Enum.Parse(typeof(T), value, true);

    internal static T? ParseOptional<T>(string value) where T : struct => string.IsNullOrEmpty(value) ? (T?)null : Parse<T>(value);
}
