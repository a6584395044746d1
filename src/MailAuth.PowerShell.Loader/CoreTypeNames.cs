using System;
using System.Management.Automation;
using System.Reflection;

namespace MailAuth.PowerShell.Loader;

/// <summary>
/// Makes [MailAuth.Common.RecordStatus] and every other public MailAuth.Core type usable as a type literal
/// on PowerShell 7 although MailAuth.Core lives in the isolated load context, which PowerShell's type
/// resolution does not search: each type is registered under its full name as a type accelerator, once per
/// process (like the assemblies, they stay after Remove-Module). PowerShell's accelerator table is not public API; if it is not there,
/// type literals are simply not available (results still compare by value: Status -eq 'NotFound').
/// </summary>
internal static class CoreTypeNames
{
    internal static void Register(Assembly core)
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        if (add == null) return;
        foreach (var type in core.GetExportedTypes())
        {
            if (type.FullName != null && !type.IsNested) add.Invoke(null, new object[] { type.FullName, type });
        }
    }
}
