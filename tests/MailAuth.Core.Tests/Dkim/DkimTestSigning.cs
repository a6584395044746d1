using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.Tests.Infrastructure;
using MimeKit;
using MimeKit.Cryptography;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// Really signs test messages: with MimeKit's DkimSigner, or with dkimpy (Debian python3-dkim) through
/// tests/data/dkim/dkimpy_tool.py. The keys are the test-only keys in tests/data/dkim/, whose public
/// halves Knot serves from tests/data/zones/dkim.test.zone and dkim.amazonses.com.zone.
/// </summary>
internal static class DkimTestSigning
{
    public const string Python = "/usr/bin/python3";
    private static readonly FormatOptions Crlf = CreateCrlf();

    public static string KeyFile(string name) => RepositoryPaths.DataFile("dkim", name);

    /// <summary>The character-strings of the key record of <paramref name="selector"/> in tests/data/zones/dkim.test.zone.</summary>
    public static string[] ZoneKeyRecord(string selector)
    {
        var line = File.ReadAllLines(RepositoryPaths.DataFile("zones", "dkim.test.zone")).First(l => l.StartsWith(selector + "._domainkey ", StringComparison.Ordinal));
        return System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
    }

    /// <summary>An in-memory resolver holding the dkim.test.zone key records of <paramref name="selectors"/>.</summary>
    public static MailAuth.Dns.InMemoryResolver KeyResolver(params string[] selectors)
    {
        var resolver = new MailAuth.Dns.InMemoryResolver();
        foreach (var selector in selectors) resolver.AddTxt(selector + "._domainkey.dkim.test", ZoneKeyRecord(selector));
        return resolver;
    }

    public static byte[] Message(string name) => File.ReadAllBytes(RepositoryPaths.DataFile("dkim", "messages", name));

    /// <summary>Signs with MimeKit's DkimSigner and returns the message as sent (CRLF line ends).</summary>
    public static byte[] SignWithMimeKit(byte[] message, string keyFile, string domain, string selector,
        DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256, string canonicalization = "relaxed/relaxed",
        string[] headers = null, string identity = null, TimeSpan? expireAfter = null, DateTimeOffset? timestamp = null)
    {
        var mime = MimeMessage.Load(new MemoryStream(message));
        var signer = new TimedDkimSigner(KeyFile(keyFile), domain, selector, algorithm, timestamp)
        {
            HeaderCanonicalizationAlgorithm = Canon(canonicalization.Split('/')[0]),
            BodyCanonicalizationAlgorithm = Canon(canonicalization.Split('/')[1]),
            AgentOrUserIdentifier = identity,
            SignaturesExpireAfter = expireAfter,
        };
        signer.Sign(Crlf, mime, headers ?? new[] { "From", "To", "Subject", "Date", "Message-ID" });
        var output = new MemoryStream();
        mime.WriteTo(Crlf, output);
        return output.ToArray();
    }

    /// <summary>Signs with dkimpy; the signature is prepended to the message bytes unchanged.</summary>
    public static byte[] SignWithDkimpy(byte[] message, string keyFile, string domain, string selector, string algorithm = "rsa-sha256",
        string canonicalization = "relaxed/relaxed", bool length = false, string headers = null, string identity = null)
    {
        var args = $"sign {Quote(KeyFile(keyFile))} {selector} {domain} {canonicalization} {algorithm}" + (length ? " --length" : "")
            + (headers != null ? " --headers " + headers : "") + (identity != null ? " --identity " + identity : "");
        return RunTool(args, message);
    }

    /// <summary>dkimpy's verdict on each DKIM-Signature ("pass" or "fail"), keys fetched from <paramref name="server"/>.</summary>
    public static string[] VerifyWithDkimpy(byte[] message, string server) =>
        Encoding.ASCII.GetString(RunTool("verify " + server, message)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[1].Trim()).ToArray();

    /// <summary>
    /// Adds an ARC set with dkimpy's arc_sign, sealed as d=<paramref name="domain"/> s=arc with arc.key; cv= is the arc= result
    /// of the message's Authentication-Results field from <paramref name="srvId"/> (none when it has no arc=).
    /// <paramref name="headers"/> is the ARC-Message-Signature's h= list, colon-separated (from:to:subject:date:message-id when null).
    /// </summary>
    public static byte[] ArcSealWithDkimpy(byte[] message, string srvId, string server, string domain = "dkim.test", string headers = null) =>
        RunTool($"arc-sign {Quote(KeyFile("arc.key"))} arc {domain} {srvId} {server}" + (headers != null ? " --headers " + headers : ""), message);

    /// <summary>dkimpy's ARC verdict: "pass", "fail", "none" or "terminated" (a sealer said cv=fail), then its reason.</summary>
    public static string VerifyArcWithDkimpy(byte[] message, string server) =>
        Encoding.ASCII.GetString(RunTool("arc-verify " + server, message)).Trim();

    public static byte[] RunTool(string args, byte[] input)
    {
        var psi = new ProcessStartInfo(Python, Quote(RepositoryPaths.DataFile("dkim", "dkimpy_tool.py")) + " " + args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input, 0, input.Length);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("dkimpy_tool.py " + args + " failed: " + stderr.Result);
        return stdout.ToArray();
    }

    public static byte[] Replace(byte[] message, string from, string to)
    {
        var text = Latin1(message);
        if (!text.Contains(from)) throw new ArgumentException($"\"{from}\" is not in the message");
        return Encoding.Latin1.GetBytes(text.Replace(from, to));
    }

    public static string Latin1(byte[] data) => Encoding.Latin1.GetString(data);

    private static DkimCanonicalizationAlgorithm Canon(string s) => s == "relaxed" ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;

    private static string Quote(string s) => "\"" + s + "\"";

    private static FormatOptions CreateCrlf()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    private sealed class TimedDkimSigner : DkimSigner
    {
        private readonly DateTimeOffset? _timestamp;

        public TimedDkimSigner(string file, string domain, string selector, DkimSignatureAlgorithm algorithm, DateTimeOffset? timestamp)
            : base(file, domain, selector, algorithm) => _timestamp = timestamp;

        protected override long GetTimestamp() => _timestamp?.ToUnixTimeSeconds() ?? base.GetTimestamp();
    }
}
