using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// The time by which one attempt of a question must be answered, for socket operations that take no token
/// (netstandard2.0): a wait that ends at the deadline or on cancellation, whichever is first. The caller
/// closes the socket when the wait fails, which ends the operation it left behind.
/// </summary>
internal readonly struct DnsDeadline
{
    private readonly DateTime _at;

    public DnsDeadline(TimeSpan timeout) => _at = DateTime.UtcNow + timeout;

    /// <summary>
    /// True when <paramref name="operation"/> completed in time (it may have failed: await it to see);
    /// false at the deadline. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public async Task<bool> WaitAsync(Task operation, CancellationToken cancellationToken)
    {
        if (!operation.IsCompleted)
        {
            var remaining = _at - DateTime.UtcNow;
            Task first = null;
            if (remaining > TimeSpan.Zero)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    first = await Task.WhenAny(operation, Task.Delay(remaining, wait.Token)).ConfigureAwait(false);
                    wait.Cancel(); // stops the delay's timer
                }
            }
            if (first != operation)
            {
                // The socket is closed by the caller, which ends the operation with an exception nobody awaits.
                _ = operation.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
                return false;
            }
        }
        return true;
    }
}
