using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.Tests.AuthenticationResults;
using MailAuth.Tests.Dkim;
using MailAuth.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace MailAuth.Tests.MessageAuthentication;

/// <summary>The six configurations of seed 000 (tests/data/authres/seed-configurations.yaml), with really signed messages.</summary>
public sealed class SeedConfiguration
{
    public string Name { get; private set; }
    public int Seed { get; private set; }
    public IReadOnlyList<string> Sign { get; private set; }
    public string MailFrom { get; private set; }
    public bool ReturnPath { get; private set; }
    public string ClientIP { get; private set; }
    public string ExpectDmarc { get; private set; }
    public string ExpectSpf { get; private set; }
    public bool ExpectSpfAligned { get; private set; }
    public bool ExpectDkimAligned { get; private set; }
    public string ExpectMethods { get; private set; }

    public static IReadOnlyList<SeedConfiguration> Load()
    {
        using var reader = new StreamReader(RepositoryPaths.DataFile("authres", "seed-configurations.yaml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return ((YamlSequenceNode)yaml.Documents[0].RootNode).Cast<YamlMappingNode>().Select(m =>
        {
            var expect = (YamlMappingNode)m.Children[new YamlScalarNode("expect")];
            return new SeedConfiguration
            {
                Name = AuthResCases.Scalar(m, "name"),
                Seed = int.Parse(AuthResCases.Scalar(m, "seed")),
                Sign = AuthResCases.Strings(m, "sign"),
                MailFrom = AuthResCases.Scalar(m, "mail-from"),
                ReturnPath = AuthResCases.Scalar(m, "return-path") == "true",
                ClientIP = AuthResCases.Scalar(m, "client-ip"),
                ExpectDmarc = AuthResCases.Scalar(expect, "dmarc"),
                ExpectSpf = AuthResCases.Scalar(expect, "spf"),
                ExpectSpfAligned = AuthResCases.Scalar(expect, "spf-aligned") == "true",
                ExpectDkimAligned = AuthResCases.Scalar(expect, "dkim-aligned") == "true",
                ExpectMethods = AuthResCases.Scalar(expect, "methods"),
            };
        }).ToList();
    }

    public static SeedConfiguration Get(string name) => Load().Single(c => c.Name == name);

    /// <summary>The Gmail header of the seed this configuration reproduces, or null.</summary>
    public SeedHeaders GmailHeader => Seed == 0 ? null : SeedHeaders.Load()[Seed - 1];

    /// <summary>The message as SES would send it: signed d=amazonses.com and/or d=mail.kktkht94.work (own domain on top), with Return-Path when asked.</summary>
    public byte[] BuildMessage()
    {
        var message = File.ReadAllBytes(RepositoryPaths.DataFile("authres", "messages", "ses-unsigned.eml"));
        if (Sign.Contains("amazonses.com"))
            message = DkimTestSigning.SignWithMimeKit(message, "../authres/keys/amazonses.key", "amazonses.com", "wf7ez2pjvcsodozkoqksj277kza7wu47");
        if (Sign.Contains("mail.kktkht94.work"))
            message = DkimTestSigning.SignWithMimeKit(message, "ses.key", "mail.kktkht94.work", "5fk64cpnhu4ib67isszacsaptfn4wpix");
        if (ReturnPath) message = Encoding.ASCII.GetBytes("Return-Path: <" + MailFrom + ">\r\n").Concat(message).ToArray();
        return message;
    }

    public override string ToString() => Name;
}
