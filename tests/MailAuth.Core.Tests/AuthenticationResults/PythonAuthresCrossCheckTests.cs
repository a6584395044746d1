using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailAuth.AuthenticationResults;
using MailAuth.MessageAuthentication;
using MailAuth.Tests.Infrastructure;
using MailAuth.Tests.MessageAuthentication;
using Xunit;

namespace MailAuth.Tests.AuthenticationResults;

/// <summary>What MailAuth writes is read the same way by an independent parser, python3-authres (Debian).</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class PythonAuthresCrossCheckTests
{
    private readonly KnotDnsServer _dns;

    public PythonAuthresCrossCheckTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Headers_written_from_every_parse_case_read_the_same_in_python3_authres()
    {
        var headers = AuthenticationResultsParserTests.ParseCases()
            .Select(c => AuthenticationResultsParser.Parse(AuthResCases.Scalar(AuthResCases.Case((string)c[0], "parse", (string)c[1]), "header")))
            .Where(h => h.Source == AuthenticationResultsSource.AuthenticationResults)
            // python3-authres reads the authserv-id as a dot-atom only (not RFC 8601's quoted-string form) and knows no UTF-8 (RFC 6532).
            .Where(h => !AuthenticationResultsWriter.WriteField(h).Contains(": \"") && AuthenticationResultsWriter.WriteField(h).All(ch => ch < 128))
            .ToList();
        AssertPythonReadsTheSame(headers);
    }

    [Fact]
    public async Task Headers_composed_by_test_mailauthentication_read_the_same_in_python3_authres()
    {
        var headers = new List<AuthenticationResultsHeader>();
        foreach (var c in SeedConfiguration.Load())
        {
            var result = await new MessageAuthenticator(_dns.CreateResolver()).AuthenticateAsync(c.BuildMessage(),
                new MessageAuthenticationOptions { ClientIP = IPAddress.Parse(c.ClientIP), MailFrom = c.ReturnPath ? null : c.MailFrom, AuthServId = "mx.mailauth.test" });
            headers.Add(result.AuthenticationResultsHeader);
        }
        AssertPythonReadsTheSame(headers);
    }

    private static void AssertPythonReadsTheSame(IReadOnlyList<AuthenticationResultsHeader> headers)
    {
        var fields = headers.Select(h => AuthenticationResultsWriter.WriteField(h)).ToList();
        var lines = RunAuthres(fields);
        Assert.Equal(fields.Count, lines.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var h = headers[i];
            var expected = h.AuthServId.ToLowerInvariant() + "|" + string.Join(",", h.Results.Select(r => r.Method + "=" + r.Result));
            Assert.True(expected == lines[i], $"{fields[i]}\nMailAuth: {expected}\nauthres:  {lines[i]}");
        }
    }

    private static List<string> RunAuthres(IEnumerable<string> fields)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", "\"" + RepositoryPaths.DataFile("authres", "authres_parse.py") + "\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        psi.StandardInputEncoding = new System.Text.UTF8Encoding(false);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var f in fields) process.StandardInput.WriteLine(f);
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout.Result.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
    }
}
