using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

/// <summary>
/// Holds what our SES v2 client sends, and the recorded responses the test endpoint serves, to the
/// official SES v2 API model: botocore's sesv2 service-2.json, as Debian's python3-botocore ships it.
/// </summary>
[Collection(SesTestServerCollection.Name)]
public sealed class BotocoreModelConformanceTests
{
    /// <summary>
    /// Members that the SES v2 API returns today but that Debian's botocore (1.29) predates; each is
    /// accepted only where named here, so any other unknown member still fails.
    /// </summary>
    private static readonly HashSet<string> NewerThanLocalModel = new HashSet<string>(StringComparer.Ordinal)
    {
        "GetEmailIdentityResponse.VerificationInfo",
        "DkimAttributes.SigningHostedZone",
    };

    private readonly SesTestServer _server;

    public BotocoreModelConformanceTests(SesTestServerFixture fixture) => _server = fixture.Server;

    /// <summary>
    /// Values the SES v2 API has added since the model Debian ships: Deterministic Easy DKIM's AWS_SES_&lt;REGION&gt; origins
    /// (API reference, DkimSigningAttributes.DomainSigningAttributesOrigin, 2024).
    /// </summary>
    private static bool IsNewerThanTheModel(string shapeName, string value) =>
        shapeName == "DkimSigningAttributesOrigin" && System.Text.RegularExpressions.Regex.IsMatch(value, "^AWS_SES_[A-Z]{2}(_GOV)?_[A-Z]+_[0-9]$");

    private static JsonElement Model()
    {
        var root = "/usr/lib/python3/dist-packages/botocore/data/sesv2";
        var file = Directory.Exists(root) ? Directory.GetFiles(root, "service-2.json*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).LastOrDefault() : null;
        if (file == null) throw new InvalidOperationException("The SES v2 model is missing: install Debian's python3-botocore (.ci/run does).");
        using var stream = File.OpenRead(file);
        using var json = file.EndsWith(".gz", StringComparison.Ordinal)
            ? JsonDocument.Parse(new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress))
            : JsonDocument.Parse(stream);
        return json.RootElement.Clone();
    }

    public static IEnumerable<object[]> RecordedResponses() =>
        Directory.GetFiles(RepositoryPaths.DataFile("ses", "responses"), "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(RecordedResponses))]
    public void Recorded_get_email_identity_response_fits_the_model(string file)
    {
        var model = Model();
        var output = model.GetProperty("operations").GetProperty("GetEmailIdentity").GetProperty("output").GetProperty("shape").GetString();
        using var doc = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.DataFile("ses", "responses", file)));
        var problems = new List<string>();
        Check(model.GetProperty("shapes"), output, doc.RootElement, output, problems, enforceRequired: false);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Put_mail_from_request_fits_the_model()
    {
        var model = Model();
        var operation = model.GetProperty("operations").GetProperty("PutEmailIdentityMailFromAttributes");
        Assert.Equal("PUT", operation.GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("/v2/email/identities/{EmailIdentity}/mail-from", operation.GetProperty("http").GetProperty("requestUri").GetString());

        using var client = new SesV2Client(new SesClientOptions { Region = SesTestServer.Region, ProfileName = "ses-test", EndpointUrl = new Uri(_server.EndpointUrl) });
        await client.PutEmailIdentityMailFromAttributesAsync("ses-ok.test", "bounce.ses-ok.test", SesBehaviorOnMxFailure.UseDefaultValue);
        var request = _server.Requests.Last(r => r.Method == "PUT");

        var shapes = model.GetProperty("shapes");
        var input = operation.GetProperty("input").GetProperty("shape").GetString();
        using var body = JsonDocument.Parse(request.Body);
        var problems = new List<string>();
        Check(shapes, input, body.RootElement, input, problems, enforceRequired: true);
        // Members bound to the URI must not be repeated in the body.
        foreach (var member in shapes.GetProperty(input).GetProperty("members").EnumerateObject())
        {
            if (member.Value.TryGetProperty("location", out var location) && location.GetString() == "uri" && body.RootElement.TryGetProperty(member.Name, out _))
                problems.Add($"{input}.{member.Name} belongs in the URI, not the body");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <param name="enforceRequired">True for requests. Responses are not held to "required": SES leaves
    /// MailFromDomain out of MailFromAttributes when no custom MAIL FROM is set, although the model marks it
    /// required, and AWS's own SDKs do not validate responses against it.</param>
    private static void Check(JsonElement shapes, string shapeName, JsonElement value, string path, List<string> problems, bool enforceRequired)
    {
        var shape = shapes.GetProperty(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected an object"); return; }
                var members = shape.GetProperty("members");
                foreach (var property in value.EnumerateObject())
                {
                    if (members.TryGetProperty(property.Name, out var member))
                        Check(shapes, member.GetProperty("shape").GetString(), property.Value, path + "." + property.Name, problems, enforceRequired);
                    else if (!NewerThanLocalModel.Contains(shapeName + "." + property.Name))
                        problems.Add($"{path}.{property.Name}: not a member of {shapeName} in the SES v2 model");
                }
                if (enforceRequired && shape.TryGetProperty("required", out var required))
                {
                    foreach (var r in required.EnumerateArray())
                    {
                        var name = r.GetString();
                        bool inUri = members.GetProperty(name).TryGetProperty("location", out var loc) && loc.GetString() == "uri";
                        if (!inUri && !value.TryGetProperty(name, out _)) problems.Add($"{path}.{name}: required by {shapeName}");
                    }
                }
                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array) { problems.Add($"{path}: expected an array"); return; }
                int i = 0;
                foreach (var item in value.EnumerateArray()) Check(shapes, shape.GetProperty("member").GetProperty("shape").GetString(), item, $"{path}[{i++}]", problems, enforceRequired);
                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected an object (map)"); return; }
                foreach (var entry in value.EnumerateObject()) Check(shapes, shape.GetProperty("value").GetProperty("shape").GetString(), entry.Value, $"{path}[{entry.Name}]", problems, enforceRequired);
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String) { problems.Add($"{path}: expected a string"); return; }
                if (shape.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetString() == value.GetString())
                    && !IsNewerThanTheModel(shapeName, value.GetString()))
                    problems.Add($"{path}: '{value.GetString()}' is not one of {shapeName}'s values");
                break;
            case "boolean":
                if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False) problems.Add($"{path}: expected a boolean");
                break;
            case "timestamp":
            case "integer":
            case "long":
            case "double":
                if (value.ValueKind != JsonValueKind.Number) problems.Add($"{path}: expected a number ({type})");
                break;
            default:
                problems.Add($"{path}: shape type {type} is not checked here");
                break;
        }
    }
}
