using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace MailAuth.PowerShell.Loader;

/// <summary>
/// On .NET (PowerShell 7): an AssemblyLoadContext named "MailAuth" holding MailAuth.Core and the dependencies
/// the runtime does not provide itself, the way PSResourceGet isolates its NuGet libraries.
/// This assembly targets netstandard2.0 (it must also load in Windows PowerShell 5.1), where
/// System.Runtime.Loader is not referenceable, so the context is reached by reflection: since .NET Core 3.0
/// AssemblyLoadContext can be instantiated directly, without a subclass.
/// <para>
/// Every private assembly is loaded into the context by path when the module is imported. A context looks
/// among its own loaded assemblies before anything else, so MailAuth.Core's reference to DnsClient binds to
/// our DnsClient even when another module has put a different DnsClient in the default context; in the other
/// order, the other module's later load into the default context does not collide with ours.
/// Assemblies the runtime (or the hosting PowerShell) already provides in the same or a higher version,
/// e.g. System.Memory or System.Text.Json, are left to the default context, so framework types stay one type.
/// </para>
/// <para>
/// MailAuth.PowerShell.dll itself stays in the default context (PowerShell loads it); it reaches MailAuth.Core
/// through the AppDomain.AssemblyResolve event, which <see cref="DependencyResolver"/> answers from here.
/// PowerShell resolves type literals such as [MailAuth.Common.RecordStatus] only among the default context's
/// assemblies; <see cref="CoreTypeNames"/> registers MailAuth.Core's public types so that they still resolve.
/// </para>
/// </summary>
internal sealed class IsolatedLoadContext
{
    private readonly Dictionary<string, Assembly> _assemblies;

    private IsolatedLoadContext(object context, Dictionary<string, Assembly> assemblies)
    {
        Context = context;
        _assemblies = assemblies;
    }

    /// <summary>The System.Runtime.Loader.AssemblyLoadContext instance.</summary>
    internal object Context { get; }

    /// <summary>The simple names of the assemblies loaded into the context.</summary>
    internal IReadOnlyCollection<string> AssemblyNames => _assemblies.Keys;

    /// <summary>Creates the context and loads the private dependencies, or returns null where there are no load contexts (.NET Framework).</summary>
    internal static IsolatedLoadContext TryCreate(string dependencyDirectory)
    {
        var contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
        var constructor = contextType?.GetConstructor(new[] { typeof(string), typeof(bool) });
        var loadFromPath = contextType?.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
        if (constructor == null || loadFromPath == null || !Directory.Exists(dependencyDirectory)) return null;

        var context = constructor.Invoke(new object[] { "MailAuth", false });
        var platform = PlatformAssemblies();
        var assemblies = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(dependencyDirectory, "*.dll").OrderBy(p => p, StringComparer.Ordinal))
        {
            AssemblyName shipped;
            try { shipped = AssemblyName.GetAssemblyName(path); }
            catch (BadImageFormatException) { continue; }
            if (platform.TryGetValue(shipped.Name, out var providedPath) && VersionOf(providedPath) >= shipped.Version) continue;
            assemblies[shipped.Name] = (Assembly)loadFromPath.Invoke(context, new object[] { path });
        }
        return new IsolatedLoadContext(context, assemblies);
    }

    /// <summary>Our copy of an assembly, for a request from the default context (MailAuth.PowerShell asking for MailAuth.Core).</summary>
    internal Assembly Find(AssemblyName name) =>
        name.Name != null && _assemblies.TryGetValue(name.Name, out var assembly) ? assembly : null;

    /// <summary>The paths of the assemblies the runtime and the host application provide (the trusted platform assemblies), by simple name.</summary>
    private static Dictionary<string, string> PlatformAssemblies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!(AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)) return result;
        foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
        {
            var simpleName = Path.GetFileNameWithoutExtension(path);
            if (!result.ContainsKey(simpleName)) result[simpleName] = path;
        }
        return result;
    }

    private static Version VersionOf(string path)
    {
        try { return AssemblyName.GetAssemblyName(path).Version; }
        catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException) { return new Version(0, 0); }
    }
}
