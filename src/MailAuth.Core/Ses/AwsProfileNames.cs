using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MailAuth.Ses;

/// <summary>
/// The profile names in the shared AWS config and credentials files, as the AWS CLI and SDKs find them:
/// AWS_CONFIG_FILE (default ~/.aws/config, sections [default] and [profile name]) and
/// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials, sections [name]). For -ProfileName completion;
/// a file that is missing or unreadable adds nothing.
/// </summary>
public static class AwsProfileNames
{
    /// <summary>The profile names, sorted, each once.</summary>
    public static IReadOnlyList<string> Read(string configFile = null, string credentialsFile = null)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        configFile ??= Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") is { Length: > 0 } c ? c : Path.Combine(home, ".aws", "config");
        credentialsFile ??= Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } s ? s : Path.Combine(home, ".aws", "credentials");

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in Sections(configFile))
        {
            if (section == "default") names.Add(section);
            else if (section.StartsWith("profile ", StringComparison.Ordinal)) names.Add(section.Substring("profile ".Length).Trim());
        }
        foreach (var section in Sections(credentialsFile)) names.Add(section);
        names.RemoveWhere(n => n.Length == 0);
        return names.ToList();
    }

    private static IEnumerable<string> Sections(string file)
    {
        string[] lines;
        try
        {
            if (!File.Exists(file)) return Array.Empty<string>();
            lines = File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
        return lines.Select(l => l.Trim())
            .Where(l => l.StartsWith("[", StringComparison.Ordinal) && l.EndsWith("]", StringComparison.Ordinal))
            .Select(l => l.Substring(1, l.Length - 2).Trim());
    }
}
