using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Route53;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Route53;

/// <summary>
/// The Route 53 client against the SigV4-verifying stand-in (<see cref="Route53TestServer"/>); the SES fixture provides
/// the shared credentials file and its profiles. The last tests tie the stand-in to a real Knot.
/// </summary>
[Collection(SesTestServerCollection.Name)]
public sealed class Route53ClientTests : IDisposable
{
    private readonly Route53TestServer _server = new Route53TestServer();

    public Route53ClientTests(SesTestServerFixture fixture) => _ = fixture;

    public void Dispose() => _server.Dispose();

    private Route53Client Client(string profile = "ses-test", int retries = 4) => new Route53Client(new Route53ClientOptions
    {
        ProfileName = profile,
        EndpointUrl = new Uri(_server.EndpointUrl),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetries = retries,
    });

    private static Route53RecordSetChange Create(string name, string type, params string[] values) =>
        new Route53RecordSetChange(Route53ChangeAction.Create, new Route53RecordSet(name, type, 300, values));

    private static Route53RecordSetChange Delete(string name, string type, params string[] values) =>
        new Route53RecordSetChange(Route53ChangeAction.Delete, new Route53RecordSet(name, type, 300, values));

    [Fact]
    public async Task Finds_the_longest_public_zone_that_holds_the_name()
    {
        var outer = _server.AddZone("r53.test");
        var inner = _server.AddZone("deep.r53.test");
        var privateZone = _server.AddZone("private.r53.test", privateZone: true);
        using var client = Client();

        Assert.Equal(inner, (await client.FindHostedZoneAsync("a.b.deep.r53.test", false)).Id);
        Assert.Equal(outer, (await client.FindHostedZoneAsync("_dmarc.r53.test.", false)).Id);
        Assert.Equal(outer, (await client.FindHostedZoneAsync("x.private.r53.test", false)).Id);
        var found = await client.FindHostedZoneAsync("x.private.r53.test", true);
        Assert.Equal(privateZone, found.Id);
        Assert.True(found.PrivateZone);
        var none = await Assert.ThrowsAsync<Route53ApiException>(() => client.FindHostedZoneAsync("example.org", false));
        Assert.Equal("Route53HostedZoneNotFound", none.ErrorId);
        Assert.All(_server.Requests, r => Assert.True(r.SignatureValid, r.SignatureProblem));
        Assert.Contains(_server.Requests, r => r.Path.StartsWith("/2013-04-01/hostedzonesbyname?dnsname=deep.r53.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_public_zones_of_one_name_need_an_id()
    {
        _server.AddZone("twice.test");
        _server.AddZone("twice.test");
        using var client = Client();
        var ex = await Assert.ThrowsAsync<Route53ApiException>(() => client.FindHostedZoneAsync("_dmarc.twice.test", false));
        Assert.Equal(Route53ApiException.HostedZoneAmbiguousErrorId, ex.ErrorId);
        Assert.Contains("-HostedZoneId", ex.Message);
    }

    [Fact]
    public async Task A_batch_is_sent_as_route53_xml_read_back_as_sets_and_goes_pending_then_insync()
    {
        var zone = _server.AddZone("r53.test");
        var key = "v=DKIM1; k=rsa; p=" + new string('A', 392);
        using var client = Client();
        var info = await client.ChangeResourceRecordSetsAsync("/hostedzone/" + zone, new[]
        {
            Create("s1._domainkey.r53.test", "TXT", TxtCharacterStrings.Quote(key)),
            Create("mail.r53.test", "MX", "10 feedback-smtp.us-east-1.amazonses.com"),
        }, "MailAuth test");

        Assert.Equal(Route53ChangeStatus.Pending, info.Status);
        Assert.Equal("MailAuth test", info.Comment);
        Assert.False(info.Id.StartsWith("/", StringComparison.Ordinal));
        Assert.Equal(Route53ChangeStatus.Pending, (await client.GetChangeAsync(info.Id)).Status);
        Assert.Equal(Route53ChangeStatus.InSync, (await client.GetChangeAsync("/change/" + info.Id)).Status);

        var set = Assert.Single(await client.ListResourceRecordSetsAsync(zone, "S1._domainkey.r53.test", "TXT"));
        Assert.Equal(key, TxtCharacterStrings.Unquote(set.Values.Single()));
        Assert.Equal(2, set.Values.Single().Count(c => c == '"') / 2);
        Assert.Empty(await client.ListResourceRecordSetsAsync(zone, "nothing.r53.test", "TXT"));

        var post = _server.Requests.Single(r => r.Method == "POST");
        Assert.True(post.SignatureValid, post.SignatureProblem);
        Assert.Equal("us-east-1", post.SigningRegion);
        Assert.Contains("<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">", post.Body);
    }

    [Fact]
    public async Task A_refused_batch_names_every_refused_record_in_route53s_words_and_applies_nothing()
    {
        var zone = _server.AddZone("r53.test");
        using var client = Client();
        await client.ChangeResourceRecordSetsAsync(zone, new[] { Create("r53.test", "TXT", "\"v=spf1 mx -all\"", "\"other\"") }, null);

        var ex = await Assert.ThrowsAsync<Route53ApiException>(() => client.ChangeResourceRecordSetsAsync(zone, new[]
        {
            Create("_dmarc.r53.test", "TXT", "\"v=DMARC1; p=none\""),
            Delete("mail.r53.test", "TXT", "\"v=spf1 include:amazonses.com ~all\""),
            Delete("r53.test", "TXT", "\"v=spf1 mx -all\""),
        }, null));

        Assert.Equal(Route53ApiException.ChangeRefusedErrorId, ex.ErrorId);
        Assert.Equal("InvalidChangeBatch", ex.AwsErrorCode);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(new[]
        {
            "Tried to delete resource record set [name='mail.r53.test.', type='TXT'] but it was not found",
            "Tried to delete resource record set [name='r53.test.', type='TXT'] but the values provided do not match the current values",
        }, ex.Messages);
        Assert.Equal(new[] { "mail.r53.test TXT", "r53.test TXT" }, ex.RefusedRecords);
        Assert.Contains("nothing in it was applied", ex.Message);
        Assert.Contains("but it was not found", ex.Message);
        Assert.Null(_server.Values(zone, "_dmarc.r53.test", "TXT"));
    }

    [Fact]
    public async Task Other_types_beside_a_cname_are_refused()
    {
        var zone = _server.AddZone("r53.test");
        using var client = Client();
        await client.ChangeResourceRecordSetsAsync(zone, new[] { Create("mail.r53.test", "CNAME", "elsewhere.example.") }, null);
        var ex = await Assert.ThrowsAsync<Route53ApiException>(() => client.ChangeResourceRecordSetsAsync(zone, new[] { Create("mail.r53.test", "TXT", "\"x\"") }, null));
        Assert.Contains("conflicting RRSet of type CNAME", Assert.Single(ex.Messages));
        Assert.Equal("mail.r53.test TXT", Assert.Single(ex.RefusedRecords));
    }

    [Fact]
    public async Task Throttling_is_retried_and_then_reported()
    {
        _server.AddZone("r53.test");
        using var client = Client(retries: 2);
        _server.ThrottleNext = 2;
        Assert.Single(await client.ListHostedZonesByNameAsync("r53.test"));

        _server.ThrottleNext = 10;
        var ex = await Assert.ThrowsAsync<Route53ApiException>(() => client.ListHostedZonesByNameAsync("r53.test"));
        Assert.Equal("Route53Throttled", ex.ErrorId);
        Assert.Equal("Throttling", ex.AwsErrorCode);
        _server.ThrottleNext = 0;
    }

    [Fact]
    public async Task Unknown_zone_bad_input_expired_credentials_and_no_endpoint_have_their_own_ids()
    {
        using var client = Client();
        Assert.Equal("Route53HostedZoneNotFound", (await Assert.ThrowsAsync<Route53ApiException>(() => client.ListResourceRecordSetsAsync("ZNOTTHERE", "a.test", "TXT"))).ErrorId);
        Assert.Equal("Route53BadRequest", (await Assert.ThrowsAsync<Route53ApiException>(() => client.GetChangeAsync("CNOTTHERE"))).ErrorId);

        Assert.Equal("Route53AccessDenied", (await Assert.ThrowsAsync<Route53ApiException>(() => client.FindHostedZoneAsync("accessdenied.test", false))).ErrorId);

        using var expired = Client("ses-expired");
        var rejected = await Assert.ThrowsAsync<Route53ApiException>(() => expired.ListHostedZonesByNameAsync("r53.test"));
        Assert.Equal("Route53CredentialsRejected", rejected.ErrorId);
        Assert.DoesNotContain(SesTestServer.ExpiredSessionToken, rejected.Message);

        using var nowhere = new Route53Client(new Route53ClientOptions { ProfileName = "ses-test", EndpointUrl = new Uri($"http://127.0.0.1:{LoopbackPort.FreeTcpPort()}"), MaxRetries = 0 });
        Assert.Equal("Route53EndpointError", (await Assert.ThrowsAsync<Route53ApiException>(() => nowhere.ListHostedZonesByNameAsync("r53.test"))).ErrorId);

        var insecure = Assert.Throws<MailAuthInputException>(() => new Route53Client(new Route53ClientOptions { EndpointUrl = new Uri("http://route53.example.net/") }));
        Assert.Equal(Route53Client.InsecureEndpointErrorId, insecure.ErrorId);
    }

    [Fact]
    public void Error_documents_are_read_in_both_of_route53s_shapes()
    {
        var ns = Route53TestServer.Namespace;
        var single = Route53Xml.Error($"<ErrorResponse xmlns=\"{ns}\"><Error><Type>Sender</Type><Code>InvalidChangeBatch</Code><Message>[Tried to create resource record set [name='a.test.', type='A'] but it already exists]</Message></Error></ErrorResponse>");
        Assert.Equal("InvalidChangeBatch", single.Value.Code);
        var ex = new Route53ApiException(Route53ApiException.ChangeRefusedErrorId, "refused", single.Value.Code, 400, single.Value.Messages);
        Assert.Equal("a.test A", Assert.Single(ex.RefusedRecords));

        var many = Route53Xml.Error($"<InvalidChangeBatch xmlns=\"{ns}\"><Messages><Message>one</Message><Message>two</Message></Messages></InvalidChangeBatch>");
        Assert.Equal(new[] { "one", "two" }, many.Value.Messages);
        Assert.Null(Route53Xml.Error("<html>proxy</html>"));
        Assert.Null(Route53Xml.Error("not xml"));
    }

    [Fact]
    public async Task An_accepted_batch_is_served_by_knot_and_a_refused_one_changes_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("mailauth-r53-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "r53.test.zone"),
                "$ORIGIN r53.test.\n$TTL 300\n@ IN SOA ns.r53.test. hostmaster.r53.test. ( 1 3600 600\n  86400 300 )\n@ IN NS ns\nns IN A 127.0.0.1\n" +
                "@ IN TXT \"v=spf1 mx -all\" ; the old SPF\n  IN TXT \"google-site-verification=abc\"\n");
            using var knot = new KnotDnsServer(directory);
            var zone = _server.AddZone("r53.test", Path.Combine(directory, "r53.test.zone"), knot.ConfigPath);
            using var client = Client();
            var resolver = knot.CreateResolver();

            var current = await client.ListResourceRecordSetsAsync(zone, "r53.test", "TXT");
            var plan = Route53ChangePlanner.Plan(new[]
            {
                new DnsChange(DnsChangeAction.Replace, "r53.test", "TXT", "v=spf1 mx -all", "v=spf1 include:amazonses.com -all", 300),
                DnsChange.Add(new DnsRecord("_dmarc.r53.test", "TXT", "v=DMARC1; p=none", 300), null, null),
            }, (name, type) => name == "r53.test." ? current : Array.Empty<Route53RecordSet>());
            await client.ChangeResourceRecordSetsAsync(zone, plan.RecordSetChanges, null);

            var spf = await resolver.QueryAsync("r53.test", DnsRecordType.TXT);
            Assert.Equal(new[] { "google-site-verification=abc", "v=spf1 include:amazonses.com -all" }, spf.TxtStrings().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal("v=DMARC1; p=none", (await resolver.QueryAsync("_dmarc.r53.test", DnsRecordType.TXT)).TxtStrings().Single());

            await Assert.ThrowsAsync<Route53ApiException>(() => client.ChangeResourceRecordSetsAsync(zone, new[]
            {
                Create("new.r53.test", "TXT", "\"would be added\""),
                Delete("_dmarc.r53.test", "TXT", "\"v=DMARC1; p=reject\""),
            }, null));
            Assert.Equal(DnsResponseStatus.NxDomain, (await knot.CreateResolver().QueryAsync("new.r53.test", DnsRecordType.TXT)).Status);
            Assert.Equal("v=DMARC1; p=none", (await knot.CreateResolver().QueryAsync("_dmarc.r53.test", DnsRecordType.TXT)).TxtStrings().Single());
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
