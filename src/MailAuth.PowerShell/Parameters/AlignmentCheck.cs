using MailAuth.Common;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.PowerShell.Commands;

namespace MailAuth.PowerShell.Parameters;

/// <summary>What Test-SpfAlignment and Test-DkimAlignment do with their inputs: one identifier against the From domain.</summary>
internal static class AlignmentCheck
{
    /// <summary>Normalizes both domains (an InvalidDomainName error for a bad one), checks alignment and writes the result.</summary>
    internal static void Write(MailAuthCmdlet cmdlet, IDnsResolver resolver, AuthenticatedIdentifierKind kind, string headerFrom, string other,
        string mode, DmarcDiscoveryMode discoveryMode, PublicSuffixList publicSuffixList)
    {
        if (!cmdlet.TryNormalizeDomain(DomainName.FromAddressOrDomain(headerFrom), out var from)) return;
        if (!cmdlet.TryNormalizeDomain(DomainName.FromAddressOrDomain(other), out var domain)) return;
        var alignmentMode = ParameterEnum.Parse<AlignmentMode>(mode);
        cmdlet.WriteVerbose($"Checking {kind} alignment of {domain} with {from} ({alignmentMode}, Organizational Domains by {discoveryMode}).");
        try
        {
            var result = cmdlet.Await(new IdentifierAlignment(resolver, publicSuffixList).CheckAsync(kind, from, domain, alignmentMode, discoveryMode, cmdlet.CancellationToken));
            if (result.IsError) cmdlet.WriteWarning(result.Reason);
            cmdlet.WriteObject(result);
        }
        catch (MailAuthInputException ex)
        {
            cmdlet.WriteInputError(ex);
        }
    }
}
