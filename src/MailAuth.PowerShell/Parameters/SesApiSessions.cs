using System;
using System.Collections.Generic;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// The SES sessions of one cmdlet invocation, one per Region: a Region that comes by property name with each
/// piped object gets its own client, signed for that region, made once and reused for later objects.
/// </summary>
internal sealed class SesApiSessions : IDisposable
{
    private readonly Dictionary<string, SesApiSession> _sessions = new Dictionary<string, SesApiSession>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The session for <paramref name="region"/> (null or empty: the default chain's region).</summary>
    internal SesApiSession For(string region, string profileName, Uri endpointUrl)
    {
        var key = region?.Trim() ?? string.Empty;
        if (!_sessions.TryGetValue(key, out var session))
            _sessions[key] = session = new SesApiSession(region, profileName, endpointUrl);
        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
