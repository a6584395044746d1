using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks an Amazon SES sending domain's DNS record by record and says whether SPF, DKIM and DMARC will pass and align.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SesDomainSetup", DefaultParameterSetName = RegionParameterSet)]
[OutputType(typeof(SesRecordCheck), typeof(SesDomainVerdict), typeof(DnsChange))]
public sealed class TestSesDomainSetupCommand : DnsCmdlet
{
    private const string RegionParameterSet = "Region";
    private const string AllRegionsParameterSet = "AllRegions";

    private readonly SesApiSessions _sessions = new SesApiSessions();

    /// <summary>The SES identities (domains) to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailIdentity", "Domain")]
    [AllowEmptyString]
    public string[] Identity { get; set; }

    /// <summary>The SES regions; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region (without the API: inferred from the MAIL FROM MX).</summary>
    [Parameter(ParameterSetName = RegionParameterSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string[] Region { get; set; }

    /// <summary>Ask every region SES sends from in the aws partition and check the identity in each region that has it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllRegionsParameterSet)]
    public SwitchParameter AllRegions { get; set; }

    /// <summary>Regions -AllRegions leaves out (e.g. opt-in regions the account has not enabled).</summary>
    [Parameter(ParameterSetName = AllRegionsParameterSet)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string[] ExcludeRegion { get; set; }

    /// <summary>The three Easy DKIM tokens (offline check: no AWS call).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tokens", "DkimTokens", "DkimToken")]
    public string[] Token { get; set; }

    /// <summary>The custom MAIL FROM domain (offline check: no AWS call).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string MailFromDomain { get; set; }

    /// <summary>The DKIM hosted zone the SES API reported; wins over -Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string SigningHostedZone { get; set; }

    /// <summary>AWS Tools' DkimAttributes object (or ours): Tokens and SigningHostedZone.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Dkim")]
    public object DkimAttributes { get; set; }

    /// <summary>AWS Tools' MailFromAttributes object (or ours): MailFromDomain and BehaviorOnMxFailure.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MailFrom")]
    public object MailFromAttributes { get; set; }

    /// <summary>What SES does while the MAIL FROM MX is missing: UseDefaultValue (default) or RejectMessage.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateBehaviorOnMxFailure]
    [ArgumentCompleter(typeof(BehaviorOnMxFailureCompleter))]
    public string BehaviorOnMxFailure { get; set; }

    /// <summary>DMARC aggregate reports (Import-DmarcReport, reports or -Expand rows): the DKIM selectors seen with d=the identity are checked as its Easy DKIM tokens (offline check).</summary>
    [Parameter(ParameterSetName = RegionParameterSet)]
    [Alias("Report")]
    public object[] DmarcReport { get; set; }

    /// <summary>Check from DNS alone, without asking the SES API (no credentials needed).</summary>
    [Parameter(ParameterSetName = RegionParameterSet)]
    public SwitchParameter NoApi { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files (when the API is asked).</summary>
    [Parameter]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another SES endpoint (when the API is asked).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    /// <summary>Write only the verdicts, not the record rows.</summary>
    [Parameter]
    public SwitchParameter VerdictOnly { get; set; }

    /// <summary>Write only the DNS changes that fix what was found (DnsChange objects for ConvertTo-DnsZoneFile, ConvertTo-Route53ChangeBatch and the Route 53 apply).</summary>
    [Parameter]
    [Alias("ChangesOnly")]
    public SwitchParameter AsChange { get; set; }

    protected override void ProcessRecord()
    {
        var inspector = new SesDomainSetupInspector(Resolver);
        var tokens = Token ?? SesInputObject.Strings(DkimAttributes, "Tokens");
        var zone = SigningHostedZone ?? SesInputObject.String(DkimAttributes, "SigningHostedZone");
        var mailFrom = MailFromDomain ?? SesInputObject.String(MailFromAttributes, "MailFromDomain");
        var behaviorText = BehaviorOnMxFailure ?? SesInputObject.String(MailFromAttributes, "BehaviorOnMxFailure");
        var offline = NoApi || tokens != null || mailFrom != null || DkimAttributes != null || MailFromAttributes != null || DmarcReport != null;
        if (offline && AllRegions)
        {
            WriteInputError(new MailAuthInputException(AllRegionsNeedsApiErrorId,
                "-AllRegions finds the regions an identity lives in by asking the SES API in each; it cannot be combined with an offline check (-Token, -MailFromDomain, -DmarcReport, -NoApi). Use -Region for offline checks.", "AllRegions"));
            return;
        }

        foreach (var input in Identity)
        {
            try
            {
                if (offline)
                {
                    var domain = SesIdentityName.Domain(input);
                    var observed = DmarcReport == null ? null : DmarcReportSelectors.For(domain, DmarcReport);
                    if (observed != null) WriteVerbose($"DKIM selectors of {domain} in the DMARC reports: {(observed.Count == 0 ? "none" : string.Join(", ", observed))}.");
                    WriteVerbose($"Checking {input} offline from the given tokens and MAIL FROM domain (no AWS call).");
                    foreach (var region in Region ?? new string[] { null })
                        Write(Await(inspector.InspectAsync(new SesDomainSetupRequest
                        {
                            Identity = input,
                            Region = region,
                            Tokens = tokens,
                            ObservedSelectors = observed,
                            SigningHostedZone = zone,
                            MailFromDomain = mailFrom,
                            BehaviorOnMxFailure = SesApiValues.ParseBehavior(behaviorText) ?? SesBehaviorOnMxFailure.UseDefaultValue,
                            OtherRegions = Region?.Where(r => r != region).ToList(),
                        }, CancellationToken)), input);
                }
                else
                {
                    foreach (var request in AskRegions(input.Trim()))
                        Write(Await(inspector.InspectAsync(request, CancellationToken)), input);
                }
            }
            catch (SesApiException ex)
            {
                _sessions.For(null, ProfileName, EndpointUrl).WriteError(this, ex, input);
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
            }
        }
    }

    /// <summary>ErrorId for -AllRegions combined with an offline check.</summary>
    public const string AllRegionsNeedsApiErrorId = "SesAllRegionsNeedsApi";

    /// <summary>
    /// Asks GetEmailIdentity in each region (all at once) and returns a request per region that has the identity.
    /// With -AllRegions, NotFound means "not in this region" and a region that rejects the credentials is taken for one
    /// the account has not enabled (opt-in regions answer UnrecognizedClientException), unless every region does.
    /// </summary>
    private List<SesDomainSetupRequest> AskRegions(string identity)
    {
        var regions = AllRegions
            ? SesRegion.All.Select(r => r.Name).Where(r => !r.StartsWith("us-gov-", StringComparison.Ordinal)
                && !(ExcludeRegion ?? new string[0]).Contains(r, StringComparer.OrdinalIgnoreCase)).ToList()
            : (Region ?? new string[] { null }).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var sessions = regions.Select(r => _sessions.For(r, ProfileName, EndpointUrl)).ToList();
        var clients = sessions.Select(s => s.Client).ToList();
        foreach (var s in sessions) s.Flush(this);
        var answers = Await(Task.WhenAll(clients.Select(c => Ask(c, identity))));
        foreach (var s in sessions) s.Flush(this);

        var found = new List<SesEmailIdentity>();
        var rejected = new List<SesApiException>();
        for (var i = 0; i < answers.Length; i++)
        {
            var (answer, error) = answers[i];
            if (answer != null) { found.Add(answer); continue; }
            if (AllRegions && error.ErrorId == SesApiException.IdentityNotFoundErrorId)
                WriteVerbose($"{identity} is not in {clients[i].Region}.");
            else if (AllRegions && error.ErrorId == SesApiException.CredentialsRejectedErrorId)
            {
                rejected.Add(error);
                WriteVerbose($"{clients[i].Region} rejected the credentials; taken for a region the account has not enabled.");
            }
            else sessions[i].WriteError(this, error, identity);
        }
        if (AllRegions && rejected.Count == answers.Length) sessions[0].WriteError(this, rejected[0], identity);
        else if (AllRegions && found.Count == 0 && rejected.Count < answers.Length)
            WriteError(new ErrorRecord(new SesApiException(SesApiException.IdentityNotFoundErrorId, $"SES has no identity '{identity}' in any of the {answers.Length} regions asked.", null, 404),
                SesApiException.IdentityNotFoundErrorId, ErrorCategory.ObjectNotFound, identity));
        if (found.Count > 1) WriteVerbose($"{identity} lives in {string.Join(", ", found.Select(f => f.Region))}.");

        return found.Select(api =>
        {
            var parent = SesDomainSetupInspector.ReplicaParent(api.Dkim?.SigningAttributesOrigin);
            var tokens = api.Dkim?.Tokens;
            if ((tokens == null || tokens.Count == 0) && parent != null)
                tokens = found.FirstOrDefault(f => f.Region == parent.Name)?.Dkim?.Tokens;
            return new SesDomainSetupRequest
            {
                Identity = identity,
                Region = api.Region,
                Tokens = tokens,
                SigningHostedZone = api.Dkim?.SigningHostedZone,
                MailFromDomain = api.MailFrom?.MailFromDomain,
                BehaviorOnMxFailure = SesApiValues.ParseBehavior(api.MailFrom?.BehaviorOnMxFailure) ?? SesBehaviorOnMxFailure.UseDefaultValue,
                EmailIdentity = api,
                OtherRegions = found.Where(f => f != api).Select(f => f.Region).ToList(),
            };
        }).ToList();
    }

    private async Task<(SesEmailIdentity, SesApiException)> Ask(ISesClient client, string identity)
    {
        try { return (await client.GetEmailIdentityAsync(identity, CancellationToken).ConfigureAwait(false), null); }
        catch (SesApiException ex) { return (null, ex); }
    }

    private void Write(SesDomainSetupResult result, string input)
    {
        if (AsChange)
            foreach (var change in result.Verdict.Changes) WriteObject(change);
        else
        {
            if (!VerdictOnly) foreach (var row in result.Records) WriteObject(row);
            WriteObject(result.Verdict);
        }
        var failed = result.Records.FirstOrDefault(r => r.Status == SesRecordCheckStatus.Error);
        if (failed != null) WriteLookupFailed(result.Verdict, input, failed.Type + " " + failed.Name, failed.ErrorKind);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sessions.Dispose();
        base.Dispose(disposing);
    }
}
