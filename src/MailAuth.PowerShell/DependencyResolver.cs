using System;
using System.IO;
using System.Reflection;

namespace MailAuth.PowerShell;

/// <summary>
/// Loads the module's dependencies (MailAuth.Core, DnsClient, MimeKit, AWSSDK.Core, ...) from the
/// Dependencies folder beside MailAuth.PowerShell.dll. Windows PowerShell 5.1 applies no binding
/// redirects, so a version mismatch between two netstandard dependencies is answered here with the
/// copy we ship; PowerShell 7 asks here only for what its default context cannot find.
/// It is hooked by the module initializer, before any cmdlet type is touched.
/// </summary>
internal static class DependencyResolver
{
    private static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "Dependencies");

    private static int _registered;

    internal static void Register()
    {
        if (System.Threading.Interlocked.Exchange(ref _registered, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    private static Assembly Resolve(object sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name);
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
