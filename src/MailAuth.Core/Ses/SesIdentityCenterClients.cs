using System.Threading;
using Amazon;
using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace MailAuth.Ses;

/// <summary>
/// Gives AWSSDK.Core the IAM Identity Center clients it needs for SSO profiles (the portal's GetRoleCredentials through
/// AWSSDK.SSO, the token refresh through AWSSDK.SSOOIDC) from MailAuth's own assemblies, through
/// <see cref="GlobalRuntimeDependencyRegistry"/>, which AWSSDK.Core asks before it looks for the assemblies by name.
/// <para>
/// Looking them up by name takes the first assembly of that name anywhere in the process: when another module
/// (AWS.Tools.Common ships AWSSDK.SSO and AWSSDK.SSOOIDC) loaded its copies first, they are bound to that module's
/// AWSSDK.Core and cannot serve MailAuth's, and SSO profiles fail although MailAuth ships its own. Referencing the
/// client types here binds them in MailAuth's load context; on PowerShell 7 MailAuth's AWSSDK.Core, and so the registry,
/// is MailAuth's own. The clients are built as AWSSDK.Core builds them: anonymous credentials, the SSO region, the
/// profile's proxy.
/// </para>
/// </summary>
internal static class SesIdentityCenterClients
{
    private static int _registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        var registry = GlobalRuntimeDependencyRegistry.Instance;
        registry.RegisterSSOClient(context =>
        {
            var config = new AmazonSSOConfig { RegionEndpoint = context.SSOClientContextData.Region };
            if (context.SSOClientContextData.ProxySettings != null) config.SetWebProxy(context.SSOClientContextData.ProxySettings);
            return new AmazonSSOClient(new AnonymousAWSCredentials(), config);
        });
        registry.RegisterSSOOIDCClient(context =>
        {
            var config = new AmazonSSOOIDCConfig { RegionEndpoint = context.SSOOIDCClientContextData.Region };
            if (context.SSOOIDCClientContextData.ProxySettings != null) config.SetWebProxy(context.SSOOIDCClientContextData.ProxySettings);
            return new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config);
        });
    }
}
