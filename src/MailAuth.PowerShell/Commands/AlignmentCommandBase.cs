using System.Management.Automation;
using MailAuth.Dmarc;
using MailAuth.Common;

namespace MailAuth.PowerShell.Commands;

/// <summary>The shared body of Test-SpfAlignment and Test-DkimAlignment.</summary>
public abstract class AlignmentCommandBase : DmarcCmdlet
{
    /// <summary>The RFC5322.From address or domain.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("From", "HeaderFromDomain")]
    [AllowEmptyString]
    public string HeaderFrom { get; set; }

    /// <summary>relaxed (default) or strict.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AlignmentMode")]
    [ValidateSet("Relaxed", "Strict", IgnoreCase = true)]
    public string Mode { get; set; } = "Relaxed";

    /// <summary>Which identifier the cmdlet checks.</summary>
    protected abstract AuthenticatedIdentifierKind Kind { get; }

    /// <summary>The other identifier's value.</summary>
    protected abstract string Other { get; }

    protected override void ProcessRecord()
    {
        var alignment = new IdentifierAlignment(Resolver, PublicSuffixList);
        if (!TryNormalizeDomain(DomainNameOf(HeaderFrom), out var from)) return;
        if (!TryNormalizeDomain(DomainNameOf(Other), out var other)) return;
        var mode = ParameterEnum.Parse<AlignmentMode>(Mode);
        WriteVerbose($"Checking {Kind} alignment of {other} with {from} ({mode}, Organizational Domains by {SelectedDiscoveryMode}).");
        try
        {
            var result = Await(alignment.CheckAsync(Kind, from, other, mode, SelectedDiscoveryMode, CancellationToken));
            if (result.IsError) WriteWarning(result.Reason);
            WriteObject(result);
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }

    private static string DomainNameOf(string addressOrDomain) => Dns.DomainName.FromAddressOrDomain(addressOrDomain);
}
