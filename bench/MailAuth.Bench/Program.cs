using System;
using System.IO;
using System.Linq;

namespace MailAuth.Bench;

/// <summary>
/// dotnet run -c Release --project bench/MailAuth.Bench -- [--quick] [name ...]
/// Runs the named side-by-side benchmarks (all when none is named) and prints each report.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var benchmarks = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

        if (args.Contains("--list") || args.Contains("-h") || args.Contains("--help"))
        {
            Console.WriteLine("usage: MailAuth.Bench [--quick] [name ...]");
            foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-28} {b.Description}");
            return 0;
        }

        var scale = args.Contains("--quick") ? 0.05 : 1.0;
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var selected = names.Count == 0 ? benchmarks : benchmarks.Where(b => names.Contains(b.Name)).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine("No benchmark of that name; --list shows them.");
            return 2;
        }

        var root = FindRoot();
        var scratch = Path.Combine(Path.GetTempPath(), "mailauth-bench");
        Directory.CreateDirectory(scratch);
        var context = new BenchmarkContext(root, scratch, scale, Console.Out);
        foreach (var b in selected)
        {
            Console.WriteLine($"-- {b.Name}: {b.Description}");
            var report = b.Run(context);
            Console.WriteLine(report);
        }
        return 0;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailAuth.psd1"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
