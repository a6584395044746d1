using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Mx;
using MailAuth.Common;
using MailAuth.Readiness;
using MailAuth.Spf;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// Every DNS-using entry point of the core (the cores of Get-SpfRecord, Test-Spf, Get-DmarcRecord, Get-DkimRecord,
/// Get-MxRecord and Test-MailDomain) against each way a server can misbehave: the result is always Error (TempError
/// for SPF) with a message, never NotFound, never an exception.
/// </summary>
public sealed class DnsEntryPointMisbehaviourTests
{
    /// <summary>The misbehaviours, by name, and whether to ask over TCP only.</summary>
    private static readonly Dictionary<string, (Func<DnsQuestionSeen, DnsReply> Script, bool TcpOnly)> Servers = new Dictionary<string, (Func<DnsQuestionSeen, DnsReply>, bool)>
    {
        ["truncated, then garbage over TCP"] = (q => q.OverTcp ? DnsReply.Garbage(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n")) : DnsReply.Truncate(), false),
        ["truncated, then another ID over TCP"] = (q => q.OverTcp ? DnsReply.NxDomain().WithAnotherId() : DnsReply.Truncate(), false),
        ["truncated, then another question over TCP"] = (q => q.OverTcp ? DnsReply.NxDomain().ForQuestion("other.test") : DnsReply.Truncate(), false),
        ["truncated, then the TCP connection closed"] = (q => q.OverTcp ? DnsReply.Close() : DnsReply.Truncate(), false),
        ["TCP only, another question"] = (q => DnsReply.NxDomain().ForQuestion("other.test"), true),
        ["TCP only, answer cut short"] = (q => DnsReply.NxDomain().AsTcpBytes(new byte[] { 0, 40, 1, 2, 3 }).ThenClose(), true),
        ["silence"] = (q => DnsReply.Silence(), false),
        ["SERVFAIL"] = (q => DnsReply.ServFail(), false),
        ["CNAME loop in one answer"] = (q => DnsReply.Answer(DnsRecordSpec.Cname(q.Name, "loop.test"), DnsRecordSpec.Cname("loop.test", q.Name)), false),
        ["CNAME chain without end"] = (q => DnsReply.Answer(DnsRecordSpec.Cname(q.Name, "x" + q.Name)), false),
        ["malformed answer"] = (q => DnsReply.Garbage(Malformed(q)), false),
    };

    public static IEnumerable<object[]> Misbehaviours => Servers.Keys.Select(k => new object[] { k });

    /// <summary>The question echoed with one answer promised and none given.</summary>
    private static byte[] Malformed(DnsQuestionSeen q)
    {
        var message = q.Message.Take(q.QuestionEnd).ToArray();
        message[2] |= 0x80;
        message[7] = 1;
        message[11] = 0;
        return message;
    }

    /// <summary>Runs <paramref name="check"/> with a resolver that asks a server misbehaving so.</summary>
    private static async Task Against(string misbehaviour, Func<IDnsResolver, Task> check)
    {
        var (script, tcpOnly) = Servers[misbehaviour];
        using var server = new MisbehavingDnsServer(script);
        await check(new CachingResolver(new StubResolver(new DnsResolverOptions
        {
            Servers = new[] { server.Endpoint },
            Timeout = TimeSpan.FromMilliseconds(misbehaviour == "silence" ? 250 : 2000),
            Retries = 0,
            UseTcpOnly = tcpOnly,
        })));
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Spf_record_is_an_error(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new SpfRecordInspector(resolver).InspectAsync("example.test", expand: true);
            Assert.Equal(RecordStatus.Error, result.Status);
            Assert.NotEqual(DnsErrorKind.None, result.ErrorKind);
            Assert.NotEmpty(result.Findings);
        });
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Spf_check_host_is_a_temperror(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new SpfEvaluator(resolver).CheckHostAsync(IPAddress.Parse("192.0.2.1"), "user@example.test", "mail.example.test");
            Assert.Equal(SpfResult.TempError, result.Result);
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        });
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Dmarc_discovery_is_an_error(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new DmarcPolicyDiscoverer(resolver).DiscoverAsync("mail.example.test");
            Assert.Equal(RecordStatus.Error, result.Status);
            Assert.NotEqual(DnsErrorKind.None, result.ErrorKind);
        });
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Dkim_key_is_an_error(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new DkimKeyInspector(resolver).InspectAsync("example.test", "s1");
            Assert.Equal(RecordStatus.Error, result.Status);
            Assert.NotEqual(DnsErrorKind.None, result.ErrorKind);
        });
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Mx_is_an_error(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new MxInspector(resolver).InspectAsync("example.test");
            Assert.Equal(RecordStatus.Error, result.Status);
            Assert.NotEqual(DnsErrorKind.None, result.ErrorKind);
        });
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Mail_domain_checks_are_errors(string misbehaviour)
    {
        await Against(misbehaviour, async resolver =>
        {
            var result = await new MailDomainTester(resolver).TestAsync("example.test", new[] { "s1" });
            Assert.NotEmpty(result.Checks);
            foreach (var check in result.Checks.Where(c => new[] { "Spf", "Dmarc", "Dkim", "Mx" }.Any(p => c.Check.StartsWith(p, StringComparison.Ordinal))))
            {
                Assert.True(check.Status == MailDomainCheckStatus.Error, $"{check.Check}: {check.Status} {check.Detail}");
                Assert.False(string.IsNullOrWhiteSpace(check.Detail));
            }
            Assert.Equal(MailDomainCheckStatus.Error, result.Status);
        });
    }

    /// <summary>Issue 13.2: a CNAME to a name of arbitrary octets neither throws nor loses the result.</summary>
    [Fact]
    public async Task Cname_to_arbitrary_octets_is_followed_by_every_entry_point()
    {
        var ff = new[] { Enumerable.Repeat((byte)0xFF, 40).ToArray(), Encoding.ASCII.GetBytes("test") };
        using var server = new MisbehavingDnsServer(q =>
            q.Labels.Count > 0 && q.Labels[0].All(b => b == 0xFF) ? DnsReply.NxDomain()
            : DnsReply.Answer(DnsRecordSpec.Cname(DnsRecordSpec.Labels(q.Name), ff)));
        var resolver = new CachingResolver(new StubResolver(new DnsResolverOptions { Servers = new[] { server.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 0 }));

        Assert.Equal(RecordStatus.NotFound, (await new SpfRecordInspector(resolver).InspectAsync("example.test")).Status);
        Assert.Equal(SpfResult.None, (await new SpfEvaluator(resolver).CheckHostAsync(IPAddress.Parse("192.0.2.1"), "user@example.test", "example.test")).Result);
        Assert.Equal(RecordStatus.NotFound, (await new DmarcPolicyDiscoverer(resolver).DiscoverAsync("example.test")).Status);
        var readiness = await new MailDomainTester(resolver).TestAsync("example.test", new[] { "s1" });
        Assert.Contains(readiness.Checks, c => c.Check == "Spf.Present" && c.Status == MailDomainCheckStatus.Fail);
        Assert.Contains(server.Asked, q => q.Labels.Count == 2 && q.Labels[0].Length == 40 && q.Labels[0].All(b => b == 0xFF));
    }
}
