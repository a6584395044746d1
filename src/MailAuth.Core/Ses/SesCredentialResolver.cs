using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace MailAuth.Ses;

/// <summary>
/// Finds AWS credentials through AWSSDK.Core: a named profile of the shared config/credentials files
/// (static keys, assume-role, SSO, credential_process), or the default chain (environment, AWS_PROFILE,
/// default profile, SSO, container and instance metadata). Only where they came from is ever reported.
/// AWSSDK.Core calls STS (assume-role and web identity) and IAM Identity Center (SSO, SSO OIDC) through
/// AWSSDK.SecurityToken, AWSSDK.SSO and AWSSDK.SSOOIDC, which it loads by name; the module ships them,
/// assume-role profiles call STS through <see cref="SesAssumeRoleCredentials"/>, and the SSO clients are MailAuth's own
/// through <see cref="SesIdentityCenterClients"/>.
/// </summary>
internal static class SesCredentialResolver
{
    internal static async Task<(ImmutableCredentials Credentials, string Source)> ResolveAsync(string profileName, CancellationToken cancellationToken)
    {
        SesIdentityCenterClients.EnsureRegistered();
        AWSCredentials credentials;
        string source;
        if (!string.IsNullOrEmpty(profileName))
        {
            // AWSSDK.Core reads AWS_SHARED_CREDENTIALS_FILE once per process; read it at each call, so a session that
            // points it at another file (a CI step, a second account) gets that file.
            var chain = new CredentialProfileStoreChain(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"));
            bool found;
            try
            {
                found = chain.TryGetAWSCredentials(profileName, out credentials);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // A profile the SDK cannot turn into credentials (e.g. an sso_session that is not in the config file).
                throw new SesApiException(SesApiException.CredentialsNotFoundErrorId,
                    $"The AWS profile '{profileName}' cannot be used: {ex.GetType().Name}. Check it in the shared config and credentials files.",
                    null, 0, Sanitized(ex));
            }
            if (!found)
                throw new SesApiException(SesApiException.CredentialsNotFoundErrorId,
                    $"There is no usable AWS profile named '{profileName}' in the shared credentials or config file. Create it with 'aws configure --profile {profileName}' or pick another -ProfileName.");
            source = $"profile '{profileName}'";
        }
        else
        {
            try
            {
                credentials = await new DefaultAWSCredentialsIdentityResolver().ResolveIdentityAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                throw new SesApiException(SesApiException.CredentialsNotFoundErrorId,
                    "No AWS credentials were found (environment, shared credentials/config files, SSO, container or instance metadata). Run 'aws configure' or 'aws sso login', or pass -ProfileName.",
                    null, 0, Sanitized(ex));
            }
            source = "the default AWS credential chain";
        }

        try
        {
            var immutable = credentials is AssumeRoleAWSCredentials assumeRole
                ? await SesAssumeRoleCredentials.GetCredentialsAsync(assumeRole).ConfigureAwait(false)
                : await credentials.GetCredentialsAsync().ConfigureAwait(false);
            if (immutable == null || string.IsNullOrEmpty(immutable.AccessKey))
                throw new SesApiException(SesApiException.CredentialsNotFoundErrorId, $"The credentials from {source} are empty.");
            return (immutable, source);
        }
        catch (SesApiException) { throw; }
        catch (Exception ex) when (!(ex is OperationCanceledException))
        {
            throw new SesApiException(SesApiException.CredentialsRejectedErrorId, NotObtained(credentials, source, profileName, ex), null, 0, Sanitized(ex));
        }
    }

    /// <summary>
    /// Why credentials that were configured could not be had. For an IAM Identity Center (SSO) profile the usual cause is
    /// a sign-in that has expired (or was never made) and cannot be refreshed: only 'aws sso login' gives a new token.
    /// </summary>
    private static string NotObtained(AWSCredentials credentials, string source, string profileName, Exception ex)
    {
        if (credentials is SSOAWSCredentials)
        {
            var profile = !string.IsNullOrEmpty(profileName) ? profileName : Environment.GetEnvironmentVariable("AWS_PROFILE");
            var login = string.IsNullOrEmpty(profile) ? "aws sso login" : $"aws sso login --profile {profile}";
            return $"The IAM Identity Center (SSO) sign-in for {source} has expired or was never made ({ex.GetType().Name}). Run '{login}', then try again.";
        }
        return $"The credentials from {source} could not be obtained or have expired (for SSO: run 'aws sso login'); {ex.GetType().Name}.";
    }

    // Inner SDK exceptions can quote profile contents; keep only the type name.
    private static Exception Sanitized(Exception ex) => new InvalidOperationException(ex.GetType().FullName);
}
