using System;
using System.Management.Automation;
using MailAuth.PowerShell.Ses;
using MailAuth.Records;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets an Amazon SES identity's verification, DKIM and custom MAIL FROM state from the SES v2 API.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SesEmailIdentity")]
[OutputType(typeof(SesEmailIdentity))]
public sealed class GetSesEmailIdentityCommand : MailAuthCmdlet
{
    private SesApiSession _session;

    /// <summary>The identities: domains or email addresses.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailIdentity", "Domain", "IdentityName")]
    [AllowEmptyString]
    public string[] Identity { get; set; }

    /// <summary>The AWS Region; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    [Parameter]
    public string Region { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files; default the standard credential chain.</summary>
    [Parameter]
    [Alias("Profile")]
    public string ProfileName { get; set; }

    /// <summary>Another SES endpoint (VPC endpoint, test server).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    protected override void BeginProcessing() => _session = new SesApiSession(Region, ProfileName, EndpointUrl);

    protected override void ProcessRecord()
    {
        foreach (var input in Identity)
        {
            var identity = (input ?? string.Empty).Trim();
            if (identity.Length == 0 || identity.Contains(" "))
            {
                WriteInputError(new MailAuthInputException("SesInvalidIdentity", $"'{input}' is not an SES identity: give a domain or an email address.", input));
                continue;
            }
            try
            {
                var client = _session.Client;
                _session.Flush(this);
                var result = Await(client.GetEmailIdentityAsync(identity, CancellationToken));
                _session.Flush(this);
                if (result.Dkim?.IsWaiting == true)
                    WriteVerbose($"{identity}: DKIM is PENDING, which means SES is still waiting to see the CNAME records (up to 72 hours), not that it failed.");
                WriteObject(result);
            }
            catch (SesApiException ex)
            {
                _session.Flush(this);
                WriteError(SesApiSession.ToErrorRecord(ex, identity));
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
                return;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _session?.Dispose();
        base.Dispose(disposing);
    }
}
