using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// The built module folder (bin/) carries everything it needs and nothing it must not: every assembly
/// MailAuth.PowerShell.dll references, directly or through its dependencies, is either in bin/Dependencies/
/// (in a version at least the one asked for) or provided by the platform, and so is every assembly AWSSDK.Core
/// loads by name (STS, SSO, SSO OIDC); no System.Management.Automation.dll
/// and no reference assemblies anywhere.
/// </summary>
public sealed class DependencyClosureTests
{
    /// <summary>
    /// Assemblies the platform provides: the .NET runtime PowerShell 7 runs on (its shared framework, which also
    /// carries every netstandard facade), PowerShell itself, and the .NET Framework 4.7.2 assemblies that are not
    /// facades on .NET (referenced only by libraries' Windows-only code paths).
    /// </summary>
    private static ISet<string> PlatformAssemblies()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var names = new HashSet<string>(Directory.GetFiles(runtime, "*.dll").Select(Path.GetFileNameWithoutExtension), StringComparer.OrdinalIgnoreCase)
        {
            "System.Management.Automation",
        };
        return names;
    }

    /// <summary>
    /// Assemblies AWSSDK.Core loads by name at run time, with no reference to follow: STS for assume-role and web
    /// identity profiles, IAM Identity Center for SSO profiles and their token refresh.
    /// </summary>
    internal static readonly string[] LoadedByNameByAwsSdkCore = { "AWSSDK.SecurityToken", "AWSSDK.SSO", "AWSSDK.SSOOIDC" };

    [Fact]
    public void Every_referenced_assembly_is_shipped_or_provided_by_the_platform()
    {
        var bin = ModuleCmdlets.ModuleBin;
        var root = Path.Combine(bin, "MailAuth.PowerShell.dll");
        var loader = Path.Combine(bin, "MailAuth.PowerShell.Loader.dll");
        Assert.True(File.Exists(root), "build the module first: " + root);
        Assert.True(File.Exists(loader), "build the module first: " + loader);
        var dependencies = Path.Combine(bin, "Dependencies");
        var platform = PlatformAssemblies();

        var problems = new List<string>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(new[] { root, loader });
        foreach (var name in LoadedByNameByAwsSdkCore)
        {
            var shipped = Path.Combine(dependencies, name + ".dll");
            if (File.Exists(shipped)) queue.Enqueue(shipped);
            else problems.Add($"AWSSDK.Core loads {name} by name: not in Dependencies/");
        }
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            if (!visited.Add(Path.GetFileNameWithoutExtension(path))) continue;
            foreach (var reference in References(path))
            {
                var shipped = Path.Combine(dependencies, reference.Name + ".dll");
                if (File.Exists(shipped))
                {
                    var version = System.Reflection.AssemblyName.GetAssemblyName(shipped).Version;
                    if (version < reference.Version && !platform.Contains(reference.Name))
                        problems.Add($"{Path.GetFileName(path)} wants {reference.Name} {reference.Version}, Dependencies/ has {version}");
                    queue.Enqueue(shipped);
                }
                else if (!platform.Contains(reference.Name))
                {
                    problems.Add($"{Path.GetFileName(path)} references {reference.Name} {reference.Version}: not in Dependencies/ and not part of the platform");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Contains("MailAuth.Core", visited);
        Assert.Contains("DnsClient", visited);
        Assert.Contains("AWSSDK.SSOOIDC", visited);
    }

    /// <summary>The loader runs before anything else can be resolved: it may need nothing but the platform and PowerShell.</summary>
    [Fact]
    public void Loader_references_only_the_platform_and_powershell()
    {
        var references = References(Path.Combine(ModuleCmdlets.ModuleBin, "MailAuth.PowerShell.Loader.dll")).Select(r => r.Name).OrderBy(n => n).ToList();
        Assert.Equal(new[] { "netstandard", "System.Management.Automation" }, references);
    }

    [Fact]
    public void Module_folder_has_no_powershell_engine_and_no_reference_assemblies()
    {
        var files = Directory.GetFiles(ModuleCmdlets.ModuleBin, "*.dll", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => Path.GetFileName(f).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase));
        var referenceAssemblies = files.Where(IsReferenceAssembly).Select(Path.GetFileName).ToList();
        Assert.True(referenceAssemblies.Count == 0, "reference assemblies in bin/: " + string.Join(", ", referenceAssemblies));
    }

    [Fact]
    public void Module_assembly_and_its_core_target_netstandard2_0()
    {
        foreach (var file in new[] { "MailAuth.PowerShell.dll", "MailAuth.PowerShell.Loader.dll", Path.Combine("Dependencies", "MailAuth.Core.dll") })
        {
            var refs = References(Path.Combine(ModuleCmdlets.ModuleBin, file)).Select(r => r.Name).ToList();
            Assert.Contains("netstandard", refs);
            Assert.DoesNotContain("System.Runtime", refs);
        }
    }

    internal static IReadOnlyList<System.Reflection.AssemblyName> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }

    /// <summary>True for an assembly marked [ReferenceAssembly] (metadata only, cannot run).</summary>
    internal static bool IsReferenceAssembly(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata) return false;
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference) continue;
            var type = reader.GetTypeReference((TypeReferenceHandle)parent);
            if (reader.GetString(type.Name) == "ReferenceAssemblyAttribute" && reader.GetString(type.Namespace) == "System.Runtime.CompilerServices") return true;
        }
        return false;
    }
}
