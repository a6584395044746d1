using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Dns;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// The base of every MailAuth cmdlet: a cancellation token that Ctrl+C (StopProcessing) cancels,
/// one way to wait on the core's tasks, and one way to report bad input as a non-terminating error.
/// </summary>
public abstract class MailAuthCmdlet : PSCmdlet, IDisposable
{
    private CancellationTokenSource _cancellation = new CancellationTokenSource();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected internal CancellationToken CancellationToken => _cancellation.Token;

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>Waits for the core on the pipeline thread. The core awaits with ConfigureAwait(false), so this cannot deadlock.</summary>
    protected internal T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Waits for the core on the pipeline thread.</summary>
    protected void Await(Task task) => task.GetAwaiter().GetResult();

    /// <summary>Writes a non-terminating error for one bad input item; the pipeline goes on.</summary>
    protected internal void WriteInputError(MailAuthInputException exception) =>
        WriteError(new ErrorRecord(exception, exception.ErrorId, ErrorCategory.InvalidArgument, exception.Target));

    /// <summary>Writes a non-terminating error with a stable id.</summary>
    protected void WriteError(Exception exception, string errorId, ErrorCategory category, object target) =>
        WriteError(new ErrorRecord(exception, errorId, category, target));

    /// <summary>Normalizes a domain name, or writes an InvalidDomainName error and returns false.</summary>
    protected internal bool TryNormalizeDomain(string input, out string domain)
    {
        if (DomainName.TryNormalize(input, out domain, out var error)) return true;
        WriteInputError(new MailAuthInputException(DomainName.InvalidDomainNameErrorId, error, input));
        return false;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cancellation?.Dispose();
            _cancellation = null;
        }
    }
}
