using System.Management.Automation;

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code declare a module initializer (C# 9); the runtime runs it on load.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute
    {
    }
}

namespace MailAuth.PowerShell
{
    /// <summary>
    /// Hooks the dependency loader when Import-Module loads the assembly. PowerShell calls
    /// <see cref="OnImport"/> right after loading it, before it reads the cmdlets' attributes
    /// (OutputType names MailAuth.Core types, so Get-Command and Get-Help need MailAuth.Core resolvable).
    /// The C# module initializer is the fallback for hosts that load the assembly some other way; the
    /// runtime runs it only when code of this assembly first runs, so it alone is not enough.
    /// Nothing is undone on Remove-Module: loaded assemblies stay loaded for the life of the process, and other
    /// runspaces of the same process (ForEach-Object -Parallel, hosted runspaces) may still be using the module.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        /// <summary>Called by Import-Module.</summary>
        public void OnImport() => DependencyResolver.Register();

        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Initialize() => DependencyResolver.Register();
    }
}
