using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Ses;

/// <summary>
/// The few Amazon SES v2 operations MailAuth uses. <see cref="SesV2Client"/> implements them on
/// AWSSDK.Core; an implementation on AWSSDK.SimpleEmailV2 can replace it without touching a cmdlet.
/// Failures are <see cref="SesApiException"/> with a stable ErrorId.
/// </summary>
public interface ISesClient
{
    /// <summary>The region the client talks to and signs for.</summary>
    string Region { get; }

    /// <summary>GetEmailIdentity: GET /v2/email/identities/{EmailIdentity}.</summary>
    Task<SesEmailIdentity> GetEmailIdentityAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// PutEmailIdentityMailFromAttributes: PUT /v2/email/identities/{EmailIdentity}/mail-from.
    /// A null <paramref name="mailFromDomain"/> turns the custom MAIL FROM domain off.
    /// </summary>
    Task PutEmailIdentityMailFromAttributesAsync(string identity, string mailFromDomain, SesBehaviorOnMxFailure behaviorOnMxFailure,
        CancellationToken cancellationToken = default);
}
