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
    internal static class ModuleInitializer
    {
        /// <summary>Runs when the assembly loads, before PowerShell reflects over the cmdlet types.</summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Initialize() => DependencyResolver.Register();
    }
}
