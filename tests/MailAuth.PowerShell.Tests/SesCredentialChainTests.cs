using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// AWSSDK.Core's default credential chain and region resolution as the SES cmdlets use them, each in its own
/// mailauth-host process (the chain reads the process environment, which tests running side by side must not change):
/// the container credentials endpoint, the EC2 instance metadata service (IMDSv2), and no region anywhere.
/// Requests are still signed and checked by the SigV4-verifying SES endpoint.
/// </summary>
public sealed class SesCredentialChainTests : IClassFixture<SesTestServerFixture>, IDisposable
{
    private readonly SesTestServer _ses;
    private readonly AwsCredentialEndpoint _credentials = new AwsCredentialEndpoint();
    private readonly string _dir = Directory.CreateTempSubdirectory("mailauth-chain-").FullName;

    public SesCredentialChainTests(SesTestServerFixture ses) => _ses = ses.Server;

    public void Dispose()
    {
        _credentials.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>An environment with no static keys, no profiles and no container or instance source unless added.</summary>
    private Dictionary<string, string> EmptyAwsEnvironment()
    {
        var empty = Path.Combine(_dir, "empty");
        File.WriteAllText(empty, string.Empty);
        return new Dictionary<string, string>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = empty,
            ["AWS_CONFIG_FILE"] = empty,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = null,
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_REGION"] = null,
            ["AWS_DEFAULT_REGION"] = null,
        };
    }

    private HostResult GetIdentity(string identity, Dictionary<string, string> environment, string extra = "-Region us-east-1") =>
        HostProcess.Command(
            $"Import-Module ./MailAuth.psd1; $r = Get-SesEmailIdentity {identity} {extra} -EndpointUrl {_ses.EndpointUrl} -Verbose -ErrorVariable e -ErrorAction SilentlyContinue 4>&1; " +
            "$r | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + $_.Message } else { 'IDENTITY: ' + $_.Identity + ' ' + $_.VerifiedForSendingStatus } }; " +
            "$e | ForEach-Object { 'ERROR: ' + $_.FullyQualifiedErrorId + ' ' + $_.Exception.Message }",
            environment);

    private void AssertSignedWithRoleCredentials(string identity, HostResult r)
    {
        Assert.Contains("IDENTITY: " + identity + " True", r.Lines);
        var request = _ses.Requests.Last(q => q.Path == "/v2/email/identities/" + identity);
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Equal(SesTestServer.RoleAccessKey, request.AccessKey);
        foreach (var secret in new[] { SesTestServer.RoleSecretKey, SesTestServer.RoleSessionToken, AwsCredentialEndpoint.ContainerAuthorization, "DoNotLeak" })
            Assert.DoesNotContain(secret, r.Output + r.Error);
    }

    [Fact]
    public void Container_credentials_endpoint_is_used_by_the_default_chain()
    {
        var env = EmptyAwsEnvironment();
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = _credentials.BaseUrl + AwsCredentialEndpoint.ContainerPath;
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = AwsCredentialEndpoint.ContainerAuthorization;
        var r = GetIdentity("ses-ok.test", env);
        Assert.True(r.Lines.Any(l => l.StartsWith("IDENTITY: ")), r.ToString());
        AssertSignedWithRoleCredentials("ses-ok.test", r);
        Assert.Contains("GET " + AwsCredentialEndpoint.ContainerPath + " 200", _credentials.Requests);
    }

    [Fact]
    public void Instance_metadata_credentials_are_used_by_the_default_chain_with_an_imdsv2_token()
    {
        var env = EmptyAwsEnvironment();
        env["AWS_EC2_METADATA_DISABLED"] = "false";
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _credentials.BaseUrl;
        var r = GetIdentity("pending.ses-ok.test", env);
        Assert.True(r.Lines.Any(l => l.StartsWith("IDENTITY: ")), r.ToString() + string.Join("\n", _credentials.Requests));
        Assert.Contains("IDENTITY: pending.ses-ok.test False", r.Lines);
        var request = _ses.Requests.Last(q => q.Path == "/v2/email/identities/pending.ses-ok.test");
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Equal(SesTestServer.RoleAccessKey, request.AccessKey);
        Assert.Contains("PUT /latest/api/token 200", _credentials.Requests);
        Assert.Contains("GET /latest/meta-data/iam/security-credentials/" + AwsCredentialEndpoint.RoleName + " 200", _credentials.Requests);
        Assert.DoesNotContain(_credentials.Requests, q => q.EndsWith(" 401"));
    }

    [Fact]
    public void No_credentials_anywhere_is_a_credentials_error_not_a_hang()
    {
        var r = GetIdentity("ses-ok.test", EmptyAwsEnvironment());
        Assert.Contains(r.Lines, l => l.StartsWith("ERROR: " + MailAuth.Ses.SesApiException.CredentialsNotFoundErrorId + ","));
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("IDENTITY: "));
    }

    [Fact]
    public void No_region_anywhere_is_a_clear_error_before_any_request()
    {
        var before = _ses.Requests.Count;
        var env = EmptyAwsEnvironment();
        env["AWS_SHARED_CREDENTIALS_FILE"] = SesTestServer.WriteCredentialsFile(_dir);
        var r = GetIdentity("ses-ok.test", env, extra: "-ProfileName ses-test");
        Assert.Contains(r.Lines, l => l.StartsWith("ERROR: " + MailAuth.Ses.SesApiException.RegionNotSetErrorId + ",") && l.Contains("-Region"));
        Assert.Equal(before, _ses.Requests.Count);
    }
}
