using System;

namespace MailAuth.Common;

/// <summary>
/// Bad input that one item of a pipeline carried (an invalid domain, a malformed server address).
/// <see cref="ErrorId"/> is stable: the cmdlets use it as the ErrorRecord's FullyQualifiedErrorId.
/// </summary>
public class MailAuthInputException : ArgumentException
{
    public MailAuthInputException(string errorId, string message, string target = null, Exception inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Target = target;
    }

    /// <summary>A stable identifier such as <c>InvalidDomainName</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The offending input.</summary>
    public string Target { get; }
}
