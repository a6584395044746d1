using System;

namespace MailAuth.ReportIntake;

/// <summary>A report source that cannot be reached, signed in to, read or changed, with a stable <see cref="ErrorId"/>.</summary>
public sealed class ReportSourceException : Exception
{
    /// <summary>The server cannot be reached, or the TLS handshake failed (an untrusted certificate among others).</summary>
    public const string ConnectFailedErrorId = "ReportSourceConnectFailed";

    /// <summary>The server refused the credentials.</summary>
    public const string AuthenticationFailedErrorId = "ReportSourceAuthenticationFailed";

    /// <summary>The folder (IMAP) or bucket (S3) does not exist.</summary>
    public const string NotFoundErrorId = "ReportSourceNotFound";

    /// <summary>The server refused access (S3 AccessDenied, an IMAP NO).</summary>
    public const string AccessDeniedErrorId = "ReportSourceAccessDenied";

    /// <summary>One message or object could not be read, moved or deleted; the others go on.</summary>
    public const string ItemFailedErrorId = "ReportSourceItemFailed";

    /// <summary>One message is larger than is read for a message (DmarcReportReaderOptions.MaxMessageBytes).</summary>
    public const string ItemTooLargeErrorId = "ReportSourceItemTooLarge";

    /// <summary>A report could not be kept in the -SaveTo folder; it is not removed from the source.</summary>
    public const string SaveFailedErrorId = "ReportSaveFailed";

    /// <summary>An -EndpointUrl that would send signed requests in clear text (http to anything but loopback).</summary>
    public const string InsecureEndpointErrorId = "ReportSourceInsecureEndpoint";

    public ReportSourceException(string errorId, string target, string message, Exception inner = null) : base(message, inner)
    {
        ErrorId = errorId;
        Target = target;
    }

    /// <summary>A stable identifier such as <c>ReportSourceConnectFailed</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The source or item concerned.</summary>
    public string Target { get; }
}
