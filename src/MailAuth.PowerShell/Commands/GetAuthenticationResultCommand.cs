using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailAuth.AuthenticationResults;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Reads the Authentication-Results, ARC-Authentication-Results and Received-SPF headers of messages.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "AuthenticationResult", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuthenticationResultEntry))]
public sealed class GetAuthenticationResultCommand : MailAuthCmdlet
{
    private const string PathSet = MessagePaths.PathSet;
    private const string LiteralPathSet = MessagePaths.LiteralPathSet;

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    /// <summary>Parse strictly as RFC 8601 says: a header without an authserv-id (as Microsoft 365 writes) is then an error.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var file in MessagePaths.Resolve(this, Path, LiteralPath))
        {
            // Only the header is read (however large the body), with the reader's linear one-pass parser.
            if (!MessagePaths.TryRead(this, file, $"Reading the header of {file}.", stream => AuthenticationResultsReader.ReadAsync(stream, !Strict, CancellationToken),
                    out var fields, headerOnly: true))
                continue;

            if (fields.Count == 0) WriteVerbose($"{file} has no Authentication-Results, ARC-Authentication-Results or Received-SPF header.");
            foreach (var field in fields)
            {
                if (field.Error != null)
                {
                    WriteError(new ErrorRecord(field.Error, field.Error.ErrorId, ErrorCategory.InvalidData, file)
                    {
                        ErrorDetails = new ErrorDetails($"{file}: {field.FieldName} header #{field.Index}: {field.Error.Message}"),
                    });
                    continue;
                }
                foreach (var entry in AuthenticationResultEntry.FromHeader(field.Header, field.Index, file)) WriteObject(entry);
            }
        }
    }
}
