using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailAuth.Dns;
using YamlDotNet.RepresentationModel;

namespace MailAuth.Tests.Spf;

/// <summary>
/// The openspf.org SPF test suite (rfc7208-tests.yml, rfc4408-tests.yml; shipped by Debian's python3-spf):
/// YAML documents, each a scenario with zonedata and tests. Zonedata becomes an <see cref="InMemoryResolver"/>
/// the way pyspf's own harness (test/testspf.py) does it: type SPF entries are also published as TXT unless the
/// name has TXT entries, "NONE" values are skipped, and TIMEOUT makes every query for the name time out.
/// </summary>
public static class SpfTestSuite
{
    public sealed class Scenario
    {
        public string Description { get; init; }
        public InMemoryResolver Resolver { get; init; }
        public List<Case> Cases { get; } = new List<Case>();
    }

    public sealed class Case
    {
        public string Suite { get; init; }
        public Scenario Scenario { get; init; }
        public string Name { get; init; }
        public string Host { get; init; }
        public string MailFrom { get; init; }
        public string Helo { get; init; }
        public string[] Results { get; init; }
        public string Explanation { get; init; }
        public string Spec { get; init; }
        public override string ToString() => $"{Suite}: {Scenario.Description} / {Name}";
    }

    public static List<Scenario> Load(string path)
    {
        var suite = Path.GetFileNameWithoutExtension(path);
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var scenarios = new List<Scenario>();
        foreach (var doc in stream.Documents)
        {
            if (!(doc.RootNode is YamlMappingNode root)) continue;
            var scenario = new Scenario
            {
                Description = Scalar(root, "description") ?? "(no description)",
                Resolver = BuildResolver(root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var z) ? z as YamlMappingNode : null),
            };
            if (root.Children.TryGetValue(new YamlScalarNode("tests"), out var t) && t is YamlMappingNode tests)
            {
                foreach (var entry in tests.Children)
                {
                    var test = (YamlMappingNode)entry.Value;
                    var resultNode = test.Children[new YamlScalarNode("result")];
                    var results = resultNode is YamlSequenceNode seq
                        ? seq.Children.Select(n => ((YamlScalarNode)n).Value).ToArray()
                        : new[] { ((YamlScalarNode)resultNode).Value };
                    scenario.Cases.Add(new Case
                    {
                        Suite = suite,
                        Scenario = scenario,
                        Name = ((YamlScalarNode)entry.Key).Value,
                        Host = Scalar(test, "host"),
                        MailFrom = Scalar(test, "mailfrom") ?? string.Empty,
                        Helo = Scalar(test, "helo"),
                        Results = results,
                        Explanation = Scalar(test, "explanation"),
                        Spec = Scalar(test, "spec"),
                    });
                }
            }
            scenarios.Add(scenario);
        }
        return scenarios;
    }

    private static string Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static InMemoryResolver BuildResolver(YamlMappingNode zonedata)
    {
        var resolver = new InMemoryResolver();
        if (zonedata == null) return resolver;
        foreach (var entry in zonedata.Children)
        {
            var name = ((YamlScalarNode)entry.Key).Value;
            var rrs = entry.Value as YamlSequenceNode;
            if (rrs == null) continue;
            bool hasTxt = false;
            var spf = new List<string[]>();
            var answeredBeforeTimeout = new HashSet<DnsRecordType>();
            foreach (var rr in rrs.Children)
            {
                if (rr is YamlScalarNode s)
                {
                    // pyspf's harness: TIMEOUT times out the types that have no record listed before it.
                    if (s.Value == "TIMEOUT")
                        foreach (var t in new[] { DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.MX, DnsRecordType.TXT, DnsRecordType.PTR, DnsRecordType.SPF, DnsRecordType.CNAME })
                            if (!answeredBeforeTimeout.Contains(t)) resolver.AddFailure(name, DnsErrorKind.Timeout, t);
                    continue;
                }
                foreach (var pair in ((YamlMappingNode)rr).Children)
                {
                    var type = ((YamlScalarNode)pair.Key).Value;
                    var value = pair.Value;
                    if (value is YamlScalarNode sv && sv.Value == "NONE") { if (type == "TXT") hasTxt = true; continue; }
                    if (Enum.TryParse<DnsRecordType>(type, out var seen)) answeredBeforeTimeout.Add(seen);
                    switch (type)
                    {
                        case "TXT":
                            hasTxt = true;
                            resolver.AddTxt(name, Strings(value));
                            break;
                        case "SPF":
                            resolver.AddSpf(name, Strings(value));
                            spf.Add(Strings(value));
                            break;
                        case "A":
                            resolver.AddA(name, ((YamlScalarNode)value).Value);
                            break;
                        case "AAAA":
                            resolver.AddAaaa(name, ((YamlScalarNode)value).Value);
                            break;
                        case "MX":
                        {
                            var mx = (YamlSequenceNode)value;
                            resolver.AddMx(name, int.Parse(((YamlScalarNode)mx.Children[0]).Value), ((YamlScalarNode)mx.Children[1]).Value);
                            break;
                        }
                        case "PTR":
                            resolver.AddPtr(name, ((YamlScalarNode)value).Value);
                            break;
                        case "CNAME":
                            resolver.AddCname(name, ((YamlScalarNode)value).Value);
                            break;
                        default:
                            throw new InvalidDataException($"Unknown zonedata type {type} at {name}");
                    }
                }
            }
            if (!hasTxt) foreach (var strings in spf) resolver.AddTxt(name, strings);
        }
        return resolver;
    }

    private static string[] Strings(YamlNode value) =>
        value is YamlSequenceNode seq ? seq.Children.Select(n => ((YamlScalarNode)n).Value).ToArray() : new[] { ((YamlScalarNode)value).Value };
}
