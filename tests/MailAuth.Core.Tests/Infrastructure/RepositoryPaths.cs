using System;
using System.IO;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// Finds the repository root (where MailAuth.psd1 is) above this assembly: the test's output folder, also when the
/// Pester suite loads the test infrastructure into pwsh (TestSupport.psm1).
/// </summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new Lazy<string>(() =>
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(typeof(RepositoryPaths).Assembly.Location) ?? AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailAuth.psd1"))) dir = dir.Parent;
        if (dir == null) throw new InvalidOperationException("Could not find the repository root (MailAuth.psd1) above " + typeof(RepositoryPaths).Assembly.Location);
        return dir.FullName;
    });

    public static string Root => RootLazy.Value;
    public static string Data => Path.Combine(Root, "tests", "data");
    public static string DataFile(params string[] parts) => Path.Combine(Data, Path.Combine(parts));
}
