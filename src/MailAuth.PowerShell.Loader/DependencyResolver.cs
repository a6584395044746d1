using System;
using System.IO;
using System.Reflection;
using System.Threading;

namespace MailAuth.PowerShell.Loader;

/// <summary>
/// Loads the module's dependencies (MailAuth.Core, DnsClient, MimeKit, BouncyCastle, AWSSDK.Core, ...) from
/// the Dependencies folder beside MailAuth.PowerShell.dll (and this assembly). Hooked once, when the module is imported.
/// <list type="bullet">
/// <item>PowerShell 7 (.NET): MailAuth.Core and every dependency the runtime does not already provide are
/// loaded into an isolated AssemblyLoadContext (<see cref="IsolatedLoadContext"/>), so another module that
/// loaded a different AWSSDK.Core, MimeKit or DnsClient first neither breaks us nor is broken by us
/// ("Assembly with same name is already loaded").</item>
/// <item>Windows PowerShell 5.1 (.NET Framework) has no load contexts and applies no binding redirects:
/// a request for any version of an assembly we ship is answered with our copy (Assembly.LoadFrom, never
/// LoadFile, so its own references resolve beside it).</item>
/// </list>
/// </summary>
internal static class DependencyResolver
{
    internal static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "Dependencies");

    private static int _registered;
    private static IsolatedLoadContext _isolated;

    /// <summary>The isolated load context on PowerShell 7; null on Windows PowerShell 5.1.</summary>
    internal static IsolatedLoadContext Isolated => _isolated;

    /// <summary>Hooks the resolver once per process (every runspace that imports the module shares it).</summary>
    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        try
        {
            _isolated = IsolatedLoadContext.TryCreate(DependencyDirectory);
        }
        catch (Exception ex) when (ex is TargetInvocationException || ex is IOException || ex is BadImageFormatException || ex is TypeLoadException)
        {
            // No usable load context (an unexpected runtime): fall back to answering requests from Dependencies/.
            _isolated = null;
        }
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        var core = _isolated?.Find(new AssemblyName("MailAuth.Core"));
        if (core != null) CoreTypeNames.Register(core);
    }

    private static Assembly Resolve(object sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name);
        if (_isolated != null) return _isolated.Find(name);

        var candidate = Path.Combine(DependencyDirectory, name.Name + ".dll");
        if (!File.Exists(candidate)) return null;

        // Already loaded (any version): reuse it rather than load a second copy.
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(loaded.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase)) return loaded;
        }
        return Assembly.LoadFrom(candidate);
    }
}
