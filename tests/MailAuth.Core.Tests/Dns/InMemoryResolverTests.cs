using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dns;

public sealed class InMemoryResolverTests
{
    private static InMemoryResolver Zone() => new InMemoryResolver()
        .AddTxt("example.test", "v=spf1 ", "-all")
        .AddA("a.b.example.test", "192.0.2.1")
        .AddCname("alias.example.test", "a.b.example.test")
        .AddCname("loop1.example.test", "loop2.example.test")
        .AddCname("loop2.example.test", "loop1.example.test")
        .AddFailure("fail.example.test", DnsErrorKind.ServerFailure)
        .AddFailure("slow.example.test", DnsErrorKind.Timeout, DnsRecordType.TXT);

    [Fact]
    public async Task Txt_strings_of_one_record_stay_together()
    {
        var answer = await Zone().QueryAsync("EXAMPLE.test.", DnsRecordType.TXT);
        var txt = Assert.Single(answer.Records);
        Assert.Equal(new[] { "v=spf1 ", "-all" }, txt.Text);
        Assert.Equal("v=spf1 -all", txt.JoinedText);
    }

    [Fact]
    public async Task Missing_name_is_nxdomain_and_empty_non_terminal_is_nodata()
    {
        var resolver = Zone();
        Assert.Equal(DnsResponseStatus.NxDomain, (await resolver.QueryAsync("nothing.example.test", DnsRecordType.A)).Status);
        var ent = await resolver.QueryAsync("b.example.test", DnsRecordType.A);
        Assert.Equal(DnsResponseStatus.NoError, ent.Status);
        Assert.True(ent.IsVoid);
        Assert.Equal(RecordStatus.NotFound, ent.RecordStatus);
    }

    [Fact]
    public async Task Cname_chain_is_followed_and_loops_are_errors()
    {
        var resolver = Zone();
        var alias = await resolver.QueryAsync("alias.example.test", DnsRecordType.A);
        Assert.Equal("a.b.example.test", alias.CanonicalName);
        Assert.Single(alias.Records);
        var loop = await resolver.QueryAsync("loop1.example.test", DnsRecordType.A);
        Assert.Equal(DnsErrorKind.CnameLoop, loop.ErrorKind);
        Assert.Equal(RecordStatus.Error, loop.RecordStatus);
    }

    [Fact]
    public async Task Configured_failures_are_errors_not_missing_records()
    {
        var resolver = Zone();
        var servfail = await resolver.QueryAsync("fail.example.test", DnsRecordType.MX);
        Assert.Equal(DnsErrorKind.ServerFailure, servfail.ErrorKind);
        Assert.False(servfail.IsVoid);
        var timeout = await resolver.QueryAsync("slow.example.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.Timeout, timeout.ErrorKind);
        var otherType = await resolver.QueryAsync("slow.example.test", DnsRecordType.A);
        Assert.False(otherType.IsError);
    }

    [Fact]
    public async Task Caching_resolver_asks_each_question_once()
    {
        var inner = Zone();
        var cache = new CachingResolver(inner);
        for (int i = 0; i < 5; i++)
        {
            await cache.QueryAsync("example.test", DnsRecordType.TXT);
            await cache.QueryAsync("Example.Test.", DnsRecordType.TXT);
        }
        await cache.QueryAsync("example.test", DnsRecordType.MX);
        Assert.Equal(2, inner.QueryCount);
    }
}
