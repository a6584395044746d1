using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.ReportIntake;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.ReportIntake;

/// <summary>S3ReportBucket against the SigV4-verifying S3 stand-in, with the SES stand-in's credentials file.</summary>
[Collection(SesTestServerCollection.Name)]
public sealed class S3ReportBucketTests : IDisposable
{
    private const string Bucket = "dmarc-inbound";
    private readonly S3TestServer _s3 = new S3TestServer(pageSize: 2);

    public S3ReportBucketTests(SesTestServerFixture fixture)
    {
        _ = fixture;
        foreach (var (key, file) in new[] { ("reports/a1", "google-report.eml"), ("reports/a2", "yahoo-report.eml"), ("reports/a3", "rfc9990-report.eml"),
                     ("reports/a4", "no-attachment.eml"), ("reports/AMAZON_SES_SETUP_NOTIFICATION", "no-attachment.eml"), ("other/x", "google-report.eml") })
            _s3.Put(Bucket, key, File.ReadAllBytes(RepositoryPaths.DataFile("reports", file)));
    }

    public void Dispose() => _s3.Dispose();

    private S3ReportBucket Open(string profile = "ses-test", string bucket = Bucket, List<string> log = null) => new S3ReportBucket(new S3ReportBucketOptions
    {
        Bucket = bucket,
        Prefix = "reports/",
        Region = SesTestServer.Region,
        ProfileName = profile,
        EndpointUrl = new Uri(_s3.EndpointUrl),
        Log = log == null ? null : (Action<string>)log.Add,
    });

    [Fact]
    public async Task Lists_every_object_under_the_prefix_across_pages_with_signed_requests()
    {
        var log = new List<string>();
        using var bucket = Open(log: log);
        var items = await bucket.ListAsync(CancellationToken.None);

        Assert.Equal(new[] { "reports/AMAZON_SES_SETUP_NOTIFICATION", "reports/a1", "reports/a2", "reports/a3", "reports/a4" }, items.Select(i => i.Id));
        Assert.Equal("s3://dmarc-inbound/reports/a1", items[1].Name);
        Assert.Contains(log, l => l.Contains("in 3 page(s)"));
        var lists = _s3.Requests.Where(r => r.Method == "GET" && r.Path.TrimEnd('/') == "/" + Bucket).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(_s3.Requests, r => Assert.True(r.SignatureValid, r.SignatureProblem));
        Assert.All(_s3.Requests, r => Assert.Equal(SesTestServer.Region, r.SigningRegion));
    }

    [Fact]
    public async Task Reads_an_object_whole_and_deletes_only_when_asked()
    {
        using var bucket = Open();
        var items = await bucket.ListAsync(CancellationToken.None);
        var a1 = items.Single(i => i.Id == "reports/a1");

        var bytes = await bucket.ReadAsync(a1, 1024 * 1024, CancellationToken.None);
        Assert.Equal(File.ReadAllBytes(RepositoryPaths.DataFile("reports", "google-report.eml")), bytes);
        Assert.Contains("reports/a1", _s3.Keys(Bucket));

        await bucket.DeleteAsync(a1, CancellationToken.None);
        Assert.DoesNotContain("reports/a1", _s3.Keys(Bucket));
        Assert.All(_s3.Requests, r => Assert.True(r.SignatureValid, r.SignatureProblem));
    }

    [Fact]
    public async Task An_object_larger_than_a_message_may_be_is_refused_before_it_is_read()
    {
        using var bucket = Open();
        var a1 = (await bucket.ListAsync(CancellationToken.None)).Single(i => i.Id == "reports/a1");

        var ex = await Assert.ThrowsAsync<ReportSourceException>(() => bucket.ReadAsync(a1, 100, CancellationToken.None));
        Assert.Equal(ReportSourceException.ItemTooLargeErrorId, ex.ErrorId);
        Assert.DoesNotContain(_s3.Requests, r => r.Path == "/" + Bucket + "/reports/a1");
    }

    [Fact]
    public async Task An_object_that_cannot_be_fetched_is_an_error_of_that_item_alone()
    {
        _s3.Put(Bucket, "reports/unreadable-1", new byte[] { 1 });
        using var bucket = Open();
        var items = await bucket.ListAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ReportSourceException>(() => bucket.ReadAsync(items.Single(i => i.Id == "reports/unreadable-1"), 1024, CancellationToken.None));
        Assert.Equal(ReportSourceException.ItemFailedErrorId, ex.ErrorId);
        Assert.Equal("s3://dmarc-inbound/reports/unreadable-1", ex.Target);
        Assert.NotEmpty(await bucket.ReadAsync(items.Single(i => i.Id == "reports/a1"), 1024 * 1024, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_read_stops_waiting_for_the_server()
    {
        _s3.Put(Bucket, "reports/slow-1", new byte[] { 1 });
        using var bucket = Open();
        var item = (await bucket.ListAsync(CancellationToken.None)).Single(i => i.Id == "reports/slow-1");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        int answered = _s3.SlowAnswersSent;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bucket.ReadAsync(item, 1024, cancel.Token));
        // The read gave up when it was cancelled, not when the server finally answered (20 s after the question).
        Assert.Equal(answered, _s3.SlowAnswersSent);
    }

    [Theory]
    [InlineData("ses-test", "no-such-bucket", ReportSourceException.NotFoundErrorId)]
    [InlineData("ses-test", "denied-bucket", ReportSourceException.AccessDeniedErrorId)]
    [InlineData("ses-wrong-secret", Bucket, ReportSourceException.AuthenticationFailedErrorId)]
    [InlineData("no-such-profile", Bucket, "SesCredentialsNotFound")]
    public async Task A_bucket_that_cannot_be_listed_is_an_error_with_a_stable_id(string profile, string bucketName, string errorId)
    {
        using var bucket = Open(profile, bucketName);
        var ex = await Assert.ThrowsAsync<ReportSourceException>(() => bucket.ListAsync(CancellationToken.None));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.DoesNotContain(SesTestServer.SecretKey, ex.ToString());
    }

    [Fact]
    public void A_plain_http_endpoint_off_loopback_is_refused()
    {
        var ex = Assert.Throws<ReportSourceException>(() => new S3ReportBucket(new S3ReportBucketOptions
        {
            Bucket = Bucket, Region = SesTestServer.Region, EndpointUrl = new Uri("http://s3.example.com"),
        }));
        Assert.Equal(ReportSourceException.InsecureEndpointErrorId, ex.ErrorId);
    }

    [Fact]
    public async Task The_intake_over_the_bucket_takes_each_report_once_and_skips_the_rest()
    {
        using var bucket = Open();
        var intake = new DmarcReportIntake(null);
        var results = new List<DmarcReportIntakeResult>();
        foreach (var item in await bucket.ListAsync(CancellationToken.None))
            results.Add(intake.Accept(await bucket.ReadAsync(item, intake.Options.MaxMessageBytes, CancellationToken.None), item.Name));

        Assert.Equal(3, results.Sum(r => r.Reports.Count));
        Assert.Equal(2, results.Count(r => !r.IsReport));
    }
}
