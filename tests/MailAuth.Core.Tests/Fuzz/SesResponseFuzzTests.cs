using System.Linq;
using CsCheck;
using MailAuth.Ses;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// GetEmailIdentity answers under fuzzing (botocore sesv2 GetEmailIdentityResponse): any JSON object, with the
/// model's members holding values of any JSON kind, reads as an identity; members of an unexpected kind read as
/// absent. (A body that is not a JSON object never reaches the reader: the client refuses it first.)
/// </summary>
public sealed class SesResponseFuzzTests
{
    private static readonly string[] Members =
    {
        "IdentityType", "FeedbackForwardingStatus", "VerifiedForSendingStatus", "VerificationStatus", "DkimAttributes", "MailFromAttributes",
        "VerificationInfo", "SigningEnabled", "Status", "Tokens", "SigningHostedZone", "SigningAttributesOrigin", "CurrentSigningKeyLength",
        "NextSigningKeyLength", "LastKeyGenerationTimestamp", "MailFromDomain", "MailFromDomainStatus", "BehaviorOnMxFailure", "ErrorType",
        "LastCheckedTimestamp", "LastSuccessTimestamp", "SOARecord", "PrimaryNameServer", "Policies", "Tags",
    };

    private static Gen<string> Value(int depth) => depth == 0
        ? Gen.OneOf(Gen.OneOfConst("true", "false", "null", "0", "-1", "1e308", "-1e308", "1.5e9", "253402300800", "\"\"", "\"PENDING\"", "\"SUCCESS\"", "\"2023-08-14T03:10:03Z\"", "\"x\""),
            Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"))
        : Gen.OneOf(Value(0), Value(depth - 1).Array[0, 4].Select(a => "[" + string.Join(",", a) + "]"), Object(depth - 1));

    private static Gen<string> Object(int depth) =>
        Gen.Select(Gen.OneOfConst(Members), Value(depth)).Array[0, 8]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => "\"" + p.Item1 + "\":" + p.Item2)) + "}");

    [Fact]
    public void Identity_reader_reads_any_json_object()
    {
        Object(3).Sample(json =>
        {
            var identity = SesEmailIdentityReader.Read("example.com", "us-east-1", json);
            Assert.Equal("example.com", identity.Identity);
            Assert.NotNull(identity.Findings);
        }, iter: FuzzRun.Iterations(40_000));
    }
}
