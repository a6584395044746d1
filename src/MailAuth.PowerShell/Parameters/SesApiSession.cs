using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// What the SES cmdlets share: one <see cref="ISesClient"/> per cmdlet invocation, its log lines
/// replayed as verbose output on the pipeline thread, and SES errors turned into ErrorRecords.
/// </summary>
internal sealed class SesApiSession : IDisposable
{
    private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
    private readonly string _region;
    private readonly string _profileName;
    private readonly Uri _endpointUrl;
    private ISesClient _client;

    internal SesApiSession(string region, string profileName, Uri endpointUrl)
    {
        _region = region;
        _profileName = profileName;
        _endpointUrl = endpointUrl;
    }

    /// <summary>
    /// The client, created on first use (throws SesApiException or MailAuthInputException). This is the one
    /// place that names the implementation: an AWSSDK.SimpleEmailV2-based ISesClient would be swapped in here.
    /// </summary>
    internal ISesClient Client => _client ??= new SesV2Client(new SesClientOptions
    {
        Region = _region,
        ProfileName = _profileName,
        EndpointUrl = _endpointUrl,
        Log = _log.Enqueue,
    });

    /// <summary>The region the client signs for.</summary>
    internal string Region => Client.Region;

    /// <summary>Writes the client's log lines as verbose output; call on the pipeline thread.</summary>
    internal void Flush(Cmdlet cmdlet)
    {
        while (_log.TryDequeue(out var line)) cmdlet.WriteVerbose(line);
    }

    /// <summary>Makes one API call with the client, writing the client's log lines before and after it; call on the pipeline thread.</summary>
    internal T Call<T>(Cmdlet cmdlet, Func<ISesClient, T> call)
    {
        var client = Client;
        Flush(cmdlet);
        var result = call(client);
        Flush(cmdlet);
        return result;
    }

    /// <summary>Makes one API call that returns nothing; see <see cref="Call{T}"/>.</summary>
    internal void Call(Cmdlet cmdlet, Action<ISesClient> call) => Call(cmdlet, client =>
    {
        call(client);
        return true;
    });

    /// <summary>Writes the client's remaining log lines, then the API failure as a non-terminating error.</summary>
    internal void WriteError(Cmdlet cmdlet, SesApiException ex, object target)
    {
        Flush(cmdlet);
        cmdlet.WriteError(ToErrorRecord(ex, target));
    }

    /// <summary>An ErrorRecord for an SES API failure, with its stable ErrorId.</summary>
    private static ErrorRecord ToErrorRecord(SesApiException ex, object target)
    {
        ErrorCategory category;
        switch (ex.ErrorId)
        {
            case SesApiException.IdentityNotFoundErrorId: category = ErrorCategory.ObjectNotFound; break;
            case SesApiException.ThrottledErrorId: category = ErrorCategory.LimitsExceeded; break;
            case SesApiException.BadRequestErrorId: category = ErrorCategory.InvalidArgument; break;
            case SesApiException.CredentialsRejectedErrorId:
            case SesApiException.CredentialsNotFoundErrorId: category = ErrorCategory.AuthenticationError; break;
            case SesApiException.AccessDeniedErrorId: category = ErrorCategory.PermissionDenied; break;
            case SesApiException.RegionNotSetErrorId: category = ErrorCategory.InvalidArgument; break;
            default: category = ErrorCategory.ConnectionError; break;
        }
        return new ErrorRecord(ex, ex.ErrorId, category, target);
    }

    public void Dispose() => (_client as IDisposable)?.Dispose();
}
