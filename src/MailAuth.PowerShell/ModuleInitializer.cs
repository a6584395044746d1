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
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Called by Import-Module.</summary>
        public void OnImport()
        {
            DependencyResolver.Register();
            var core = DependencyResolver.Isolated?.Find(new System.Reflection.AssemblyName("MailAuth.Core"));
            if (core != null) CoreTypeNames.Register(core);
        }

        /// <summary>Called by Remove-Module.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            CoreTypeNames.Unregister();
            DependencyResolver.Unregister();
        }

        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Initialize() => DependencyResolver.Register();
    }
}
