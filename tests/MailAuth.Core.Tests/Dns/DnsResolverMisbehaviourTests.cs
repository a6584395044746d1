using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// <see cref="StubResolver"/> against servers that misbehave (<see cref="MisbehavingDnsServer"/>): every
/// failure is an answer with Status Error and a message, never NotFound, never an exception.
/// </summary>
public sealed class DnsResolverMisbehaviourTests
{
    private static StubResolver Resolver(MisbehavingDnsServer server, int retries = 0, bool tcpOnly = false, int timeoutMs = 2000) =>
        new StubResolver(new DnsResolverOptions { Servers = new[] { server.Endpoint }, Timeout = TimeSpan.FromMilliseconds(timeoutMs), Retries = retries, UseTcpOnly = tcpOnly });

    private static void AssertError(DnsAnswer answer)
    {
        Assert.Equal(DnsResponseStatus.Error, answer.Status);
        Assert.False(answer.IsVoid);
        Assert.False(string.IsNullOrWhiteSpace(answer.ErrorMessage));
    }

    [Fact]
    public async Task Truncated_then_garbage_over_tcp_is_an_error_not_an_exception()
    {
        using var server = new MisbehavingDnsServer(q => q.OverTcp ? DnsReply.Garbage(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }) : DnsReply.Truncate());
        var answer = await Resolver(server).QueryAsync("big.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Contains(server.Asked, q => q.OverTcp);
    }

    [Fact]
    public async Task Truncated_then_a_tcp_answer_with_another_id_is_an_error()
    {
        using var server = new MisbehavingDnsServer(q => q.OverTcp ? DnsReply.Answer(DnsRecordSpec.Txt("big.test", "v=spf1 -all")).WithAnotherId() : DnsReply.Truncate());
        var answer = await Resolver(server).QueryAsync("big.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Contains("ID", answer.ErrorMessage);
    }

    [Fact]
    public async Task Tcp_answer_cut_short_is_an_error()
    {
        var message = new byte[] { 0x01, 0x00 }; // announces 256 octets, then the server closes
        using var server = new MisbehavingDnsServer(q => q.OverTcp ? DnsReply.Answer().AsTcpBytes(message).ThenClose() : DnsReply.Truncate());
        AssertError(await Resolver(server).QueryAsync("big.test", DnsRecordType.TXT));
    }

    [Fact]
    public async Task Tcp_answer_for_another_question_is_an_error_not_nxdomain()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain().ForQuestion("other.test"));
        var answer = await Resolver(server, tcpOnly: true).QueryAsync("_dmarc.example.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Contains("question", answer.ErrorMessage);
    }

