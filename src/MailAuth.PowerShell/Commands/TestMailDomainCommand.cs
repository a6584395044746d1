using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Readiness;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tests whether domains meet the mailbox providers' requirements for senders: SPF, DKIM, DMARC, MX.</para>
/// </summary>
/// <remarks>
/// Domains run concurrently on worker tasks, at most ThrottleLimit at a time. Workers only compute:
/// each finished domain is queued, and the pipeline thread drains the queue (in ProcessRecord without
/// waiting, in EndProcessing until every domain is done) and does all the writing, since
/// WriteObject, WriteError and WriteProgress must not be called from another thread.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "MailDomain")]
[OutputType(typeof(MailDomainCheck))]
public sealed class TestMailDomainCommand : DnsCmdlet
{
    /// <summary>Stable id of the error written when testing one domain fails unexpectedly.</summary>
    public const string TestFailedErrorId = "MailDomainTestFailed";

    // Not disposed: workers still finishing after Ctrl+C may add to it; it holds no unmanaged resource.
    private readonly BlockingCollection<Completion> _completed = new BlockingCollection<Completion>();
    private SemaphoreSlim _throttle;
    private MailDomainTester _tester;
    private int _started;
    private int _finished;

    /// <summary>The domains to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "DomainName")]
    [AllowEmptyString]
    public string[] Domain { get; set; }

    /// <summary>The DKIM selectors whose keys to check (keys cannot be listed from the DNS).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Selector")]
    public string[] DkimSelector { get; set; }

    /// <summary>Whose bulk-sender requirements to check: Gmail, Yahoo, Microsoft or All.</summary>
    [Parameter]
    [ValidateSet("Gmail", "Yahoo", "Microsoft", "All", IgnoreCase = true)]
    public string[] Requirement { get; set; } = { "All" };

    /// <summary>Also write the requirements the DNS cannot show (PTR of the sending IPs, one-click unsubscribe), with Status NotCheckable.</summary>
    [Parameter]
    public SwitchParameter IncludeNotCheckable { get; set; }

    /// <summary>How many domains are tested at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>-Requirement as the core's flags. A property, not a field: a MailAuth.Core value-type field would have to be loaded when PowerShell first reflects over the cmdlet types.</summary>
    private SenderRequirement SelectedRequirement
    {
        get
        {
            var requirement = SenderRequirement.None;
            foreach (var r in Requirement) requirement |= (SenderRequirement)Enum.Parse(typeof(SenderRequirement), r, ignoreCase: true);
            return requirement;
        }
    }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _throttle = new SemaphoreSlim(ThrottleLimit);
        _tester = new MailDomainTester(Resolver);
    }

    protected override void ProcessRecord()
    {
        var selectors = DkimSelector ?? Array.Empty<string>();
        foreach (var input in Domain)
        {
            if (!TryNormalizeDomain(input, out var domain)) continue;
            _started++;
            WriteVerbose($"Queued {domain} (ThrottleLimit {ThrottleLimit}).");
            Start(domain, selectors);
        }
        // Write what is already done, without waiting for the rest.
        while (_completed.TryTake(out var done)) Write(done);
    }

    protected override void EndProcessing()
    {
        try
        {
            while (_finished < _started) Write(_completed.Take(CancellationToken));
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return; // Ctrl+C: the workers see the same token and stop.
        }
        WriteProgress(new ProgressRecord(1, "Test-MailDomain", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Start(string domain, IReadOnlyList<string> selectors)
    {
        var token = CancellationToken;
        var requirement = SelectedRequirement; // read on the pipeline thread, before the worker starts
        Task.Run(async () =>
        {
            Completion completion;
            bool entered = false;
            try
            {
                await _throttle.WaitAsync(token).ConfigureAwait(false);
                entered = true;
                completion = new Completion(domain, await _tester.TestAsync(domain, selectors, requirement, token).ConfigureAwait(false), null);
            }
            catch (Exception ex)
            {
                completion = new Completion(domain, null, ex);
            }
            finally
            {
                if (entered) _throttle.Release();
            }
            _completed.Add(completion);
        });
    }

    private void Write(Completion done)
    {
        _finished++;
        if (done.Result != null)
        {
            foreach (var row in done.Result.ToRows(IncludeNotCheckable)) WriteObject(row);
            if (done.Result.Status == MailDomainCheckStatus.Error)
                WriteLookupFailed(done.Result.Summary, done.Domain, "a record (" + string.Join(", ", done.Result.Checks.Where(c => c.Status == MailDomainCheckStatus.Error).Select(c => c.Check)) + ")", Dns.DnsErrorKind.None);
        }
        else if (done.Error is MailAuth.Common.MailAuthInputException input)
        {
            WriteInputError(input);
        }
        else if (!(done.Error is OperationCanceledException && CancellationToken.IsCancellationRequested))
        {
            WriteError(done.Error, TestFailedErrorId, ErrorCategory.NotSpecified, done.Domain);
        }
        int percent = _started == 0 ? 100 : (int)(100L * _finished / _started);
        WriteProgress(new ProgressRecord(1, "Test-MailDomain", $"{_finished} of {_started} domains tested")
        {
            PercentComplete = Math.Min(100, percent),
            CurrentOperation = $"{done.Domain}: {(done.Result != null ? done.Result.Status.ToString() : "failed")}",
        });
    }

    private sealed class Completion
    {
        public Completion(string domain, MailDomainReadiness result, Exception error)
        {
            Domain = domain;
            Result = result;
            Error = error;
        }

        public string Domain { get; }
        public MailDomainReadiness Result { get; }
        public Exception Error { get; }
    }
}
