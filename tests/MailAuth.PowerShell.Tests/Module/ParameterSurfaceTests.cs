using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// The conventions every MailAuth cmdlet keeps (STYLE.md, "Cmdlet classes"), checked on the cmdlets the
/// module exports through the hosted engine's own metadata (Get-Command).
/// </summary>
public sealed class ParameterSurfaceTests
{
    /// <summary>
    /// Verbs whose cmdlets change state somewhere (DNS, AWS, files) and so must support -WhatIf/-Confirm.
    /// New-* that only builds objects (New-DmarcRecord, New-SesDkimRecord) and Import-*/ConvertTo-*/Export-*
    /// that only read or return objects are exempt; any cmdlet that can write a file (see <see cref="FileWritingParameters"/>) is not.
    /// </summary>
    public static readonly ISet<string> StateChangingVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Add", "Clear", "Remove", "Set", "Update", "Reset", "Rename", "Move", "Copy", "Write", "Send", "Publish", "Unpublish",
        "Register", "Unregister", "Install", "Uninstall", "Enable", "Disable", "Start", "Stop", "Restart", "Save", "Sync", "Initialize",
    };

    /// <summary>Parameters that make a cmdlet write a file, whatever its verb.</summary>
    public static readonly ISet<string> FileWritingParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "OutFile", "OutputPath", "OutputDirectory", "Destination", "DestinationPath",
    };

    /// <summary>The cmdlets that ask the DNS (issue 2: "Every DNS cmdlet takes -Server"); checked when they exist.</summary>
    public static readonly ISet<string> DnsCmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Get-MxRecord", "Get-SpfRecord", "Get-DmarcRecord", "Get-DkimRecord", "Test-Spf", "Test-SpfAlignment", "Test-DkimSignature",
        "Test-DkimAlignment", "Test-MailAuthentication", "Test-ArcChain", "Test-SesDomainSetup", "Test-MailDomain",
    };

    /// <summary>
    /// Cmdlets whose -Domain is one string by design; everywhere else -Domain is string[].
    /// Get-DkimRecord: issue 2 fixes its interface as [-Domain] &lt;string&gt; [-Selector] &lt;string[]&gt; (many selectors of one domain).
    /// </summary>
    public static readonly ISet<string> SingleDomainCmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Get-DkimRecord" };

    /// <summary>Words that end in "s" and are singular.</summary>
    private static readonly ISet<string> SingularWordsEndingInS = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Dns", "Ses", "Status", "Address", "Analysis", "Alias", "Process", "Access", "Class", "Progress",
    };

    public static TheoryData<string> Cmdlets() => ModuleCmdlets.ExportedCases();

    private static CmdletInfo Command(PowerShellSession ps, string name) =>
        (CmdletInfo)ps.Run("Get-Command -Name $args[0] -CommandType Cmdlet", name).ThrowOnError().Output.Single().BaseObject;

    /// <summary>Every verb of the System.Management.Automation.Verbs* classes (VerbsCommon, VerbsData, ...).</summary>
    private static ISet<string> ApprovedVerbs() => new HashSet<string>(
        typeof(VerbsCommon).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal) && t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()),
        StringComparer.Ordinal);

    [Fact]
    public void Approved_verbs_come_from_the_engine()
    {
        var verbs = ApprovedVerbs();
        Assert.Contains("Get", verbs);
        Assert.Contains("ConvertFrom", verbs);
        Assert.DoesNotContain("Check", verbs);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Verb_is_approved_and_noun_is_singular(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        Assert.Contains(info.Verb, ApprovedVerbs());
        var lastWord = System.Text.RegularExpressions.Regex.Matches(info.Noun, "[A-Z0-9][a-z0-9]*").Cast<System.Text.RegularExpressions.Match>().Last().Value;
        Assert.True(!lastWord.EndsWith("s", StringComparison.Ordinal) || SingularWordsEndingInS.Contains(lastWord) || lastWord.EndsWith("ss", StringComparison.Ordinal),
            $"{cmdlet}: the noun '{info.Noun}' looks plural");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Declares_its_output_type(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        Assert.True(info.OutputType.Count > 0, cmdlet + " has no [OutputType]");
        Assert.All(info.OutputType, t => Assert.NotNull(t.Type));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlets_that_change_state_support_ShouldProcess(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        bool writes = StateChangingVerbs.Contains(info.Verb) || info.Parameters.Keys.Any(FileWritingParameters.Contains);
        if (!writes) return;
        var attribute = info.ImplementingType.GetCustomAttribute<CmdletAttribute>();
        Assert.True(attribute.SupportsShouldProcess, cmdlet + " changes state: declare SupportsShouldProcess = true and call ShouldProcess before each change");
        Assert.Contains("WhatIf", info.Parameters.Keys);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Domain_binds_from_the_pipeline_by_value_and_by_property_name(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        if (!info.Parameters.TryGetValue("Domain", out var domain)) return;
        var expected = SingleDomainCmdlets.Contains(cmdlet) ? typeof(string) : typeof(string[]);
        Assert.Equal(expected, domain.ParameterType);
        Assert.All(domain.ParameterSets, set =>
        {
            Assert.True(set.Value.ValueFromPipelineByPropertyName, $"{cmdlet} -Domain ({set.Key}): not ValueFromPipelineByPropertyName");
            Assert.True(set.Value.ValueFromPipeline, $"{cmdlet} -Domain ({set.Key}): not ValueFromPipeline");
        });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Dns_cmdlets_take_server_timeout_and_retries(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        bool isDnsCmdlet = DnsCmdlets.Contains(cmdlet) || DerivesFromDnsCmdlet(info.ImplementingType);
        if (!isDnsCmdlet) return;
        Assert.True(DerivesFromDnsCmdlet(info.ImplementingType), cmdlet + " asks the DNS: derive it from DnsCmdlet");
        Assert.Equal(typeof(string[]), info.Parameters["Server"].ParameterType);
        Assert.Contains("DnsTimeoutSec", info.Parameters.Keys);
        Assert.Contains("DnsRetryCount", info.Parameters.Keys);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Parameter_set_names_are_constants(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        var constants = new HashSet<string>(
            Hierarchy(info.ImplementingType)
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()),
            StringComparer.Ordinal);
        var names = info.ParameterSets.Select(s => s.Name).Where(n => n != ParameterAttribute.AllParameterSets).ToList();
        var defaultSet = info.ImplementingType.GetCustomAttribute<CmdletAttribute>().DefaultParameterSetName;
        if (!string.IsNullOrEmpty(defaultSet)) names.Add(defaultSet);
        var literal = names.Where(n => !constants.Contains(n)).Distinct().ToList();
        Assert.True(literal.Count == 0, $"{cmdlet}: parameter sets {string.Join(", ", literal)} are not const string fields of the cmdlet class");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_output_type_has_a_default_view(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var info = Command(ps, cmdlet);
        var views = LoadedViewTypeNames();
        var missing = info.OutputType
            .Where(t => t.Type != null && !t.Type.IsPrimitive && t.Type != typeof(string) && t.Type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true)
            .Select(t => t.Type.FullName)
            .Where(n => !views.Contains(n))
            .ToList();
        Assert.True(missing.Count == 0, $"{cmdlet}: no view for {string.Join(", ", missing)} in any FormatsToProcess file");
    }

    [Fact]
    public void Format_files_are_well_formed_and_views_are_not_defined_twice()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in ModuleCmdlets.ManifestList("FormatsToProcess"))
        {
            var doc = XDocument.Load(Path.Combine(RepositoryPaths.Root, file));
            foreach (var view in doc.Descendants("View"))
            {
                var key = (string)view.Element("Name") + "/" + view.Elements().Select(e => e.Name.LocalName).FirstOrDefault(n => n.EndsWith("Control", StringComparison.Ordinal));
                Assert.False(seen.TryGetValue(key, out var other), $"view {key} is defined in {file} and {other}");
                seen[key] = file;
            }
        }
    }

    private static ISet<string> LoadedViewTypeNames() => new HashSet<string>(
        ModuleCmdlets.ManifestList("FormatsToProcess")
            .SelectMany(f => XDocument.Load(Path.Combine(RepositoryPaths.Root, f)).Descendants("View"))
            .SelectMany(v => v.Elements("ViewSelectedBy").Elements("TypeName"))
            .Select(e => e.Value.Trim()),
        StringComparer.OrdinalIgnoreCase);

    private static bool DerivesFromDnsCmdlet(Type type) => Hierarchy(type).Any(t => t.FullName == "MailAuth.PowerShell.Commands.DnsCmdlet");

    private static IEnumerable<Type> Hierarchy(Type type)
    {
        for (var t = type; t != null && t != typeof(PSCmdlet); t = t.BaseType) yield return t;
    }

    /// <summary>The cmdlet bases (STYLE: at most MailAuthCmdlet and DnsCmdlet); what else cmdlets share is a helper they hold.</summary>
    private static readonly string[] Bases = { "MailAuth.PowerShell.Commands.MailAuthCmdlet", "MailAuth.PowerShell.Commands.DnsCmdlet" };

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlets_derive_from_at_most_the_two_bases(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var between = Hierarchy(Command(ps, cmdlet).ImplementingType).Skip(1)
            .TakeWhile(t => t.FullName != typeof(PSCmdlet).FullName).Select(t => t.FullName).ToList();
        Assert.True(between.All(Bases.Contains), cmdlet + " derives from " + string.Join(" <- ", between));
    }

    /// <summary>
    /// The parameters several cmdlets declare for the same helper or concept (they had base classes once): each cmdlet
    /// declares its own, and every declaration must mean the same thing: the same type, aliases, allowed values and
    /// binding from the pipeline by property name. Not here: -Domain and -Region, whose aliases and binding name the
    /// upstream properties each cmdlet takes, and -InputObject, by convention whatever objects a cmdlet takes.
    /// </summary>
    private static readonly HashSet<string> SharedParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Server", "DnsTimeoutSec", "DnsRetryCount", "DiscoveryMode", "PublicSuffixListPath", "Path", "LiteralPath",
        "ProfileName", "EndpointUrl", "HeaderFrom", "Mode", "Name", "Type", "Value", "Ttl", "Priority",
        "MinimumDays", "MinimumMessages", "Offline",
    };

    [Fact]
    public void A_parameter_several_cmdlets_declare_is_declared_the_same_way()
    {
        using var ps = new PowerShellSession();
        var declarations = ModuleCmdlets.Exported
            .SelectMany(name => Command(ps, name).Parameters.Values.Where(p => SharedParameters.Contains(p.Name))
                .Select(p => (Cmdlet: name, p.Name, Shape: Shape(p))))
            .GroupBy(d => d.Name)
            .Where(g => g.Count() > 1)
            .ToList();
        Assert.Contains(declarations, g => g.Key == "PublicSuffixListPath");
        foreach (var group in declarations)
        {
            var shapes = group.GroupBy(d => d.Shape).ToList();
            Assert.True(shapes.Count == 1, $"-{group.Key} is declared in {shapes.Count} ways: " +
                string.Join("; ", shapes.Select(s => string.Join(", ", s.Select(d => d.Cmdlet)) + ": " + s.Key)));
        }
    }

    private static string Shape(ParameterMetadata parameter)
    {
        var validateSet = parameter.Attributes.OfType<ValidateSetAttribute>().SelectMany(a => a.ValidValues).OrderBy(v => v, StringComparer.OrdinalIgnoreCase);
        var byPropertyName = parameter.ParameterSets.Values.Any(p => p.ValueFromPipelineByPropertyName);
        return $"{parameter.ParameterType.Name} aliases [{string.Join(",", parameter.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase))}] " +
            $"values [{string.Join(",", validateSet)}] by-property-name {byPropertyName}";
    }
}
