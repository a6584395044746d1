using System.Management.Automation;

namespace MailAuth.PowerShell.Loader;

/// <summary>
/// Hooks the dependency loader when Import-Module loads this assembly. MailAuth.psd1 lists it as the first
/// nested module, before MailAuth.PowerShell.dll: PowerShell reads every public type of a binary module
/// (GetExportedTypes) before it calls that module's own initializer, and MailAuth.PowerShell's types need
/// MailAuth.Core; this assembly needs nothing but PowerShell, so by the time MailAuth.PowerShell.dll is read,
/// MailAuth.Core and its dependencies resolve.
/// Nothing is undone on Remove-Module: loaded assemblies stay loaded for the life of the process, and other
/// runspaces of the same process (ForEach-Object -Parallel, hosted runspaces) may still be using the module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <summary>Called by Import-Module.</summary>
    public void OnImport() => DependencyResolver.Register();
}
