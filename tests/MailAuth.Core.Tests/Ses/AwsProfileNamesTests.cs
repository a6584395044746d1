using System;
using System.IO;
using MailAuth.Ses;
using Xunit;

namespace MailAuth.Tests.Ses;

public sealed class AwsProfileNamesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mailauth-aws-profiles-" + Guid.NewGuid().ToString("N"));

    public AwsProfileNamesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Profiles_come_from_both_files_once_each_without_sso_sessions()
    {
        var config = Path.Combine(_dir, "config");
        var credentials = Path.Combine(_dir, "credentials");
        File.WriteAllText(config, "[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n[services x]\n");
        File.WriteAllText(credentials, "[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n");
        Assert.Equal(new[] { "ci", "default", "work" }, AwsProfileNames.Read(config, credentials));
    }

    [Fact]
    public void Missing_files_give_no_profiles()
    {
        Assert.Empty(AwsProfileNames.Read(Path.Combine(_dir, "none"), Path.Combine(_dir, "none2")));
    }
}
