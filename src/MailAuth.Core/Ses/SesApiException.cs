using System;

namespace MailAuth.Ses;

/// <summary>
/// A failed SES API call, with a stable <see cref="ErrorId"/> for scripts and a message that says
/// what to do. The message never contains a credential.
/// </summary>
public sealed class SesApiException : Exception
{
    /// <summary>NotFoundException: the identity does not exist in this account and region.</summary>
    public const string IdentityNotFoundErrorId = "SesIdentityNotFound";
    /// <summary>TooManyRequestsException after every retry.</summary>
    public const string ThrottledErrorId = "SesThrottled";
    /// <summary>BadRequestException: SES refused the input.</summary>
    public const string BadRequestErrorId = "SesBadRequest";
    /// <summary>The credentials were rejected: expired, unknown key, wrong signature.</summary>
    public const string CredentialsRejectedErrorId = "SesCredentialsRejected";
    /// <summary>No credentials were found by the credential chain or in the named profile.</summary>
    public const string CredentialsNotFoundErrorId = "SesCredentialsNotFound";
    /// <summary>Access denied by IAM.</summary>
    public const string AccessDeniedErrorId = "SesAccessDenied";
    /// <summary>No region given and none configured.</summary>
    public const string RegionNotSetErrorId = "SesRegionNotSet";
    /// <summary>The endpoint could not be reached or answered with something that is not the SES API.</summary>
    public const string EndpointErrorId = "SesEndpointError";

    public SesApiException(string errorId, string message, string awsErrorType = null, int statusCode = 0, Exception inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        AwsErrorType = awsErrorType;
        StatusCode = statusCode;
    }

    /// <summary>The stable identifier, e.g. <c>SesIdentityNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The error type SES answered, e.g. <c>NotFoundException</c>; null for local failures.</summary>
    public string AwsErrorType { get; }

    /// <summary>The HTTP status; 0 when no answer came.</summary>
    public int StatusCode { get; }
}
