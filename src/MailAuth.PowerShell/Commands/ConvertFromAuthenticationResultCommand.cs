using System.Management.Automation;
using MailAuth.AuthenticationResults;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Parses Authentication-Results header text into one object per method result.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "AuthenticationResult")]
[OutputType(typeof(AuthenticationResultEntry))]
public sealed class ConvertFromAuthenticationResultCommand : MailAuthCmdlet
{
    private int _index;

    /// <summary>
    /// Header values or whole fields. A leading "Authentication-Results:", "ARC-Authentication-Results:" or
    /// "Received-SPF:" is recognized; without one the text is an Authentication-Results value.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("AuthenticationResults", "Value")]
    [AllowEmptyString]
    public string[] Header { get; set; }

    /// <summary>Parse strictly as RFC 8601 says: a header without an authserv-id (as Microsoft 365 writes) is then an error.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var text in Header)
        {
            var index = _index++;
            if (!AuthenticationResultsParser.TryParse(text, !Strict, out var header, out var error))
            {
                WriteInputError(error);
                continue;
            }
            foreach (var entry in AuthenticationResultEntry.FromHeader(header, index)) WriteObject(entry);
        }
    }
}
