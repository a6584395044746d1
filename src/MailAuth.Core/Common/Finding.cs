using System;

namespace MailAuth.Common;

/// <summary>
/// One observation about a record or a result: a stable <see cref="Code"/> for scripts,
/// a message that says what is wrong and what to change, and the RFC section behind it.
/// </summary>
public sealed class Finding
{
    public Finding(FindingSeverity severity, string code, string message, string reference, string subject = null)
    {
        if (string.IsNullOrEmpty(code)) throw new ArgumentException("A finding needs a code.", nameof(code));
        Severity = severity;
        Code = code;
        Message = message ?? string.Empty;
        Reference = reference ?? string.Empty;
        Subject = subject ?? string.Empty;
    }

    /// <summary>Error, Warning or Info.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>A stable identifier such as <c>SpfMultipleRecords</c>; safe to match in scripts.</summary>
    public string Code { get; }

    /// <summary>What is wrong and how to fix it, for a person.</summary>
    public string Message { get; }

    /// <summary>The standard and section behind the finding, e.g. <c>RFC 7208 §4.5</c>.</summary>
    public string Reference { get; }

    /// <summary>The domain or record name the finding is about.</summary>
    public string Subject { get; }

    public override string ToString() => $"{Severity} {Code}: {Message} ({Reference})";

    public static Finding Error(string code, string message, string reference, string subject = null) => new Finding(FindingSeverity.Error, code, message, reference, subject);
    public static Finding Warning(string code, string message, string reference, string subject = null) => new Finding(FindingSeverity.Warning, code, message, reference, subject);
    public static Finding Info(string code, string message, string reference, string subject = null) => new Finding(FindingSeverity.Info, code, message, reference, subject);
}
