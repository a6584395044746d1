using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dns;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;
using MailAuth.Route53;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Applies DNS changes to Amazon Route 53 hosted zones in one atomic batch per zone, waits until they are INSYNC and checks that DNS serves them.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "Route53Change", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ChangeSet)]
[OutputType(typeof(Route53ChangeResult))]
public sealed class PublishRoute53ChangeCommand : DnsCmdlet
{
    private const string ChangeSet = DnsRecordInput.ChangeSet;
    private const string ChangePropertySet = DnsRecordInput.ChangePropertySet;

    /// <summary>Changes from Test-SesDomainSetup and the record checks.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ChangeSet)]
    public DnsChange[] Change { get; set; }

    /// <summary>The change's action, Add, Replace or Delete (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [ArgumentCompleter(typeof(DnsChangeActionCompleter))]
    public string Action { get; set; }

    /// <summary>The owner name (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("RecordName")]
    public string Name { get; set; }

    /// <summary>The record type (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("RecordType")]
    public string Type { get; set; }

    /// <summary>The value a Replace or Delete removes (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [AllowEmptyString]
    public string OldValue { get; set; }

    /// <summary>The value an Add or Replace publishes (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [AllowEmptyString]
    public string NewValue { get; set; }

    /// <summary>TTL in seconds (by property name); default 3600.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("TimeToLive")]
    public int Ttl { get; set; } = 3600;

    /// <summary>MX preference of the record published (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("Preference")]
    public int? Priority { get; set; }

    /// <summary>MX preference of the record removed (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    public int? OldPriority { get; set; }

    /// <summary>The hosted zone to change, e.g. Z0123456789ABCDEFGHIJ (with or without /hostedzone/).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string HostedZoneId { get; set; }

    /// <summary>The name of the hosted zone to change; default: for each change, the zone with the longest name that holds it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ZoneName { get; set; }

    /// <summary>Also consider private hosted zones when finding the zone.</summary>
    [Parameter]
    public SwitchParameter PrivateZone { get; set; }

    /// <summary>The change batch's comment.</summary>
    [Parameter]
    public string Comment { get; set; }

    /// <summary>Return as soon as Route 53 accepts the batch (PENDING), without waiting for INSYNC or checking DNS.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>How long to wait for INSYNC, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 300;

    /// <summary>Write the result of each zone's batch, with each change checked against DNS.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files; default the standard credential chain.</summary>
    [Parameter]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another Route 53 endpoint (a test server).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    private readonly DnsRecordInput _input = new DnsRecordInput();
    private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
    private Route53Client _client;