    [Fact]
    public async Task Udp_answer_for_another_question_is_dropped_and_times_out()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain().ForQuestion("other.test"));
        var answer = await Resolver(server, timeoutMs: 300).QueryAsync("_dmarc.example.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Equal(DnsErrorKind.Timeout, answer.ErrorKind);
    }

    [Fact]
    public async Task Udp_answer_with_another_id_is_dropped_and_times_out()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain().WithAnotherId());
        var answer = await Resolver(server, timeoutMs: 300).QueryAsync("example.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.Timeout, answer.ErrorKind);
    }

    [Fact]
    public async Task Tcp_connection_closed_without_an_answer_is_an_error()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Close());
        AssertError(await Resolver(server, tcpOnly: true).QueryAsync("example.test", DnsRecordType.TXT));
    }

    [Fact]
    public async Task A_pooled_tcp_connection_the_server_closed_is_reopened_once_without_counting_a_try()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all")).ThenClose());
        var resolver = Resolver(server, retries: 0, tcpOnly: true, timeoutMs: 2000);
        for (int i = 0; i < 4; i++)
        {
            var answer = await resolver.QueryAsync($"n{i}.example.test", DnsRecordType.TXT);
            Assert.Equal(DnsResponseStatus.NoError, answer.Status);
            Assert.Equal("v=spf1 -all", Assert.Single(answer.Records).JoinedText);
            await Task.Delay(50); // the server's close reaches the idle connection
        }
        Assert.Equal(4, server.QuestionCount);
    }

    [Fact]
    public async Task Octets_after_a_tcp_answer_do_not_spoil_the_next_question()
    {
        using var server = new MisbehavingDnsServer(q =>
        {
            var answer = DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all"));
            var message = answer.Build(q);
            var framed = new byte[] { (byte)(message.Length >> 8), (byte)message.Length }.Concat(message).Concat(new byte[] { 0, 12, 1, 2, 3 }).ToArray();
            return answer.AsTcpBytes(framed);
        });
        var resolver = Resolver(server, tcpOnly: true);
        for (int i = 0; i < 3; i++)
        {
            var answer = await resolver.QueryAsync($"n{i}.example.test", DnsRecordType.TXT);
            Assert.Equal(DnsResponseStatus.NoError, answer.Status);
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Stale octets on a pooled connection that arrive only as the next question is asked (the tail of an earlier
    /// exchange, too late for the idle check): not that question's answer, so it is asked again on a new connection.
    /// </summary>
    [Fact]
    public async Task A_stale_message_waiting_on_a_pooled_connection_is_not_taken_for_the_answer()
    {
        using var server = new MisbehavingDnsServer(q =>
        {
            var answer = DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all"));
            if (q.IndexOnConnection == 0) return answer;
            // A whole DNS message with another ID, then nothing: what a late tail of an earlier answer looks like.
            var stale = DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all")).WithAnotherId().Build(q);
            return answer.AsTcpBytes(new byte[] { (byte)(stale.Length >> 8), (byte)stale.Length }.Concat(stale).ToArray());
        });
        var resolver = Resolver(server, retries: 0, tcpOnly: true);
        for (int i = 0; i < 3; i++)
            Assert.Equal(DnsResponseStatus.NoError, (await resolver.QueryAsync($"n{i}.example.test", DnsRecordType.TXT)).Status);
        Assert.Equal(3, server.TcpConnections);
    }

    /// <summary>The server closes a pooled connection just as the next question arrives: asked again on a new one, within the try.</summary>
    [Fact]
    public async Task A_pooled_tcp_connection_closed_on_the_next_question_is_reopened_once()
    {
        using var server = new MisbehavingDnsServer(q => q.IndexOnConnection == 0 ? DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all")) : DnsReply.Close());
        var resolver = Resolver(server, retries: 0, tcpOnly: true);
        for (int i = 0; i < 4; i++)
            Assert.Equal(DnsResponseStatus.NoError, (await resolver.QueryAsync($"n{i}.example.test", DnsRecordType.TXT)).Status);
        Assert.Equal(4, server.TcpConnections);
        Assert.Equal(7, server.QuestionCount); // the first on its own connection, each later one twice
    }

    [Fact]
    public async Task Tcp_connections_are_reused_while_the_server_keeps_them_open()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 -all")));
        var resolver = Resolver(server, tcpOnly: true, timeoutMs: 2000);
        for (int i = 0; i < 5; i++) Assert.Equal(DnsResponseStatus.NoError, (await resolver.QueryAsync($"n{i}.example.test", DnsRecordType.TXT)).Status);
        Assert.Equal(1, server.TcpConnections);
    }

    [Fact]
    public async Task Silence_is_a_timeout_after_every_retry()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Silence());
        var answer = await Resolver(server, retries: 2, timeoutMs: 200).QueryAsync("example.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.Timeout, answer.ErrorKind);
        Assert.Equal(3, server.QuestionCount);
    }

    [Fact]
    public async Task Huge_txt_record_comes_whole_over_tcp()
    {
        var strings = Enumerable.Range(0, 240).Select(i => new string((char)('a' + i % 26), 255)).ToArray();
        using var server = new MisbehavingDnsServer(q => q.OverTcp ? DnsReply.Answer(DnsRecordSpec.Txt("big.test", strings)) : DnsReply.Truncate());
        var answer = await Resolver(server).QueryAsync("big.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Equal(240 * 255, Assert.Single(answer.Records).JoinedText.Length);
    }

    [Fact]
    public async Task Txt_octets_that_are_not_utf8_are_read_without_an_exception()
    {
        var bytes = new byte[] { (byte)'v', (byte)'=', 0xFF, 0xC3, 0x28, 0x80 };
        using var server = new MisbehavingDnsServer(q => DnsReply.Answer(DnsRecordSpec.Txt(DnsRecordSpec.Labels("odd.test"), bytes)));
        var answer = await Resolver(server).QueryAsync("odd.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.StartsWith("v=", Assert.Single(answer.Records).JoinedText);
    }

    /// <summary>RFC 2181 §11: a label may hold any octet. 40 × 0xFF must be asked as those 40 octets.</summary>
    [Fact]
    public async Task Cname_target_of_arbitrary_octets_is_asked_as_those_octets()
    {
        var ff = Enumerable.Repeat((byte)0xFF, 40).ToArray();
        var target = new[] { ff, Encoding.ASCII.GetBytes("test") };
        using var server = new MisbehavingDnsServer(q =>
            q.Name == "alias.test" ? DnsReply.Answer(DnsRecordSpec.Cname(DnsRecordSpec.Labels("alias.test"), target))
            : q.Labels.Count == 2 && q.Labels[0].SequenceEqual(ff) ? DnsReply.Answer(DnsRecordSpec.Txt(target, Encoding.ASCII.GetBytes("v=spf1 -all")))
            : DnsReply.NxDomain());
        var answer = await Resolver(server).QueryAsync("alias.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Equal("v=spf1 -all", Assert.Single(answer.Records).JoinedText);
        var shown = string.Concat(Enumerable.Repeat("\\255", 40)) + ".test";
        Assert.Equal(new[] { shown }, answer.CnameChain);
        Assert.Equal(shown, answer.Records[0].Name);
        Assert.Contains(server.Asked, q => q.Labels.Count == 2 && q.Labels[0].SequenceEqual(ff));
    }

    /// <summary>A label holding a dot is one label (RFC 1035 §5.1 writes it a\.b), not two.</summary>
    [Fact]
    public async Task Label_holding_a_dot_is_asked_as_one_label()
    {
        var target = new[] { Encoding.ASCII.GetBytes("a.b"), Encoding.ASCII.GetBytes("test") };
        using var server = new MisbehavingDnsServer(q =>
            q.Name == "alias.test" ? DnsReply.Answer(DnsRecordSpec.Cname(DnsRecordSpec.Labels("alias.test"), target))
            : q.Labels.Count == 2 && q.Labels[0].SequenceEqual(target[0]) ? DnsReply.Answer(DnsRecordSpec.Txt(target, Encoding.ASCII.GetBytes("v=spf1 -all")))
            : DnsReply.NxDomain());
        var answer = await Resolver(server).QueryAsync("alias.test", DnsRecordType.TXT);
        Assert.Equal(new[] { "a\\.b.test" }, answer.CnameChain);
        Assert.Equal("v=spf1 -all", Assert.Single(answer.Records).JoinedText);
        Assert.DoesNotContain(server.Asked, q => q.Labels.Count == 3);
    }

    [Fact]
    public async Task Name_written_with_escapes_is_asked_as_its_octets()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain());
        var answer = await Resolver(server).QueryAsync("a\\.b.\\255x.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NxDomain, answer.Status);
        var asked = Assert.Single(server.Asked);
        Assert.Equal(new[] { "a.b", "\u00FFx", "test" }, asked.Labels.Select(l => Encoding.Latin1.GetString(l)));
    }

    [Theory]
    [InlineData("a..b.test")]
    [InlineData("trailing\\")]
    [InlineData("\\256.test")]
    public async Task Name_that_cannot_be_sent_is_an_error_answer_not_an_exception(string name)
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain());
        var answer = await Resolver(server).QueryAsync(name, DnsRecordType.TXT);
        AssertError(answer);
        Assert.Equal(DnsErrorKind.InvalidName, answer.ErrorKind);
        Assert.Equal(0, server.QuestionCount);
    }

    [Fact]
    public async Task Name_longer_than_255_octets_is_an_error_answer()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain());
        var name = string.Join(".", Enumerable.Repeat(new string('a', 63), 4)) + ".test";
        AssertError(await Resolver(server).QueryAsync(name, DnsRecordType.TXT));
    }

    [Fact]
    public async Task Cname_loop_is_an_error()
    {
        using var server = new MisbehavingDnsServer(q =>
            q.Name == "a.test" ? DnsReply.Answer(DnsRecordSpec.Cname("a.test", "b.test")) : DnsReply.Answer(DnsRecordSpec.Cname("b.test", "a.test")));
        var answer = await Resolver(server).QueryAsync("a.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Equal(DnsErrorKind.CnameLoop, answer.ErrorKind);
    }

    [Fact]
    public async Task Cname_chain_longer_than_followed_is_an_error()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Answer(DnsRecordSpec.Cname(q.Name, "x" + q.Name)));
        var answer = await Resolver(server).QueryAsync("a.test", DnsRecordType.TXT);
        AssertError(answer);
        Assert.Equal(DnsErrorKind.CnameLoop, answer.ErrorKind);
    }

    [Fact]
    public async Task Garbage_over_udp_is_dropped_and_times_out()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Garbage(new byte[] { 1, 2, 3 }));
        var answer = await Resolver(server, timeoutMs: 300).QueryAsync("example.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.Timeout, answer.ErrorKind);
    }

    [Fact]
    public async Task Malformed_answer_echoing_the_question_is_an_error()
    {
        // The header and question are right; the answer count promises a record that is not there.
        using var server = new MisbehavingDnsServer(q =>
        {
            var message = q.Message.Take(q.QuestionEnd).ToArray();
            message[2] |= 0x80;
            message[7] = 1;
            message[11] = 0;
            return DnsReply.Garbage(message);
        });
        AssertError(await Resolver(server).QueryAsync("example.test", DnsRecordType.TXT));
    }

    /// <summary>Issue 13.11: once the caller has cancelled, nothing more is sent, retries included.</summary>
    [Fact]
    public async Task After_cancelling_no_more_questions_reach_the_server()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Silence());
        var resolver = new CachingResolver(Resolver(server, retries: 10, timeoutMs: 200));
        using var cancel = new CancellationTokenSource();
        var queries = Enumerable.Range(0, 20).Select(i => resolver.QueryAsync($"n{i}.test", DnsRecordType.TXT, cancel.Token)).ToList();
        while (server.QuestionCount < 20) await Task.Delay(10);
        cancel.Cancel();
        foreach (var q in queries) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q);
        await Task.Delay(100);
        int afterCancel = server.QuestionCount;
        await Task.Delay(800);
        Assert.Equal(afterCancel, server.QuestionCount);
        Assert.True(afterCancel <= 40, $"{afterCancel} questions");
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain());
        var resolver = new CachingResolver(Resolver(server));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryAsync("a.test", DnsRecordType.TXT, cancel.Token));
        await Task.Delay(200);
        Assert.Equal(0, server.QuestionCount);
    }

    [Fact]
    public async Task One_askers_cancellation_does_not_cancel_another_asker_of_the_same_question()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.NxDomain().After(300));
        var resolver = new CachingResolver(Resolver(server, timeoutMs: 2000));
        using var cancel = new CancellationTokenSource();
        var first = resolver.QueryAsync("a.test", DnsRecordType.TXT, cancel.Token);
        var second = resolver.QueryAsync("a.test", DnsRecordType.TXT);
        await Task.Delay(50);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(DnsResponseStatus.NxDomain, (await second).Status);
    }
}
