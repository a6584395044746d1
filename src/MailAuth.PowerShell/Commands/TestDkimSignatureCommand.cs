using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using MailAuth.Dkim;
using MailAuth.PowerShell.Parameters;
using MimeKit;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Verifies the DKIM signatures of messages as a receiver does.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DkimSignature", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DkimSignatureResult))]
public sealed class TestDkimSignatureCommand : DnsCmdlet
{
    private const string PathSet = MessagePaths.PathSet;
    private const string LiteralPathSet = MessagePaths.LiteralPathSet;

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    private const string MessageSet = "Message";

    /// <summary>A message: a MimeKit MimeMessage, or the raw message text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessageSet)]
    [ValidateNotNull]
    public object Message { get; set; }

    /// <summary>Keys parsed and imported for one message, kept for the next ones of this pipeline.</summary>
    private readonly DkimKeyCache _keyCache = new DkimKeyCache();

    protected override void ProcessRecord()
    {
        var verifier = new DkimSignatureVerifier(Resolver, null, _keyCache);
        if (ParameterSetName == MessageSet)
        {
            var bytes = MessageBytes(Message);
            if (bytes == null) return;
            WriteResults(Await(verifier.VerifyAsync(new MemoryStream(bytes), null, CancellationToken)));
            return;
        }

        foreach (var file in MessagePaths.Resolve(this, Path, LiteralPath))
        {
            if (MessagePaths.TryRead(this, file, $"Verifying the DKIM signatures of {file}.", stream => verifier.VerifyAsync(stream, file, CancellationToken), out var results)) WriteResults(results);
        }
    }

    private void WriteResults(IReadOnlyList<DkimSignatureResult> results)
    {
        foreach (var r in results)
        {
            if (r.Result != DkimResult.Pass && r.Result != DkimResult.None)
                WriteVerbose($"d={r.Domain} s={r.Selector}: {r.Result}: {r.Reason}");
            WriteObject(r);
        }
    }

    private byte[] MessageBytes(object input)
    {
        var value = input is PSObject ps ? ps.BaseObject : input;
        switch (value)
        {
            case MimeMessage mime:
                var options = FormatOptions.Default.Clone();
                options.NewLineFormat = NewLineFormat.Dos;
                var output = new MemoryStream();
                mime.WriteTo(options, output, CancellationToken);
                return output.ToArray();
            case byte[] raw:
                return raw;
            case string text:
                return Encoding.UTF8.GetBytes(text);
            default:
                WriteError(new ErrorRecord(new ArgumentException($"-Message takes a MimeKit.MimeMessage or the message text, not a {value?.GetType().FullName}."),
                    "InvalidMessage", ErrorCategory.InvalidArgument, input));
                return null;
        }
    }
}
