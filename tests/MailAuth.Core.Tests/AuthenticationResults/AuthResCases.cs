using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailAuth.AuthenticationResults;
using MailAuth.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace MailAuth.Tests.AuthenticationResults;

/// <summary>Loads the table-driven cases of tests/data/authres/*.yaml.</summary>
public static class AuthResCases
{
    public static YamlMappingNode Load(string file)
    {
        using var reader = new StreamReader(RepositoryPaths.DataFile("authres", file));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static IEnumerable<object[]> Section(string file, string section) =>
        ((YamlSequenceNode)Load(file).Children[new YamlScalarNode(section)])
        .Cast<YamlMappingNode>()
        .Select(m => new object[] { file, Scalar(m, "name") });

    public static YamlMappingNode Case(string file, string section, string name) =>
        ((YamlSequenceNode)Load(file).Children[new YamlScalarNode(section)])
        .Cast<YamlMappingNode>()
        .Single(m => Scalar(m, "name") == name);

    public static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s && !(s.Value == "null" && s.Style == YamlDotNet.Core.ScalarStyle.Plain) ? s.Value : null;

    public static IReadOnlyList<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode seq
            ? seq.Cast<YamlScalarNode>().Select(s => s.Value).ToArray()
            : Array.Empty<string>();

    public static IEnumerable<YamlMappingNode> Mappings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode seq
            ? seq.Cast<YamlMappingNode>()
            : Enumerable.Empty<YamlMappingNode>();

    /// <summary>[type, name, value, comment?] rows.</summary>
    public static IReadOnlyList<string[]> PropertyRows(YamlMappingNode node) =>
        node.Children.TryGetValue(new YamlScalarNode("properties"), out var v) && v is YamlSequenceNode seq
            ? seq.Cast<YamlSequenceNode>().Select(row => row.Cast<YamlScalarNode>().Select(s => s.Value).ToArray()).ToArray()
            : Array.Empty<string[]>();

    public static AuthenticationResult BuildResult(YamlMappingNode r)
    {
        var props = PropertyRows(r).Select(p => new AuthenticationResultProperty(p[0], p[1], p[2], p.Length > 3 ? p[3] : null));
        var mv = Scalar(r, "methodVersion");
        return new AuthenticationResult(Scalar(r, "method"), Scalar(r, "result"), props, Scalar(r, "reason"), Strings(r, "comments"),
            mv == null ? null : int.Parse(mv));
    }
}
