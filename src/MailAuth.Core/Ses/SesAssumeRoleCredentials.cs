using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.SecurityToken;

namespace MailAuth.Ses;

/// <summary>
/// Calls STS AssumeRole for an assume-role profile (role_arn with source_profile or credential_source) through
/// MailAuth's own AWSSDK.SecurityToken, as <see cref="AssumeRoleAWSCredentials"/> would, with the same region
/// (the configured one, else us-east-1), role session name and options.
/// <para>
/// AWSSDK.Core itself loads AWSSDK.SecurityToken by name, taking the first assembly of that name anywhere in the
/// process: when another module (AWS.Tools.Common ships one) loaded its copy first, that copy is bound to the other
/// module's AWSSDK.Core, its client cannot be built from MailAuth's credentials, and assume-role profiles fail
/// although MailAuth ships its own. Referencing the client type here binds it in MailAuth's load context.
/// </para>
/// </summary>
internal static class SesAssumeRoleCredentials
{
    internal static async Task<ImmutableCredentials> GetCredentialsAsync(AssumeRoleAWSCredentials profile)
    {
        // A chained role (the source profile assumes a role too) is assumed first, the same way.
        var source = profile.SourceCredentials is AssumeRoleAWSCredentials chained
            ? Temporary(await GetCredentialsAsync(chained).ConfigureAwait(false))
            : profile.SourceCredentials;
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.USEast1 };
        if (profile.Options?.ProxySettings != null) config.SetWebProxy(profile.Options.ProxySettings);
        using var sts = new AmazonSecurityTokenServiceClient(source, config);
        return await ((ICoreAmazonSTS)sts).CredentialsFromAssumeRoleAuthenticationAsync(profile.RoleArn, profile.RoleSessionName, profile.Options)
            .ConfigureAwait(false);
    }

    private static AWSCredentials Temporary(ImmutableCredentials credentials) =>
        new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token);
}
