using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Common;

namespace MailAuth.Route53;

/// <summary>
/// A failed Route 53 API call, with a stable <see cref="ErrorId"/> for scripts and a message that says what to do.
/// For a refused batch (InvalidChangeBatch) it carries Route 53's own reasons and the records they name.
/// The message never contains a credential.
/// </summary>
public sealed class Route53ApiException : Exception
{
    /// <summary>InvalidChangeBatch: Route 53 refused the batch; nothing in it was applied.</summary>
    public const string ChangeRefusedErrorId = "Route53ChangeRefused";
    /// <summary>NoSuchHostedZone, or no hosted zone holds the name.</summary>
    public const string HostedZoneNotFoundErrorId = "Route53HostedZoneNotFound";
    /// <summary>More than one hosted zone of the account has the name: give -HostedZoneId.</summary>
    public const string HostedZoneAmbiguousErrorId = "Route53HostedZoneAmbiguous";
    /// <summary>Throttling or PriorRequestNotComplete after every retry.</summary>
    public const string ThrottledErrorId = "Route53Throttled";
    /// <summary>InvalidInput and other refusals of the request itself.</summary>
    public const string BadRequestErrorId = "Route53BadRequest";
    /// <summary>The credentials were not found, have expired, or the signature did not match.</summary>
    public const string CredentialsRejectedErrorId = "Route53CredentialsRejected";
    /// <summary>AccessDenied: the credentials lack the route53 permission.</summary>
    public const string AccessDeniedErrorId = "Route53AccessDenied";
    /// <summary>The endpoint could not be reached or did not answer as the Route 53 API does.</summary>
    public const string EndpointErrorId = "Route53EndpointError";
    /// <summary>The change was still PENDING when the wait ended.</summary>
    public const string ChangeTimeoutErrorId = "Route53ChangeTimeout";

    // "[name='a.example.com.', type='TXT']" and "RRSet of type TXT with DNS name a.example.com. is not permitted ...".
    private static readonly Regex RecordInMessage = new Regex(
        @"\[name='(?<name>[^']*)', type='(?<type>[^']*)'(?:, set-identifier='[^']*')?\]|RRSet of type (?<type>[A-Z0-9]+) with DNS name (?<name>\S+)",
        RegexOptions.CultureInvariant);

    public Route53ApiException(string errorId, string message, string awsErrorCode = null, int statusCode = 0,
        IEnumerable<string> messages = null, Exception inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        AwsErrorCode = awsErrorCode;
        StatusCode = statusCode;
        Messages = ReadOnlyArray.From(messages);
        RefusedRecords = ReadOnlyArray.From(Messages.SelectMany(m => RecordInMessage.Matches(m).Cast<Match>())
            .Select(m => m.Groups["name"].Value.TrimEnd('.') + " " + m.Groups["type"].Value).Distinct());
    }

    /// <summary>The stable identifier, e.g. <c>Route53ChangeRefused</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The error code Route 53 answered, e.g. <c>InvalidChangeBatch</c>; null for local failures.</summary>
    public string AwsErrorCode { get; }

    /// <summary>The HTTP status; 0 when no answer came.</summary>
    public int StatusCode { get; }

    /// <summary>Route 53's reasons, one per refused change, as it wrote them.</summary>
    public ReadOnlyArray<string> Messages { get; }

    /// <summary>The records Route 53's reasons name, as "name TYPE" (e.g. <c>_dmarc.example.com TXT</c>).</summary>
    public ReadOnlyArray<string> RefusedRecords { get; }
}
