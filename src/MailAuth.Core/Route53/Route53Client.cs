using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Publishing;
using MailAuth.Ses;

namespace MailAuth.Route53;

/// <summary>
/// The few Route 53 operations MailAuth uses (REST-XML, API version 2013-04-01), on AWSSDK.Core's credential chain
/// and SigV4 signer through the same transport rules as the SES client (no redirects, plain HTTP only to loopback,
/// bounded answers, redacted server text). Route 53 is a global service: requests go to https://route53.amazonaws.com/
/// and are signed for us-east-1. Throttling and PriorRequestNotComplete are retried with backoff.
/// Failures are <see cref="Route53ApiException"/> with a stable ErrorId.
/// </summary>
public sealed class Route53Client : IDisposable
{
    /// <summary>An -EndpointUrl that would send signed requests and the session token in clear text.</summary>
    public const string InsecureEndpointErrorId = "Route53InsecureEndpoint";

    /// <summary>The region Route 53 requests are signed for (the global endpoint's signing region).</summary>
    public const string SigningRegion = "us-east-1";

    private const string Version = "2013-04-01/";
    private readonly AwsRestTransport _transport;
    private readonly Action<string> _log;

    public Route53Client(Route53ClientOptions options)
    {
        options = options ?? new Route53ClientOptions();
        var endpoint = options.EndpointUrl ?? new Uri("https://route53.amazonaws.com/");
        if (!AwsRestTransport.IsAcceptable(endpoint))
            throw new MailAuthInputException(InsecureEndpointErrorId,
                $"The Route 53 endpoint {endpoint.GetLeftPart(UriPartial.Authority)} is not https: every request would carry its signature, and the session token of temporary credentials, in clear text. Give an https:// endpoint (plain http is accepted only to a loopback address, for a local test endpoint).",
                endpoint.OriginalString);
        if (!endpoint.AbsolutePath.EndsWith("/", StringComparison.Ordinal)) endpoint = new Uri(endpoint.AbsoluteUri + "/");
        _log = options.Log;
        _transport = new AwsRestTransport(endpoint, "route53", SigningRegion, options.ProfileName, options.Timeout, options.MaxResponseBytes,
            options.MaxRetries, options.RetryBaseDelay, options.Log);
        _log?.Invoke($"Route 53 endpoint {_transport.Origin}, signed for {SigningRegion}.");
    }

    /// <summary>
    /// The hosted zone that holds <paramref name="name"/>: the zone with the longest name that is <paramref name="name"/>
    /// or a parent of it (ListHostedZonesByName for each candidate, longest first). Private zones only when
    /// <paramref name="includePrivate"/>. Throws <see cref="Route53ApiException.HostedZoneNotFoundErrorId"/> when no zone of
    /// the account holds it and <see cref="Route53ApiException.HostedZoneAmbiguousErrorId"/> when two zones have that name.
    /// </summary>
    public async Task<Route53HostedZone> FindHostedZoneAsync(string name, bool includePrivate, CancellationToken cancellationToken = default)
    {
        var labels = (name ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join(".", labels.Skip(i));
            var zones = (await ListHostedZonesByNameAsync(candidate, cancellationToken).ConfigureAwait(false))
                .Where(z => z.Name == candidate && (includePrivate || !z.PrivateZone)).ToList();
            if (zones.Count == 1)
            {
                _log?.Invoke($"{name} is in hosted zone {zones[0]}.");
                return zones[0];
            }
            if (zones.Count > 1)
                throw new Route53ApiException(Route53ApiException.HostedZoneAmbiguousErrorId,
                    $"The account has {zones.Count} hosted zones named {candidate} ({string.Join(", ", zones.Select(z => z.Id))}); give the one that serves the domain with -HostedZoneId.");
        }
        throw new Route53ApiException(Route53ApiException.HostedZoneNotFoundErrorId,
            $"No {(includePrivate ? string.Empty : "public ")}hosted zone of this account holds {name}. Check the account (-ProfileName), give -HostedZoneId, or{(includePrivate ? string.Empty : " for a private zone add -PrivateZone, or")} create the zone first.");
    }

