using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// AWSSDK.Core's credential chain and region resolution as the SES cmdlets use them, each in its own
/// pwsh process (the chain reads the process environment, which tests running side by side must not change):
/// the container credentials endpoint, the EC2 instance metadata service (IMDSv2), an assume-role profile (STS, which
/// AWSSDK.Core reaches through AWSSDK.SecurityToken), an IAM Identity Center (SSO) profile with a cached token (AWSSDK.SSO)
/// and with an expired one (AWSSDK.SSOOIDC), and no region anywhere. STS and the SSO portal are the loopback stand-ins of
/// <see cref="AwsCredentialEndpoint"/>, reached through the service-specific endpoint variables AWS_ENDPOINT_URL_STS,
/// AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC. Requests are still signed and checked by the SigV4-verifying SES endpoint.
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
            ["AWS_ENDPOINT_URL"] = null,
            ["AWS_ENDPOINT_URL_STS"] = null,
            ["AWS_ENDPOINT_URL_SSO"] = null,
            ["AWS_ENDPOINT_URL_SSO_OIDC"] = null,
            ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = null,
        };
    }

    private const string SsoSession = "mailauth-sso";
    private const string SsoStartUrl = "https://mailauth-test.awsapps.com/start";
    private const string SsoRefreshToken = "mailauth-sso-refresh-token-DoNotLeak";
    private const string SsoClientSecret = "mailauth-sso-client-secret-DoNotLeak";

    /// <summary>
    /// The static keys of ses-test in the credentials file; in the config file an assume-role profile on top of them and an
    /// SSO profile with its sso-session; STS, the SSO portal and SSO OIDC pointed at the loopback credential endpoint; HOME
    /// a temporary folder, where the SDK looks for the SSO token cache (~/.aws/sso/cache).
    /// </summary>
    private Dictionary<string, string> ProfileEnvironment()
    {
        var env = EmptyAwsEnvironment();
        env["AWS_SHARED_CREDENTIALS_FILE"] = SesTestServer.WriteCredentialsFile(_dir);
        var config = Path.Combine(_dir, "config");
        File.WriteAllText(config,
            "[profile ses-assume-role]\nrole_arn = " + AwsCredentialEndpoint.AssumeRoleArn + "\nsource_profile = ses-test\n\n" +
            "[profile ses-sso-no-session]\nsso_session = not-in-the-config\nsso_account_id = " + AwsCredentialEndpoint.SsoAccountId +
            "\nsso_role_name = " + AwsCredentialEndpoint.SsoRoleName + "\n\n" +
            "[profile ses-sso]\nsso_session = " + SsoSession + "\nsso_account_id = " + AwsCredentialEndpoint.SsoAccountId +
            "\nsso_role_name = " + AwsCredentialEndpoint.SsoRoleName + "\n\n" +
            "[sso-session " + SsoSession + "]\nsso_start_url = " + SsoStartUrl + "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n");
        env["AWS_CONFIG_FILE"] = config;
        env["AWS_ENDPOINT_URL_STS"] = _credentials.BaseUrl;
        env["AWS_ENDPOINT_URL_SSO"] = _credentials.BaseUrl;
        env["AWS_ENDPOINT_URL_SSO_OIDC"] = _credentials.BaseUrl;
        env["HOME"] = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        return env;
    }

    /// <summary>
    /// Writes the token 'aws sso login' leaves for the sso-session: ~/.aws/sso/cache/&lt;SHA-1 of the session name&gt;.json,
    /// with the refresh token and client registration the CLI keeps beside the access token.
    /// </summary>
    private static void WriteSsoTokenCache(string home, DateTime expiresAt)
    {
        var cache = Directory.CreateDirectory(Path.Combine(home, ".aws", "sso", "cache")).FullName;
        var name = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(SsoSession))).ToLowerInvariant();
        File.WriteAllText(Path.Combine(cache, name + ".json"),
            "{\"startUrl\": \"" + SsoStartUrl + "\", \"region\": \"us-east-1\", \"accessToken\": \"" + AwsCredentialEndpoint.SsoAccessToken +
            "\", \"expiresAt\": \"" + expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) +
            "\", \"clientId\": \"mailauth-sso-client\", \"clientSecret\": \"" + SsoClientSecret +
            "\", \"registrationExpiresAt\": \"" + DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) +
            "\", \"refreshToken\": \"" + SsoRefreshToken + "\"}");
    }

    private static void AssertNoSecretIn(PwshResult r)
    {
        foreach (var secret in new[] { SesTestServer.SecretKey, SesTestServer.AssumedRoleSecretKey, SesTestServer.AssumedRoleSessionToken,
                     SesTestServer.SsoSecretKey, SesTestServer.SsoSessionToken, AwsCredentialEndpoint.SsoAccessToken, SsoRefreshToken, SsoClientSecret, "DoNotLeak" })
            Assert.DoesNotContain(secret, r.Output + r.Error);
    }

    private PwshResult GetIdentity(string identity, Dictionary<string, string> environment, string extra = "-Region us-east-1", string before = "") =>
        PwshProcess.Command(
            before + $"Import-Module ./MailAuth.psd1; $r = Get-SesEmailIdentity {identity} {extra} -EndpointUrl {_ses.EndpointUrl} -Verbose -ErrorVariable e -ErrorAction SilentlyContinue 4>&1; " +
            "$r | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + $_.Message } else { 'IDENTITY: ' + $_.Identity + ' ' + $_.VerifiedForSendingStatus } }; " +
            "$e | ForEach-Object { 'ERROR: ' + $_.FullyQualifiedErrorId + ' ' + $_.Exception.Message }",
            environment);

    private void AssertSignedWithRoleCredentials(string identity, PwshResult r)
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

    [Fact]
    public void Assume_role_profile_gets_role_credentials_from_sts_with_the_source_profile_keys()
    {
        var r = GetIdentity("ses-ok.test", ProfileEnvironment(), extra: "-Region us-east-1 -ProfileName ses-assume-role");
        var trace = r + string.Join("\n", _credentials.Requests.Concat(_credentials.Refusals));
        Assert.True(r.Lines.Any(l => l.StartsWith("IDENTITY: ")), trace);
        Assert.Contains("IDENTITY: ses-ok.test True", r.Lines);
        Assert.Contains("POST / AssumeRole 200", _credentials.Requests);
        var call = Assert.Single(_credentials.StsCalls);
        Assert.Equal(AwsCredentialEndpoint.AssumeRoleArn, call["RoleArn"]);
        Assert.False(string.IsNullOrEmpty(call["RoleSessionName"]), "AssumeRole without a RoleSessionName");
        var request = _ses.Requests.Last(q => q.Path == "/v2/email/identities/ses-ok.test" && q.AccessKey == SesTestServer.AssumedRoleAccessKey);
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Empty(_credentials.Refusals);
        AssertNoSecretIn(r);
    }

    [Fact]
    public void Sso_profile_with_a_cached_token_gets_role_credentials_from_the_sso_portal() =>
        AssertSsoProfileGetsPortalCredentials("-Region us-east-1", "ses-sso", before: "");

    private void AssertSsoProfileGetsPortalCredentials(string parameters, string awsProfile, string before)
    {
        var env = ProfileEnvironment();
        WriteSsoTokenCache(env["HOME"], DateTime.UtcNow.AddHours(4));
        env["AWS_PROFILE"] = awsProfile;
        var r = GetIdentity("pending.ses-ok.test", env, extra: parameters, before: before);
        var trace = r + string.Join("\n", _credentials.Requests.Concat(_credentials.Refusals));
        Assert.True(r.Lines.Any(l => l.StartsWith("IDENTITY: ")), trace);
        Assert.Contains("IDENTITY: pending.ses-ok.test False", r.Lines);
        Assert.Contains("GET /federation/credentials 200", _credentials.Requests);
        var request = _ses.Requests.Last(q => q.Path == "/v2/email/identities/pending.ses-ok.test" && q.AccessKey == SesTestServer.SsoAccessKey);
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Empty(_credentials.Refusals);
        AssertNoSecretIn(r);
    }

    [Theory]
    [InlineData("-Region us-east-1 -ProfileName ses-sso", null)]
    [InlineData("-Region us-east-1", "ses-sso")]
    public void Expired_sso_token_asks_for_aws_sso_login_and_shows_no_token(string parameters, string awsProfile) =>
        AssertExpiredSsoTokenAsksForLogin(parameters, awsProfile, before: "");

    private void AssertExpiredSsoTokenAsksForLogin(string parameters, string awsProfile, string before)
    {
        var env = ProfileEnvironment();
        WriteSsoTokenCache(env["HOME"], DateTime.UtcNow.AddHours(-1));
        env["AWS_PROFILE"] = awsProfile;
        var sesRequestsBefore = _ses.Requests.Count;
        var r = GetIdentity("ses-ok.test", env, extra: parameters, before: before);
        var trace = r + string.Join("\n", _credentials.Requests.Concat(_credentials.Refusals));
        var error = Assert.Single(r.Lines, l => l.StartsWith("ERROR: "));
        Assert.True(error.StartsWith("ERROR: " + MailAuth.Ses.SesApiException.CredentialsRejectedErrorId + ",") ||
                    error.StartsWith("ERROR: " + MailAuth.Ses.SesApiException.CredentialsNotFoundErrorId + ","), trace);
        Assert.Contains("'aws sso login --profile ses-sso'", error);
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("IDENTITY: "));
        // The SDK tried to refresh the token through SSO OIDC (AWSSDK.SSOOIDC, loaded by name), was refused, and asked the portal nothing.
        Assert.Contains("POST /token 400", _credentials.Requests);
        Assert.DoesNotContain(_credentials.Requests, q => q.StartsWith("GET /federation/credentials", StringComparison.Ordinal));
        Assert.Equal(sesRequestsBefore, _ses.Requests.Count);
        AssertNoSecretIn(r);
    }

    [Fact]
    public void Sso_profile_naming_a_missing_sso_session_is_a_credentials_error()
    {
        var r = GetIdentity("ses-ok.test", ProfileEnvironment(), extra: "-Region us-east-1 -ProfileName ses-sso-no-session");
        var error = Assert.Single(r.Lines, l => l.StartsWith("ERROR: "));
        Assert.StartsWith("ERROR: " + MailAuth.Ses.SesApiException.CredentialsNotFoundErrorId + ",", error);
        Assert.Contains("ses-sso-no-session", error);
        Assert.Empty(_credentials.Requests);
        Assert.True(r.Error.Length == 0, r.ToString());
    }

    /// <summary>
    /// The script that loads another module's copies of AWSSDK assemblies before MailAuth is imported, as AWS.Tools.Common
    /// does (its own AWSSDK.Core with its SecurityToken, SSO and SSOOIDC). The other versions come from the NuGet cache
    /// (PackageDownload in the test project).
    /// </summary>
    private static string LoadOtherModuleAssemblies(params (string Package, string Version)[] assemblies)
    {
        var packages = PwshProcess.NuGetPackageRoot;
        var script = string.Empty;
        foreach (var (package, version) in assemblies)
        {
            var path = Path.Combine(packages, package.ToLowerInvariant(), version, "lib", "netstandard2.0", package + ".dll");
            Assert.True(File.Exists(path), path);
            script += $"$null = [System.Reflection.Assembly]::LoadFrom('{path}'); ";
        }
        return script;
    }

    /// <summary>
    /// AWSSDK.Core looks for AWSSDK.SecurityToken among all the assemblies of the process before it loads it by name:
    /// another module's copy (AWS.Tools.Common ships one, bound to its own AWSSDK.Core) loaded first must not be taken
    /// for MailAuth's.
    /// </summary>
    [Fact]
    public void Assume_role_profile_works_when_another_module_loaded_its_own_sts_assembly_first()
    {
        var r = GetIdentity("ses-ok.test", ProfileEnvironment(), extra: "-Region us-east-1 -ProfileName ses-assume-role",
            before: LoadOtherModuleAssemblies(("AWSSDK.Core", "4.0.3.3"), ("AWSSDK.SecurityToken", "4.0.5.1")));
        var trace = r + string.Join("\n", _credentials.Requests.Concat(_credentials.Refusals));
        Assert.True(r.Lines.Contains("IDENTITY: ses-ok.test True"), trace);
        Assert.Contains("POST / AssumeRole 200", _credentials.Requests);
        AssertNoSecretIn(r);
    }

    private static readonly (string, string)[] OtherModuleSsoAssemblies =
        { ("AWSSDK.Core", "4.0.3.3"), ("AWSSDK.SSO", "4.0.2.5"), ("AWSSDK.SSOOIDC", "4.0.3.6") };

    /// <summary>
    /// AWSSDK.Core finds AWSSDK.SSO and AWSSDK.SSOOIDC the same way: another module's copies loaded first must not be
    /// taken for MailAuth's when an SSO profile gets its role credentials from the portal.
    /// </summary>
    [Fact]
    public void Sso_profile_works_when_another_module_loaded_its_own_sso_assemblies_first() =>
        AssertSsoProfileGetsPortalCredentials("-Region us-east-1 -ProfileName ses-sso", null, before: LoadOtherModuleAssemblies(OtherModuleSsoAssemblies));

    /// <summary>
    /// With an expired token the refresh goes through SSO OIDC: MailAuth's AWSSDK.SSOOIDC, not another module's copy
    /// loaded first, makes the call, and the refusal still ends in the 'aws sso login' advice.
    /// </summary>
    [Fact]
    public void Expired_sso_token_is_refreshed_through_sso_oidc_when_another_module_loaded_its_own_sso_assemblies_first() =>
        AssertExpiredSsoTokenAsksForLogin("-Region us-east-1 -ProfileName ses-sso", null, before: LoadOtherModuleAssemblies(OtherModuleSsoAssemblies));
}