    private Route53Client Client => _client ??= new Route53Client(new Route53ClientOptions
    {
        ProfileName = ProfileName,
        EndpointUrl = EndpointUrl,
        Log = _log.Enqueue,
    });

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ChangeSet) _input.Add(Change);
        else if (!_input.TryAddChange(Action, Name, Type, OldValue, NewValue, Ttl, Priority, OldPriority, out var error)) WriteInputError(error);
    }

    protected override void EndProcessing()
    {
        if (_input.Changes.Count == 0) return;
        List<(Route53HostedZone Zone, List<DnsChange> Changes)> zones;
        try
        {
            zones = Zones();
        }
        catch (Route53ApiException ex)
        {
            WriteApiError(ex, HostedZoneId ?? ZoneName ?? _input.Changes[0].Name);
            return;
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
            return;
        }
        foreach (var (zone, changes) in zones) Apply(zone, changes);
    }

    /// <summary>The changes grouped by the hosted zone they go to.</summary>
    private List<(Route53HostedZone, List<DnsChange>)> Zones()
    {
        if (HostedZoneId != null)
            return new List<(Route53HostedZone, List<DnsChange>)> { (new Route53HostedZone(HostedZoneId, ZoneName ?? string.Empty, false, 0), _input.Changes) };
        if (ZoneName != null)
        {
            var zone = Call(() => Client.FindHostedZoneAsync(ZoneName, PrivateZone, CancellationToken));
            if (!string.Equals(zone.Name, ZoneName.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                throw new Route53ApiException(Route53ApiException.HostedZoneNotFoundErrorId,
                    $"No hosted zone of this account is named {ZoneName}; the closest is {zone}. Give that zone's name or id.");
            return new List<(Route53HostedZone, List<DnsChange>)> { (zone, _input.Changes) };
        }
        var byName = new Dictionary<string, Route53HostedZone>(StringComparer.OrdinalIgnoreCase);
        var result = new List<(Route53HostedZone Zone, List<DnsChange> Changes)>();
        foreach (var change in _input.Changes)
        {
            if (!byName.TryGetValue(change.Name, out var zone))
                byName[change.Name] = zone = Call(() => Client.FindHostedZoneAsync(change.Name, PrivateZone, CancellationToken));
            var group = result.FirstOrDefault(g => g.Zone.Id == zone.Id);
            if (group.Zone == null) result.Add(group = (zone, new List<DnsChange>()));
            group.Changes.Add(change);
        }
        return result;
    }

    private void Apply(Route53HostedZone zone, List<DnsChange> changes)
    {
        Route53ChangePlan plan;
        try
        {
            var current = new Dictionary<(string, string), IReadOnlyList<Route53RecordSet>>();
            foreach (var key in changes.Select(c => (Name: c.Name.TrimEnd('.').ToLowerInvariant() + ".", c.Type)).Distinct())
                current[key] = Call(() => Client.ListResourceRecordSetsAsync(zone.Id, key.Name, key.Type, CancellationToken));
            plan = Route53ChangePlanner.Plan(changes, (name, type) => current[(name, type)]);
        }
        catch (Route53ApiException ex)
        {
            WriteApiError(ex, zone);
            return;
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
            return;
        }

        var result = new Route53ChangeResult(zone, null, plan.Changes, plan.RecordSetChanges);
        if (plan.RecordSetChanges.Count == 0)
        {
            WriteVerbose($"Hosted zone {zone} already holds every change; nothing to send.");
        }
        else
        {
            var diff = string.Join(Environment.NewLine, plan.Diff());
            var description = $"Apply {changes.Count} change(s) to Route 53 hosted zone {zone}:{Environment.NewLine}{diff}";
            if (!ShouldProcess(description, description + Environment.NewLine + "Apply these changes?", "Publish-Route53Change")) return;
            try
            {
                var info = Call(() => Client.ChangeResourceRecordSetsAsync(zone.Id, plan.RecordSetChanges, Comment, CancellationToken));
                result = result.WithChangeInfo(NoWait ? info : WaitForInSync(zone, info));
            }
            catch (Route53ApiException ex)
            {
                WriteApiError(ex, ex.RefusedRecords.Count > 0 ? (object)string.Join(", ", ex.RefusedRecords) : zone);
                return;
            }
        }
        if (!PassThru) return;
        if (result.Status == Route53ChangeStatus.InSync)
        {
            // Ask the DNS afresh: the pipeline's cache may hold the answers from before the change.
            var resolver = Resolver is CachingResolver cache ? cache.Inner : Resolver;
            result = result.WithChecks(Await(DnsChangeVerifier.VerifyAsync(resolver, plan.Changes, CancellationToken)));
            foreach (var check in result.Checks.Where(c => c.Status != DnsChangeCheckStatus.Served))
                WriteVerbose($"DNS check of {check.Change}: {check.Status}: {check.Message}");
        }
        else WriteVerbose($"Change {result.ChangeId} is {result.Status}: DNS not checked.");
        WriteObject(result);
    }

    /// <summary>Polls GetChange, with a progress bar, until the change is INSYNC or the timeout passes (Route53ChangeTimeout).</summary>
    private Route53ChangeInfo WaitForInSync(Route53HostedZone zone, Route53ChangeInfo info)
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(TimeoutSec);
        var progress = new ProgressRecord(1, $"Route 53 change {info.Id} to {zone.Name}", "PENDING");
        var delay = TimeSpan.FromSeconds(1);
        while (info.Status == Route53ChangeStatus.Pending)
        {
            var elapsed = DateTime.UtcNow - started;
            progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "PENDING for {0:0} s (waiting up to {1} s for INSYNC)", elapsed.TotalSeconds, TimeoutSec);
            progress.PercentComplete = Math.Min(99, (int)(100 * elapsed.TotalSeconds / TimeoutSec));
            WriteProgress(progress);
            if (DateTime.UtcNow >= deadline)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
                WriteError(new ErrorRecord(new Route53ApiException(Route53ApiException.ChangeTimeoutErrorId,
                        $"Route 53 change {info.Id} was still PENDING after {TimeoutSec} s. It stays submitted and will be applied; check it later with 'aws route53 get-change --id {info.Id}', or wait longer with -TimeoutSec."),
                    Route53ApiException.ChangeTimeoutErrorId, ErrorCategory.OperationTimeout, info.Id));
                return info;
            }
            var wait = TimeSpan.FromTicks(Math.Min(delay.Ticks, (deadline - DateTime.UtcNow).Ticks));
            if (wait > TimeSpan.Zero && CancellationToken.WaitHandle.WaitOne(wait)) throw new PipelineStoppedException();
            delay = TimeSpan.FromSeconds(Math.Min(5, delay.TotalSeconds * 2));
            info = Call(() => Client.GetChangeAsync(info.Id, CancellationToken));
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        WriteVerbose($"Route 53 change {info.Id} is INSYNC after {(DateTime.UtcNow - started).TotalSeconds:0} s.");
        return info;
    }

    /// <summary>One API call on the pipeline thread, with the client's log lines written as verbose output before and after it.</summary>
    private T Call<T>(Func<System.Threading.Tasks.Task<T>> call)
    {
        _ = Client;
        Flush();
        try
        {
            return Await(call());
        }
        finally
        {
            Flush();
        }
    }

    private void Flush()
    {
        while (_log.TryDequeue(out var line)) WriteVerbose(line);
    }

    private void WriteApiError(Route53ApiException ex, object target)
    {
        ErrorCategory category;
        switch (ex.ErrorId)
        {
            case Route53ApiException.ChangeRefusedErrorId: category = ErrorCategory.InvalidData; break;
            case Route53ApiException.HostedZoneNotFoundErrorId: category = ErrorCategory.ObjectNotFound; break;
            case Route53ApiException.HostedZoneAmbiguousErrorId:
            case Route53ApiException.BadRequestErrorId: category = ErrorCategory.InvalidArgument; break;
            case Route53ApiException.ThrottledErrorId: category = ErrorCategory.LimitsExceeded; break;
            case Route53ApiException.CredentialsRejectedErrorId: category = ErrorCategory.AuthenticationError; break;
            case Route53ApiException.AccessDeniedErrorId: category = ErrorCategory.PermissionDenied; break;
            default: category = ErrorCategory.ConnectionError; break;
        }
        WriteError(new ErrorRecord(ex, ex.ErrorId, category, target));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _client?.Dispose();
        base.Dispose(disposing);
    }
}