    /// <summary>ListHostedZonesByName: GET /2013-04-01/hostedzonesbyname?dnsname=...: the zones named <paramref name="dnsName"/> and those after it.</summary>
    public async Task<IReadOnlyList<Route53HostedZone>> ListHostedZonesByNameAsync(string dnsName, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, Version + "hostedzonesbyname?dnsname=" + Uri.EscapeDataString(dnsName) + "&maxitems=100", null, dnsName, cancellationToken).ConfigureAwait(false);
        return Read(() => Route53Xml.HostedZones(body), "ListHostedZonesByName");
    }

    /// <summary>
    /// ListResourceRecordSets from <paramref name="name"/> and <paramref name="type"/> on: the sets of exactly that name
    /// and type (several only for routing-policy sets); empty when there are none.
    /// </summary>
    public async Task<IReadOnlyList<Route53RecordSet>> ListResourceRecordSetsAsync(string hostedZoneId, string name, string type, CancellationToken cancellationToken = default)
    {
        var absolute = name.TrimEnd('.').ToLowerInvariant() + ".";
        var body = await SendAsync(HttpMethod.Get,
            Version + "hostedzone/" + Uri.EscapeDataString(ShortId(hostedZoneId)) + "/rrset?name=" + Uri.EscapeDataString(absolute) + "&type=" + Uri.EscapeDataString(type) + "&maxitems=100",
            null, hostedZoneId, cancellationToken).ConfigureAwait(false);
        var sets = Read(() => Route53Xml.RecordSets(body), "ListResourceRecordSets").Sets;
        return sets.Where(s => s.Name == absolute && s.Type == type.ToUpperInvariant()).ToList();
    }

    /// <summary>
    /// ChangeResourceRecordSets: POST /2013-04-01/hostedzone/{Id}/rrset/. Route 53 applies the whole batch or none of
    /// it; a refusal is <see cref="Route53ApiException.ChangeRefusedErrorId"/> with Route 53's reasons.
    /// </summary>
    public async Task<Route53ChangeInfo> ChangeResourceRecordSetsAsync(string hostedZoneId, IEnumerable<Route53RecordSetChange> changes, string comment,
        CancellationToken cancellationToken = default)
    {
        var request = Route53Xml.ChangeRequest(changes, comment);
        var body = await SendAsync(HttpMethod.Post, Version + "hostedzone/" + Uri.EscapeDataString(ShortId(hostedZoneId)) + "/rrset/", request, hostedZoneId, cancellationToken).ConfigureAwait(false);
        var info = Read(() => Route53Xml.ChangeInfo(body), "ChangeResourceRecordSets");
        _log?.Invoke($"Route 53 accepted change {info.Id} ({info.Status}).");
        return info;
    }

    /// <summary>GetChange: GET /2013-04-01/change/{Id}.</summary>
    public async Task<Route53ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, Version + "change/" + Uri.EscapeDataString(ShortId(changeId)), null, changeId, cancellationToken).ConfigureAwait(false);
        return Read(() => Route53Xml.ChangeInfo(body), "GetChange");
    }

    /// <summary>An id without the /hostedzone/ or /change/ prefix Route 53 puts on it.</summary>
    public static string ShortId(string id)
    {
        id = (id ?? string.Empty).Trim();
        var slash = id.LastIndexOf('/');
        return slash >= 0 ? id.Substring(slash + 1) : id;
    }

    private T Read<T>(Func<T> read, string operation)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is FormatException || ex is OverflowException)
        {
            throw new Route53ApiException(Route53ApiException.EndpointErrorId,
                $"The Route 53 endpoint {_transport.Origin} answered {operation} with a document that is not the Route 53 API's ({_transport.Redact(ex.Message)}); check -EndpointUrl and the network path.");
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string path, byte[] body, string subject, CancellationToken cancellationToken)
    {
        AwsRestAnswer answer;
        try
        {
            answer = await _transport.SendAsync(method, path, body, "application/xml", IsRetryable, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsRestTransportException ex)
        {
            throw new Route53ApiException(Route53ApiException.EndpointErrorId, "Route 53 endpoint: " + ex.Message, null, ex.Status);
        }
        catch (SesApiException ex)
        {
            throw new Route53ApiException(Route53ApiException.CredentialsRejectedErrorId, ex.Message, ex.AwsErrorType, ex.StatusCode, inner: ex);
        }
        if (answer.Status >= 200 && answer.Status < 300) return answer.Body;
        throw Failure(answer, subject);
    }

    private static bool IsRetryable(AwsRestAnswer answer)
    {
        var code = Route53Xml.Error(answer.Body)?.Code;
        return code == "Throttling" || code == "PriorRequestNotComplete";
    }

    private Route53ApiException Failure(AwsRestAnswer answer, string subject)
    {
        var error = Route53Xml.Error(answer.Body);
        var code = _transport.Redact(error?.Code);
        var messages = (error?.Messages ?? new List<string>()).Select(_transport.Redact).ToList();
        var said = messages.Count == 0 ? string.Empty : " Route 53 said: " + string.Join(" ", messages);
        switch (code)
        {
            case "InvalidChangeBatch":
                return new Route53ApiException(Route53ApiException.ChangeRefusedErrorId,
                    $"Route 53 refused the change batch for hosted zone {ShortId(subject)}; nothing in it was applied and the zone is as it was.{said}",
                    code, answer.Status, messages);
            case "NoSuchHostedZone":
                return new Route53ApiException(Route53ApiException.HostedZoneNotFoundErrorId,
                    $"Route 53 has no hosted zone {ShortId(subject)} in this account.{said}", code, answer.Status, messages);
            case "Throttling":
            case "PriorRequestNotComplete":
                return new Route53ApiException(Route53ApiException.ThrottledErrorId,
                    $"Route 53 kept throttling the request after {answer.Retries} retries; wait and try again.{said}", code, answer.Status, messages);
            case "AccessDenied":
            case "AccessDeniedException":
                return new Route53ApiException(Route53ApiException.AccessDeniedErrorId,
                    $"Access denied: the credentials lack permission for this Route 53 operation (route53:ListHostedZonesByName, route53:ListResourceRecordSets, route53:ChangeResourceRecordSets, route53:GetChange).{said}",
                    code, answer.Status, messages);
            case "InvalidClientTokenId":
            case "SignatureDoesNotMatch":
            case "IncompleteSignature":
            case "ExpiredToken":
            case "RequestExpired":
                return new Route53ApiException(Route53ApiException.CredentialsRejectedErrorId,
                    $"Route 53 rejected the credentials ({code}): the access key is unknown, expired, or the secret does not match.{said}", code, answer.Status, messages);
            case "InvalidInput":
            case "InvalidArgument":
            case "NoSuchChange":
                return new Route53ApiException(Route53ApiException.BadRequestErrorId, $"Route 53 refused the request ({code}).{said}", code, answer.Status, messages);
        }
        if (answer.Status == 403)
            return new Route53ApiException(Route53ApiException.CredentialsRejectedErrorId, $"Route 53 rejected the credentials (HTTP 403 {code}).{said}", code, answer.Status, messages);
        return new Route53ApiException(Route53ApiException.EndpointErrorId,
            string.Format(CultureInfo.InvariantCulture, "The Route 53 endpoint {0} answered HTTP {1} {2} with {3}{4}.{5}", _transport.Origin, answer.Status,
                code ?? "(no Route 53 error document)", answer.ContentType ?? "no content type", answer.Retries > 0 ? $", after {answer.Retries} retries" : string.Empty, said),
            code, answer.Status, messages);
    }

    public void Dispose() => _transport.Dispose();
}

/// <summary>How to reach and authenticate to the Route 53 API.</summary>
public sealed class Route53ClientOptions
{
    /// <summary>A named profile of the shared config/credentials files; null: the default credential chain.</summary>
    public string ProfileName { get; set; }

    /// <summary>Another endpoint (a test server); null: https://route53.amazonaws.com/. https, or http to loopback only.</summary>
    public Uri EndpointUrl { get; set; }

    /// <summary>How many times to retry a throttled or failed (5xx) request.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles with each retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most bytes read of one answer (a page of 100 record sets is well under it).</summary>
    public long MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Time allowed for one HTTP request, its answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives one line per decision (endpoint, zone found, retries); never a credential.</summary>
    public Action<string> Log { get; set; }
}
