using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;

namespace MailAuth.PowerShell;

/// <summary>
/// Makes [MailAuth.Records.RecordStatus] and every other public MailAuth.Core type usable as a type literal
/// on PowerShell 7 although MailAuth.Core lives in the isolated load context, which PowerShell's type
/// resolution does not search: each type is registered under its full name as a type accelerator, and
/// removed again with the module. PowerShell's accelerator table is not public API; if it is not there,
/// type literals are simply not available (results still compare by value: Status -eq 'NotFound').
/// </summary>
internal static class CoreTypeNames
{
    private static readonly List<string> Registered = new List<string>();

    internal static void Register(Assembly core)
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        if (add == null) return;
        lock (Registered)
        {
            foreach (var type in core.GetExportedTypes())
            {
                if (type.FullName == null || type.IsNested) continue;
                add.Invoke(null, new object[] { type.FullName, type });
                Registered.Add(type.FullName);
            }
        }
    }

    internal static void Unregister()
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var remove = accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, null, new[] { typeof(string) }, null);
        if (remove == null) return;
        lock (Registered)
        {
            foreach (var name in Registered) remove.Invoke(null, new object[] { name });
            Registered.Clear();
        }
    }
}
