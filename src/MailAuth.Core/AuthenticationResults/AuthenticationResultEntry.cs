using System.Collections.Generic;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// One method result together with the header it came from: what Get-AuthenticationResult and
/// ConvertFrom-AuthenticationResult write, one object per resinfo, in header order (RFC 8601 §2.2).
/// A <c>none</c> header (no results) gives one entry whose Method and Result are <c>none</c>.
/// </summary>
public sealed class AuthenticationResultEntry
{
    private AuthenticationResultEntry(AuthenticationResultsHeader header, AuthenticationResult result, int headerIndex, string path)
    {
        AuthServId = header.AuthServId;
        Version = header.Version;
        Method = result?.Method ?? "none";
        MethodVersion = result?.MethodVersion;
        Result = result?.Result ?? "none";
        Reason = result?.Reason;
        Properties = result?.Properties ?? AuthenticationResultPropertyCollection.Empty;
        Comment = result != null ? result.Comment : (header.Comments.Count == 0 ? null : string.Join("; ", header.Comments));
        Source = header.FieldName;
        Instance = header.Instance;
        HeaderIndex = headerIndex;
        Path = path;
        AuthenticationResult = result;
    }

    /// <summary>The authserv-id of the header: who evaluated the message.</summary>
    public string AuthServId { get; }

    /// <summary>The header's authres-version, or null.</summary>
    public int? Version { get; }

    /// <summary>spf, dkim, dmarc, arc, auth, iprev...</summary>
    public string Method { get; }

    /// <summary>The method version (<c>dkim/1</c>), or null.</summary>
    public int? MethodVersion { get; }

    /// <summary>pass, fail, none, softfail, neutral, temperror, permerror, policy...</summary>
    public string Result { get; }

    /// <summary>The reason= value, or null.</summary>
    public string Reason { get; }

    /// <summary>The ptype.property=value items; index by key: <c>Properties['header.d']</c>.</summary>
    public AuthenticationResultPropertyCollection Properties { get; }

    /// <summary>The result's comments joined by "; ", or null.</summary>
    public string Comment { get; }

    /// <summary>The header field: Authentication-Results, ARC-Authentication-Results or Received-SPF.</summary>
    public string Source { get; }

    /// <summary>The ARC instance of an ARC-Authentication-Results header, else null.</summary>
    public int? Instance { get; }

    /// <summary>Zero-based index of the header among the message's authentication result headers (or among the inputs).</summary>
    public int HeaderIndex { get; }

    /// <summary>The message file the header was read from, or null for a header given as text.</summary>
    public string Path { get; }

    /// <summary>The parsed result itself (null for a <c>none</c> header).</summary>
    public AuthenticationResult AuthenticationResult { get; }

    /// <summary>One entry per result of <paramref name="header"/>, in header order.</summary>
    public static IEnumerable<AuthenticationResultEntry> FromHeader(AuthenticationResultsHeader header, int headerIndex, string path = null)
    {
        if (header.Results.Count == 0)
        {
            yield return new AuthenticationResultEntry(header, null, headerIndex, path);
            yield break;
        }
        foreach (var result in header.Results) yield return new AuthenticationResultEntry(header, result, headerIndex, path);
    }
}
